/**
 * On-hours as staff type them (HH:MM periods, the same every day or per
 * weekday) and as the controller stores them ({@link OnHours}: minutes after
 * local midnight, [from, to), Monday first). Pure, so the editor's rules are
 * tested without a DOM.
 */
import { type OnHours, TOWN_UTC_OFFSET_MINUTES } from '@protocol';

/** The controller's limit (protocol `onHours`). */
export const MAX_PERIODS_PER_DAY = 6;
export const WEEKDAYS = 7;

export interface PeriodText {
  from: string;
  to: string;
}

export type OnHoursMode = 'always' | 'daily' | 'weekly';

/** What the editor holds: the text in every box, so a half-typed time survives a switch of mode. */
export interface OnHoursDraft {
  mode: OnHoursMode;
  /** The periods of every day, in `daily` mode. */
  daily: PeriodText[];
  /** Monday … Sunday, in `weekly` mode; an empty day is off all day. */
  weekly: PeriodText[][];
  utcOffsetMinutes: number;
}

/** Why a box is refused: `format` not a time, `order` ends before it starts, `overlap` with an earlier period. */
export type PeriodProblem = 'format' | 'order' | 'overlap';

/** Problems by box, keyed `daily.0.from` or `weekly.3.1.to`. */
export type OnHoursProblems = Record<string, PeriodProblem>;

/**
 * Minutes after midnight for `HH:MM` (or `H:MM`); `24:00` is the end of the day. Null for anything else.
 *
 * @example
 * parseClock('07:30'); // 450
 * parseClock('24:00'); // 1440
 * parseClock('7.30'); // null
 */
export function parseClock(text: string): number | null {
  const m = /^(\d{1,2}):(\d{2})$/.exec(text.trim().replace('：', ':'));
  if (!m) return null;
  const hours = Number(m[1]);
  const minutes = Number(m[2]);
  if (minutes > 59 || hours > 24 || (hours === 24 && minutes !== 0)) return null;
  return hours * 60 + minutes;
}

/**
 * `HH:MM` for minutes after midnight.
 *
 * @example
 * formatClock(450); // '07:30'
 * formatClock(1440); // '24:00'
 */
export function formatClock(minutes: number): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}

/** The editor's starting point for a fresh device: 07:00–21:00 every day, only once staff choose to limit the hours. */
export const DEFAULT_PERIOD: PeriodText = { from: '07:00', to: '21:00' };

const texts = (day: readonly [number, number][]): PeriodText[] =>
  day.map(([from, to]) => ({ from: formatClock(from), to: formatClock(to) }));
const sameDay = (a: readonly [number, number][], b: readonly [number, number][]): boolean =>
  a.length === b.length && a.every(([from, to], i) => b[i]?.[0] === from && b[i]?.[1] === to);

/** The draft for a device's stored hours: `always` for null, `daily` when every day is the same, else `weekly`. */
export function draftOf(onHours: OnHours | null): OnHoursDraft {
  if (onHours === null) {
    return {
      mode: 'always',
      daily: [{ ...DEFAULT_PERIOD }],
      weekly: Array.from({ length: WEEKDAYS }, () => [{ ...DEFAULT_PERIOD }]),
      utcOffsetMinutes: TOWN_UTC_OFFSET_MINUTES,
    };
  }
  const first = onHours.weekly[0] ?? [];
  const uniform = onHours.weekly.every((day) => sameDay(day, first));
  return {
    mode: uniform && first.length > 0 ? 'daily' : 'weekly',
    daily: first.length > 0 ? texts(first) : [{ ...DEFAULT_PERIOD }],
    weekly: Array.from({ length: WEEKDAYS }, (_, i) => texts(onHours.weekly[i] ?? [])),
    utcOffsetMinutes: onHours.utcOffsetMinutes,
  };
}

/** From the same hours every day to per weekday, each weekday starts with those hours. */
export function switchMode(draft: OnHoursDraft, mode: OnHoursMode): OnHoursDraft {
  if (mode === 'weekly' && draft.mode === 'daily') {
    return { ...draft, mode, weekly: Array.from({ length: WEEKDAYS }, () => draft.daily.map((p) => ({ ...p }))) };
  }
  return { ...draft, mode };
}

/** Parses one day's periods, recording problems under `prefix.<index>.from|to`. */
function parseDay(day: readonly PeriodText[], prefix: string, problems: OnHoursProblems): [number, number][] {
  const periods: [number, number][] = [];
  day.forEach((period, i) => {
    // A row left blank (added, then not filled in) is no period at all.
    if (period.from.trim() === '' && period.to.trim() === '') return;
    const from = parseClock(period.from);
    const to = parseClock(period.to);
    if (from === null) problems[`${prefix}.${i}.from`] = 'format';
    if (to === null) problems[`${prefix}.${i}.to`] = 'format';
    if (from === null || to === null) return;
    if (from >= to) {
      problems[`${prefix}.${i}.to`] = 'order';
      return;
    }
    // Periods are [from, to): 08:00–12:00 and 12:00–18:00 touch without overlapping.
    if (periods.some(([f, t]) => from < t && f < to)) {
      problems[`${prefix}.${i}.from`] = 'overlap';
      return;
    }
    periods.push([from, to]);
  });
  return periods.sort((a, b) => a[0] - b[0]);
}

/**
 * The hours to send, or the problems to show next to their boxes.
 * `always` is null: the device shows notices at any hour.
 *
 * @example
 * toOnHours({ ...draft, mode: 'daily', daily: [{ from: '07:00', to: '20:00' }] });
 * // { ok: true, value: { utcOffsetMinutes: 480, weekly: [[[420, 1200]], … 7 times] } }
 */
export function toOnHours(draft: OnHoursDraft): { ok: true; value: OnHours | null } | { ok: false; problems: OnHoursProblems } {
  if (draft.mode === 'always') return { ok: true, value: null };
  const problems: OnHoursProblems = {};
  const weekly =
    draft.mode === 'daily'
      ? Array.from({ length: WEEKDAYS }, () => parseDay(draft.daily, 'daily', problems))
      : Array.from({ length: WEEKDAYS }, (_, d) => parseDay(draft.weekly[d] ?? [], `weekly.${d}`, problems));
  if (Object.keys(problems).length > 0) return { ok: false, problems };
  return { ok: true, value: { utcOffsetMinutes: draft.utcOffsetMinutes, weekly } };
}

/**
 * A short summary for lists: `07:00–21:00` when every day is the same, else null (the table then says "varies by day").
 */
export function uniformHours(onHours: OnHours): string | null {
  const first = onHours.weekly[0] ?? [];
  if (!onHours.weekly.every((day) => sameDay(day, first))) return null;
  return first.map(([from, to]) => `${formatClock(from)}–${formatClock(to)}`).join('、');
}
