import { useI18n } from '../i18n';

/**
 * Says when a notice's posting period or 公开时限 reaches a year whose holiday
 * schedule the controller does not know: its working days count only the
 * holidays fixed by law there, and the 调休 may be missing.
 */
export function CalendarGaps({ years }: { years: readonly number[] }) {
  const { t } = useI18n();
  if (years.length === 0) return null;
  return (
    <span class="flag flag-due-soon" data-calendar-gaps={years.join(',')}>
      <span aria-hidden="true">⚠ </span>
      {t.deadline.unknownYears(years.join('、'))}
    </span>
  );
}
