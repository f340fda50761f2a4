/** Dates and times as villagers read them: 2026年11月26日, 星期四, 09:05. Local time of the kiosk. */

const WEEKDAYS = ['星期日', '星期一', '星期二', '星期三', '星期四', '星期五', '星期六'] as const;

const pad = (n: number): string => String(n).padStart(2, '0');

export function formatDate(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}年${d.getMonth() + 1}月${d.getDate()}日`;
}

export function formatClock(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function formatWeekday(ms: number): string {
  return WEEKDAYS[new Date(ms).getDay()] ?? '';
}

/**
 * The posting period (公示期) line: `2026年11月25日 至 2027年1月4日`, or 长期 for a long-term notice.
 *
 * @example
 * formatPostingPeriod(null, null) // '长期'
 */
export function formatPostingPeriod(startsAt: number | null, endsAt: number | null): string {
  if (endsAt === null) return startsAt === null ? '长期' : `${formatDate(startsAt)} 起，长期`;
  // endsAt is exclusive: a notice shown until midnight ends on the day before.
  const lastDay = formatDate(endsAt - 1);
  return startsAt === null ? `至 ${lastDay}` : `${formatDate(startsAt)} 至 ${lastDay}`;
}

/** Splits plain notice text into paragraphs at blank lines; never HTML. */
export function paragraphs(body: string): string[] {
  return body
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter((p) => p !== '');
}
