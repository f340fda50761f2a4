/**
 * Times for staff, always on the town's clock (UTC+8), whatever zone the
 * staff member's own computer is set to: 2026-11-26 09:05.
 */
import { TOWN_UTC_OFFSET_MINUTES } from '@protocol';

const pad = (n: number): string => String(n).padStart(2, '0');
const OFFSET_MS = TOWN_UTC_OFFSET_MINUTES * 60_000;

/** The instant moved onto the town's wall clock, to be read with the getUTC… methods. */
const onTownClock = (ms: number): Date => new Date(ms + OFFSET_MS);

export function formatDateTime(ms: number): string {
  const d = onTownClock(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

export function formatTime(ms: number): string {
  const d = onTownClock(ms);
  return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** Epoch ms as a `datetime-local` value on the town's clock: `2026-11-26T09:05`. */
export function toTownDateTime(ms: number): string {
  return formatDateTime(ms).replace(' ', 'T');
}

/** A `datetime-local` value read on the town's clock; NaN when it is not one. */
export function fromTownDateTime(value: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(value);
  if (!m) return Number.NaN;
  const [, y, mo, d, h, mi] = m.map(Number) as [number, number, number, number, number, number];
  return Date.UTC(y, mo - 1, d, h, mi) - OFFSET_MS;
}

/** A display interval: `2026-11-26 09:05:01–09:05:31`, with the end's date only when it differs. */
export function formatInterval(startMs: number, endMs: number): string {
  const start = `${formatDateTime(startMs).slice(0, 10)} ${formatTime(startMs)}`;
  const sameDay = formatDateTime(startMs).slice(0, 10) === formatDateTime(endMs).slice(0, 10);
  return `${start}–${sameDay ? formatTime(endMs) : `${formatDateTime(endMs).slice(0, 10)} ${formatTime(endMs)}`}`;
}

/** A civil date as villagers read it: `2026-11-26` → `2026年11月26日`. */
export function formatCivilDate(date: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  return m ? `${m[1]}年${Number(m[2])}月${Number(m[3])}日` : date;
}

/**
 * 1-based position of the character at UTF-16 `index`, counting a surrogate
 * pair once: what "第 N 个字" means to a reader.
 *
 * @example
 * charPosition('𠮷野家', 2); // 2
 */
export function charPosition(text: string, index: number): number {
  return [...text.slice(0, index)].length + 1;
}
