import { describe, expect, it } from 'vitest';
import { formatClock, formatDate, formatPostingPeriod, paragraphs } from '../../kiosk/format';
import { randomId } from '../../kiosk/uuid';

describe('kiosk formats', () => {
  it('writes dates and times the way villagers read them', () => {
    const at = new Date(2026, 0, 5, 9, 7).getTime();
    expect(formatDate(at)).toBe('2026年1月5日');
    expect(formatClock(at)).toBe('09:07');
  });

  it('describes the posting period', () => {
    const start = new Date(2026, 10, 25).getTime();
    const end = new Date(2026, 11, 2).getTime();
    expect(formatPostingPeriod(start, end)).toBe('2026年11月25日 至 2026年12月1日');
    expect(formatPostingPeriod(null, null)).toBe('长期');
    expect(formatPostingPeriod(start, null)).toBe('2026年11月25日 起，长期');
    expect(formatPostingPeriod(null, end)).toBe('至 2026年12月1日');
  });

  it('splits text into paragraphs at blank lines only', () => {
    expect(paragraphs('甲\n乙\n\n  \n丙\n')).toEqual(['甲\n乙', '丙']);
  });
});

describe('randomId', () => {
  it('makes RFC 9562 version-4 UUIDs even where crypto.randomUUID is missing (plain http)', () => {
    const zeros = { getRandomValues: <T extends ArrayBufferView | null>(array: T): T => array };
    expect(randomId(zeros)).toBe('00000000-0000-4000-8000-000000000000');
    expect(randomId()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
