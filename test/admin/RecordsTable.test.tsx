import type { DisplayRecord } from '@protocol';
import { cleanup, render, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { I18nContext } from '../../admin/i18n';
import { en } from '../../admin/i18n/en';
import { RecordsTable } from '../../admin/pages/records/RecordsTable';

afterEach(cleanup);

const T0 = Date.parse('2026-12-07T00:00:00Z');
const record = (overrides: Partial<DisplayRecord> = {}): DisplayRecord => ({
  seq: 7,
  receiptId: '00000000-0000-4000-8000-000000000001',
  deviceId: 'k1',
  villageId: 'v1',
  noticeId: 'n1',
  contentHash: 'a'.repeat(64),
  startedAt: T0,
  endedAt: T0 + 4 * 3_600_000,
  clockTrusted: true,
  recordedAt: T0 + 4 * 3_600_000 + 1_000,
  ...overrides,
});
const props = { devices: [], villages: [], titles: new Map([['n1', '防汛物资公示']]) };

describe('the display records table', () => {
  it('says how many showings an interval record holds and how long they were on screen, in Chinese first', () => {
    render(<RecordsTable records={[record({ showings: 240, shownMs: 7_200_000 })]} {...props} />);
    expect(screen.getByText('共展示 240 次，在屏 120 分钟')).toBeTruthy();
  });

  it('says it in English too, and nothing more for a single showing', () => {
    render(
      <I18nContext.Provider value={{ locale: 'en', t: en, setLocale: () => undefined }}>
        <RecordsTable records={[record({ showings: 3, shownMs: 90_000 }), record({ receiptId: 'r2', seq: 8 })]} {...props} />
      </I18nContext.Provider>,
    );
    expect(screen.getByText('3 showings, 1.5 min on screen')).toBeTruthy();
    expect(document.querySelectorAll('[data-showings]')).toHaveLength(1);
  });
});
