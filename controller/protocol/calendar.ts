/**
 * Posting-period (公示期) and disclosure-deadline (公开时限) arithmetic on the
 * Chinese working-day calendar, 调休 included. Pure and isomorphic: dates are
 * civil dates in China Standard Time (UTC+8 all year, no DST), so the answer
 * never depends on the time zone of the machine that computes it.
 */
import { HOLIDAY_SCHEDULES } from './holidays.js';
import { PAST_HOLIDAY_SCHEDULES } from './holidaysPast.js';
import { lunarStatutoryHolidays } from './lunar.js';

/** A civil date in China Standard Time, `'YYYY-MM-DD'`. */
export type CivilDate = string;

/** Minutes east of UTC of the town's clock: China Standard Time, all year, no DST. Screens show dates and times in it. */
export const TOWN_UTC_OFFSET_MINUTES = 480;
const CST_OFFSET_MS = TOWN_UTC_OFFSET_MINUTES * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;
const CIVIL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** No real calendar goes a year without a working day; past that, the overrides are broken. */
const MAX_DAYS_WITHOUT_WORK = 366;

/** Epoch ms of 00:00 UTC on `date`, or NaN if `date` is not a real `YYYY-MM-DD` day. */
function utcMidnight(date: string): number {
  const m = CIVIL_DATE.exec(date);
  if (m === null) return NaN;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Date(ms).toISOString().slice(0, 10) === date ? ms : NaN;
}

function checked(date: CivilDate): number {
  const ms = utcMidnight(date);
  if (Number.isNaN(ms)) throw new RangeError(`not a civil date (YYYY-MM-DD): ${JSON.stringify(date)}`);
  return ms;
}

function checkCount(n: number, min: number, what: string): void {
  if (!Number.isInteger(n) || n < min) throw new RangeError(`${what} must be an integer ≥ ${min}, got ${n}`);
}

/**
 * Whether `value` is a real calendar day written `YYYY-MM-DD`.
 *
 * @example
 * isCivilDate('2026-02-28'); // true
 * isCivilDate('2026-02-29'); // false: 2026 is not a leap year
 */
export function isCivilDate(value: unknown): value is CivilDate {
  return typeof value === 'string' && !Number.isNaN(utcMidnight(value));
}

/** The day {@link civilDateOf} last answered: [from, to) and its date. */
let lastDay: { from: number; to: number; date: CivilDate } = { from: 0, to: 0, date: '' };

/**
 * The civil date in China (UTC+8) at instant `epochMs`.
 *
 * @example
 * civilDateOf(Date.parse('2026-11-30T16:01:00Z')); // '2026-12-01' (00:01 in Beijing)
 */
export function civilDateOf(epochMs: number): CivilDate {
  // The last day asked about is remembered: reports and the ledger ask about many instants of one day in a row.
  if (epochMs >= lastDay.from && epochMs < lastDay.to) return lastDay.date;
  if (!Number.isFinite(epochMs)) throw new RangeError(`not an instant: ${epochMs}`);
  const date = new Date(epochMs + CST_OFFSET_MS).toISOString().slice(0, 10);
  const from = Math.floor((epochMs + CST_OFFSET_MS) / DAY_MS) * DAY_MS - CST_OFFSET_MS;
  lastDay = { from, to: from + DAY_MS, date };
  return date;
}

/**
 * Epoch ms of 00:00 China Standard Time on `date`.
 *
 * @throws RangeError if `date` is not a real `YYYY-MM-DD` day.
 * @example
 * startOfCivilDay('2026-12-01') === Date.parse('2026-11-30T16:00:00Z'); // true
 */
export function startOfCivilDay(date: CivilDate): number {
  return checked(date) - CST_OFFSET_MS;
}

/**
 * `date` moved by `n` calendar days (`n` may be negative).
 *
 * @example
 * addCalendarDays('2026-12-31', 1); // '2027-01-01'
 */
export function addCalendarDays(date: CivilDate, n: number): CivilDate {
  if (!Number.isInteger(n)) throw new RangeError(`day count must be an integer, got ${n}`);
  return new Date(checked(date) + n * DAY_MS).toISOString().slice(0, 10);
}

/** Which days people work, per the national schedule and a town's own overrides. */
export interface HolidayCalendar {
  /** False on 放假 days and ordinary weekends; true on weekdays and 调休 make-up days. */
  isWorkingDay(date: CivilDate): boolean;
  /** The holiday a day off belongs to (`'春节'`, …), `'放假'` for an override, else null. */
  holidayName(date: CivilDate): string | null;
  /**
   * Whether the schedule for `date`'s year is known: the State Council's, or
   * the town's own (an override dated in that year). When false, the calendar
   * has the days the law gives each holiday (元旦, 劳动节, 国庆节 1–3 October,
   * and 春节, 清明节, 端午节, 中秋节 computed from the lunar calendar, see
   * {@link estimatedStatutoryHoliday}) and otherwise Monday–Friday; callers must
   * say that the year is estimated: its 调休 and the breaks' full length are unknown.
   */
  covers(date: CivilDate): boolean;
}

/** A town's own entries, applied over the built-in table. */
export interface HolidayOverrides {
  /** Extra days off. */
  holidays?: readonly CivilDate[];
  /** Extra working days (including a day the table has off). */
  workdays?: readonly CivilDate[];
  /** Years whose full schedule the overrides give; any year an override is dated in counts too. */
  years?: readonly number[];
}

/**
 * A calendar from the State Council schedules in `holidays.ts`, with a town's
 * overrides on top (an override beats the table), e.g. next year's schedule
 * entered in settings before a software update brings it.
 *
 * @throws RangeError if an override is not a civil date or is both a holiday and a workday.
 * @example
 * const calendar = createHolidayCalendar();
 * calendar.isWorkingDay('2026-02-14'); // true: a Saturday worked for 春节
 * calendar.holidayName('2026-02-17'); // '春节'
 * createHolidayCalendar({ holidays: ['2027-02-08'], years: [2027] }).covers('2027-06-01'); // true
 */
export function createHolidayCalendar(extra: HolidayOverrides = {}): HolidayCalendar {
  const off = new Map<CivilDate, string>();
  const work = new Set<CivilDate>();
  const years = new Set<number>(extra.years ?? []);
  for (const schedule of [...PAST_HOLIDAY_SCHEDULES, ...HOLIDAY_SCHEDULES]) {
    years.add(schedule.year);
    for (const [name, first, last] of schedule.holidays) {
      for (let day = first; day <= last; day = addCalendarDays(day, 1)) off.set(day, name);
    }
    for (const day of schedule.workdays) work.add(day);
  }
  const extraWork = new Set(extra.workdays ?? []);
  for (const day of [...(extra.holidays ?? []), ...extraWork]) years.add(Number(day.slice(0, 4)));
  const fixed = (date: CivilDate): string | null => (years.has(Number(date.slice(0, 4))) ? null : estimatedStatutoryHoliday(date));
  for (const day of extra.holidays ?? []) {
    checked(day);
    if (extraWork.has(day)) throw new RangeError(`${day} is set as both a holiday and a workday`);
    work.delete(day);
    off.set(day, off.get(day) ?? '放假');
  }
  for (const day of extraWork) {
    checked(day);
    off.delete(day);
    work.add(day);
  }

  return {
    isWorkingDay(date) {
      const weekday = new Date(checked(date)).getUTCDay();
      if (off.has(date)) return false;
      if (work.has(date)) return true;
      if (fixed(date) !== null) return false;
      return weekday !== 0 && weekday !== 6;
    },
    holidayName(date) {
      checked(date);
      return off.get(date) ?? fixed(date);
    },
    covers(date) {
      checked(date);
      return years.has(Number(date.slice(0, 4)));
    },
  };
}

/**
 * The holiday the law fixes on `date` itself, whatever the year's notice adds
 * (《全国年节及纪念日放假办法》: 元旦 1 January; 劳动节 1 May, with 2 May from
 * 2025 and 1–3 May before 2008; 国庆节 1–3 October). Lunar holidays move and
 * have no fixed date.
 *
 * @example
 * statutoryHoliday('2027-01-01'); // '元旦'
 * statutoryHoliday('2027-05-02'); // '劳动节'
 */
export function statutoryHoliday(date: CivilDate): string | null {
  const year = Number(date.slice(0, 4));
  const monthDay = date.slice(5);
  if (monthDay === '01-01') return '元旦';
  const mayDays = year < 2008 ? 3 : year < 2025 ? 1 : 2;
  if (monthDay.startsWith('05-') && Number(monthDay.slice(3)) <= mayDays) return '劳动节';
  if (monthDay === '10-01' || monthDay === '10-02' || monthDay === '10-03') return '国庆节';
  return null;
}

const lunarYears = new Map<number, ReadonlyMap<CivilDate, string>>();

/**
 * The holiday the law gives `date`, the lunar ones included: {@link statutoryHoliday}, or 春节, 清明节, 端午节 or
 * 中秋节 computed from the lunar calendar and the Sun (lunar.ts). For a year without a State Council notice this
 * is an estimate: the law's days are certain, but the notice joins them to weekends and sets 调休, so a calendar
 * built on it says {@link HolidayCalendar.covers} false and callers say the year is estimated.
 *
 * @example
 * estimatedStatutoryHoliday('2027-02-06'); // '春节' (除夕 2027)
 * estimatedStatutoryHoliday('2027-09-15'); // '中秋节'
 */
export function estimatedStatutoryHoliday(date: CivilDate): string | null {
  const fixedByDate = statutoryHoliday(date);
  if (fixedByDate !== null) return fixedByDate;
  const year = Number(date.slice(0, 4));
  let days = lunarYears.get(year);
  if (!days) lunarYears.set(year, (days = lunarStatutoryHolidays(year)));
  return days.get(date) ?? null;
}

/**
 * Years from `from` through `through` whose schedule `calendar` does not know
 * (see {@link HolidayCalendar.covers}), e.g. to say that 调休 may be missing.
 *
 * @example
 * unknownYears(createHolidayCalendar(), '2026-12-28', '2027-01-06'); // [2027]
 */
export function unknownYears(calendar: HolidayCalendar, from: CivilDate, through: CivilDate): number[] {
  const years: number[] = [];
  for (let year = Number(from.slice(0, 4)); year <= Number(through.slice(0, 4)); year++) {
    if (!calendar.covers(`${year}-06-01`)) years.push(year);
  }
  return years;
}

/**
 * The `n`-th working day after `from` (`from` itself is not counted); `n = 0` gives `from`.
 *
 * @example
 * // Friday before the 2025 National Day break: Sun 9-28 (调休) is the first, Fri 10-10 the fifth.
 * addWorkingDays(calendar, '2025-09-26', 5); // '2025-10-10'
 */
export function addWorkingDays(calendar: HolidayCalendar, from: CivilDate, n: number): CivilDate {
  checkCount(n, 0, 'working-day count');
  checked(from);
  let day = from;
  for (let i = 0; i < n; i += 1) day = nextWorkingDay(calendar, day);
  return day;
}

/** The first working day after `date`. */
function nextWorkingDay(calendar: HolidayCalendar, date: CivilDate): CivilDate {
  let day = date;
  for (let i = 0; i < MAX_DAYS_WITHOUT_WORK; i += 1) {
    day = addCalendarDays(day, 1);
    if (calendar.isWorkingDay(day)) return day;
  }
  throw new RangeError(`no working day within ${MAX_DAYS_WITHOUT_WORK} days after ${date}`);
}

/**
 * How many working days fall after `after` up to and including `through`
 * (0 when `through` ≤ `after`). The inverse of {@link addWorkingDays}:
 * `countWorkingDays(c, d, addWorkingDays(c, d, n)) === n`.
 *
 * @example
 * countWorkingDays(calendar, '2026-02-13', '2026-02-24'); // 2: Sat 2-14 (调休) and Tue 2-24
 */
export function countWorkingDays(calendar: HolidayCalendar, after: CivilDate, through: CivilDate): number {
  checked(after);
  checked(through);
  let count = 0;
  for (let day = addCalendarDays(after, 1); day <= through; day = addCalendarDays(day, 1)) {
    if (calendar.isWorkingDay(day)) count += 1;
  }
  return count;
}

/** How long a notice stays posted (公示期). */
export type PostingRule =
  | { kind: 'calendar_days'; days: number }
  | { kind: 'working_days'; days: number }
  | { kind: 'long_term' }
  | { kind: 'until'; end: CivilDate };

/** A posting period: civil first and last day, and the instants `[startsAt, endsAt)` it spans. */
export interface PostingWindow {
  start: CivilDate;
  /** Last day posted, included; null for long-term. */
  end: CivilDate | null;
  /** 00:00 China time on `start`. */
  startsAt: number;
  /** 00:00 China time on the day after `end` (the end of the last day); null for long-term. */
  endsAt: number | null;
}

/**
 * The posting window of a notice put up on `start` under `rule`. The window
 * covers `start` and the days after it and closes at the END of its last day:
 *
 * - `calendar_days` N: the last day is `start + N − 1` (7 天 from the 1st ends on the 7th).
 * - `working_days` N: N working days are counted beginning with `start` if it is
 *   a working day, otherwise with the next working day; the last day is the
 *   N-th of them. The notice is still shown from `start`.
 * - `until`: the last day is `end` (not before `start`).
 * - `long_term` (长期公示): no end.
 *
 * @throws RangeError on a bad date, a day count below 1, or `until` before `start`.
 * @example
 * // 7 working days put up on 国庆 2026-10-01: counted from Thu 10-08, Sat 10-10 (调休) included.
 * postingWindow(calendar, { kind: 'working_days', days: 7 }, '2026-10-01').end; // '2026-10-15'
 */
export function postingWindow(calendar: HolidayCalendar, rule: PostingRule, start: CivilDate): PostingWindow {
  const startsAt = startOfCivilDay(start);
  const end = lastPostedDay(calendar, rule, start);
  return { start, end, startsAt, endsAt: end === null ? null : startOfCivilDay(addCalendarDays(end, 1)) };
}

function lastPostedDay(calendar: HolidayCalendar, rule: PostingRule, start: CivilDate): CivilDate | null {
  switch (rule.kind) {
    case 'calendar_days':
      checkCount(rule.days, 1, 'posting days');
      return addCalendarDays(start, rule.days - 1);
    case 'working_days': {
      checkCount(rule.days, 1, 'posting working days');
      const first = calendar.isWorkingDay(start) ? start : nextWorkingDay(calendar, start);
      return addWorkingDays(calendar, first, rule.days - 1);
    }
    case 'until':
      checked(rule.end);
      if (rule.end < start) throw new RangeError(`posting ends ${rule.end}, before it starts ${start}`);
      return rule.end;
    case 'long_term':
      return null;
  }
}

/**
 * The last day to publish information formed on `formed`: 20 working days
 * later (《政府信息公开条例》 Art. 26, "信息形成或者变更之日起20个工作日内").
 *
 * @example
 * // Formed Mon 2026-02-02; 春节 2-15..2-23 is off, Sat 2-14 and 2-28 are worked.
 * disclosureDeadline(calendar, '2026-02-02'); // '2026-03-06'
 */
export function disclosureDeadline(calendar: HolidayCalendar, formed: CivilDate): CivilDate {
  return addWorkingDays(calendar, formed, 20);
}

/** Where a piece of information stands against its 公开时限. */
export interface DeadlineStatus {
  deadline: CivilDate;
  /**
   * Working days after `today` up to the deadline (0 on the deadline itself);
   * once overdue, minus the working days since it (0 on a weekend right after it).
   */
  workingDaysLeft: number;
  state: 'ok' | 'due_soon' | 'overdue';
}

/**
 * The disclosure deadline of information formed on `formed`, seen on `today`:
 * `overdue` after the deadline day, `due_soon` with at most `dueSoonWithin`
 * working days left, else `ok`.
 *
 * @example
 * deadlineStatus(calendar, '2026-02-02', '2026-03-03');
 * // { deadline: '2026-03-06', workingDaysLeft: 3, state: 'due_soon' }
 */
export function deadlineStatus(calendar: HolidayCalendar, formed: CivilDate, today: CivilDate, dueSoonWithin = 3): DeadlineStatus {
  checkCount(dueSoonWithin, 0, 'due-soon threshold');
  const deadline = disclosureDeadline(calendar, formed);
  checked(today);
  if (today > deadline) {
    const since = countWorkingDays(calendar, deadline, today);
    return { deadline, workingDaysLeft: since === 0 ? 0 : -since, state: 'overdue' };
  }
  const workingDaysLeft = countWorkingDays(calendar, today, deadline);
  return { deadline, workingDaysLeft, state: workingDaysLeft <= dueSoonWithin ? 'due_soon' : 'ok' };
}
