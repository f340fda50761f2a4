/**
 * The privacy gate measured over a generated corpus (issue 14): recall on
 * personal numbers must stay 100 %, and at most 1 in 1,000 ordinary numbers,
 * as notices print them, may be flagged. The figures are in docs/BENCHMARKS.md
 * ("privacy"); `npx tsx test/protocol/privacyFigures.ts` prints them.
 */
import { describe, expect, it } from 'vitest';
import { maskPii, scanPii } from '../../controller/protocol/privacy.js';
import { measureCorpus } from './privacyFigures.js';
import { ordinaryCorpus, personalCorpus } from './privacyCorpus.js';

const TODAY = '2026-12-07';

describe('the privacy gate over the corpus', () => {
  const figures = measureCorpus({ personal: 3000, ordinary: 10_000, today: TODAY, seed: 14 });

  it('finds every personal number, of the kind planted', () => {
    expect(figures.missed, figures.missed.join('\n')).toEqual([]);
    expect(figures.personal).toBe(3000);
  });

  it('flags at most 1 in 1,000 ordinary numbers as notices print them', () => {
    expect(figures.falseAlarms.length, figures.falseAlarms.join('\n')).toBeLessThanOrEqual(figures.ordinary / 1000);
  });

  it('flags at most 1 in 1,000 ordinary numbers printed with no label at all', () => {
    // 15-digit numbers that read as a legacy ID and a 工商注册号 alike are a person's only beside a person.
    expect(figures.bareByReason['legacy_or_business_reg'] ?? 0).toBe(0);
    expect(figures.bareFalseAlarms).toBeLessThanOrEqual(figures.ordinary / 1000);
  });

  it('masks every personal number it finds, grouped ones included', () => {
    for (const item of personalCorpus(15, 500, TODAY)) {
      const masked = maskPii(item.text, scanPii(item.text, { today: TODAY }));
      expect(masked, item.text).not.toContain(item.value);
      expect(scanPii(masked, { today: TODAY }), masked).toEqual([]);
    }
  });

  it('is a corpus that would catch the old scanner: ordinary numbers include Luhn-valid runs and date-shaped 15-digit codes', () => {
    const items = ordinaryCorpus(14, 10_000, TODAY);
    const kinds = new Set(items.map((i) => i.kind));
    expect([...kinds].sort()).toEqual(
      ['amount', 'business_reg', 'contract_code', 'date', 'id_wrong_check', 'land_code', 'order_number', 'other', 'uscc'].sort(),
    );
  });
});
