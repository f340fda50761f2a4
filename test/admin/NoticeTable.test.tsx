import { createHolidayCalendar } from '@protocol';
import { cleanup, render } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { NoticeTable } from '../../admin/pages/notices/NoticeTable';
import { content, noticeOf, version } from './fakes';

afterEach(cleanup);

const calendar = createHolidayCalendar();
const review = (at: number) => ({
  decision: 'approved' as const,
  by: 'u-rev',
  at,
  attestation: null,
  reason: '',
  privacyOverride: null,
});
const cell = (id: string): string => document.querySelector(`tr[data-notice-id="${id}"] td:nth-child(3)`)?.textContent ?? '';

describe('the notice list’s 公开时限 column', () => {
  it('is filled on every row: time left, met on time, published late, or not counted', () => {
    // Formed 2026-11-02 (a Monday): 20 working days on is 2026-11-30.
    const formed = content({ formedOn: '2026-11-02' });
    const draft = noticeOf([version({ id: 'd-v1', noticeId: 'd', content: formed })], {
      deadline: { deadline: '2026-11-27', workingDaysLeft: 12, state: 'ok' },
    });
    const onTime = noticeOf([
      version({ id: 'a-v1', noticeId: 'a', state: 'approved', content: formed, review: review(Date.parse('2026-11-10T02:00:00Z')) }),
    ]);
    const late = noticeOf([
      version({ id: 'l-v1', noticeId: 'l', state: 'expired', content: formed, review: review(Date.parse('2026-12-03T02:00:00Z')) }),
    ]);
    const withdrawn = noticeOf([version({ id: 'w-v1', noticeId: 'w', state: 'withdrawn', content: formed })]);
    render(<NoticeTable notices={[draft, onTime, late, withdrawn]} villages={[]} calendar={calendar} />);
    expect(cell('d')).toBe('2026-11-27 前');
    expect(cell('a')).toBe('按时公开（时限 2026-11-30）');
    expect(cell('l')).toBe('逾期公开（时限 2026-11-30）');
    expect(cell('w')).toBe('未发布即撤回，不计');
  });
});
