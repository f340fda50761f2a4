/** The posting window the editor shows while staff choose a rule: the same arithmetic the controller applies at submission. */
import { type CivilDate, type HolidayCalendar, type PostingWindow, addCalendarDays, isCivilDate, postingWindow } from '@protocol';
import { type NoticeDraft, ruleOf } from './noticeDraft';

export interface WindowPreview extends PostingWindow {
  /** Holidays (春节, 国庆节, …) that fall inside the window, in order. */
  holidays: string[];
  /** Years in the window whose official holiday schedule the calendar does not have. */
  uncoveredYears: string[];
}

/** Past this many days the holiday list stops growing; a longer window is reported as far as it goes. */
const MAX_SCAN_DAYS = 400;

/**
 * The window for the form's start and rule, or null while they are incomplete.
 *
 * @example
 * previewWindow(calendar, { ...draft, postingStart: '2026-10-01', ruleKind: 'working_days', ruleDays: '7' })?.end; // '2026-10-15'
 */
export function previewWindow(calendar: HolidayCalendar, draft: NoticeDraft): WindowPreview | null {
  if (!isCivilDate(draft.postingStart)) return null;
  let window: PostingWindow;
  try {
    window = postingWindow(calendar, ruleOf(draft), draft.postingStart);
  } catch {
    return null; // a day count that is not a whole number, or an end before the start
  }
  const holidays: string[] = [];
  const years = new Set<string>();
  const last: CivilDate = window.end ?? window.start;
  let day = window.start;
  for (let i = 0; i < MAX_SCAN_DAYS && day <= last; i++, day = addCalendarDays(day, 1)) {
    const name = calendar.holidayName(day);
    if (name && !holidays.includes(name)) holidays.push(name);
    if (!calendar.covers(day)) years.add(day.slice(0, 4));
  }
  return { ...window, holidays, uncoveredYears: [...years] };
}
