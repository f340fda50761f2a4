import { type CivilDate, type HolidayCalendar, type LateStart, type PostingRule, lateStart } from '@protocol';
import { useI18n } from '../i18n';

/** The late-start facts for a start and rule seen on `today`, or null when nothing is lost or the rule is incomplete. */
export function lateStartOf(calendar: HolidayCalendar, rule: PostingRule | null, start: CivilDate, today: CivilDate): LateStart | null {
  if (rule === null) return null;
  try {
    return lateStart(calendar, rule, start, today);
  } catch {
    return null; // an impossible window: the posting fields say so themselves
  }
}

/**
 * A 公示 that starts before today: how many days it loses, or that it is wholly over. `drafting` says
 * what the editor can do about it; otherwise it is the reviewer's summary.
 */
export function LateStartNote({ late, today, drafting }: { late: LateStart | null; today: CivilDate; drafting: boolean }) {
  const { t } = useI18n();
  const l = t.lateStart;
  if (!late) return null;
  const { start, end } = late.planned;
  const text = late.wholePast
    ? drafting
      ? l.wholePast(start, end ?? '', today)
      : l.reviewWholePast(start, end ?? '')
    : drafting
      ? l.shortened(start, today, late.lostDays, late.plannedDays)
      : l.reviewShortened(late.lostDays, late.plannedDays);
  return (
    <p
      class={late.wholePast ? 'note note-warn late-start whole-past' : 'note note-warn late-start'}
      role="status"
      data-lost-days={late.lostDays}
    >
      {text}
    </p>
  );
}
