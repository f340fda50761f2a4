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
