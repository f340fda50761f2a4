/** Times for staff: 2026-11-26 09:05 (local). */

const pad = (n: number): string => String(n).padStart(2, '0');

export function formatDateTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function formatTime(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
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
