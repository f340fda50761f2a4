import type { DeadlineInfo } from '@protocol';
import { useI18n } from '../i18n';

/**
 * 公开时限 (Art. 26, 20 working days from the formed date) for a notice not yet
 * approved: red 逾期 when past, amber 即将到期 when close. Words first, colour second.
 */
export function DeadlineFlag({ deadline, long = false }: { deadline: DeadlineInfo | null; long?: boolean }) {
  const { t } = useI18n();
  if (!deadline || deadline.state === 'ok') return null;
  const overdue = deadline.state === 'overdue';
  const full = overdue
    ? t.deadline.overdue(Math.abs(deadline.workingDaysLeft), deadline.deadline)
    : t.deadline.dueSoon(deadline.workingDaysLeft, deadline.deadline);
  return (
    <span class={overdue ? 'flag flag-overdue' : 'flag flag-due-soon'} data-deadline={deadline.state}>
      <span aria-hidden="true">{overdue ? '⚠ ' : '⏳ '}</span>
      {long ? full : overdue ? t.deadline.overdueShort : t.deadline.dueSoonShort}
      {!long && <span class="flag-date">{deadline.deadline}</span>}
    </span>
  );
}
