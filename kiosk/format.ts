/**
 * Dates and times as villagers read them: 2026年11月26日, 星期四, 09:05. Always in the town's time
 * (`offset`: minutes east of UTC, from the controller), never the kiosk machine's own zone: kiosk PCs
 * are often set to UTC or to nothing at all.
 */
import { type Playlist, TOWN_UTC_OFFSET_MINUTES } from '@protocol';
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';

const WEEKDAYS = ['星期日', '星期一', '星期二', '星期三', '星期四', '星期五', '星期六'] as const;

const pad = (n: number): string => String(n).padStart(2, '0');

/** The instant shifted so its UTC fields read the town's wall clock. */
const townTime = (ms: number, offset: number): Date => new Date(ms + offset * 60_000);

/** The town's offset for the screens below it; China Standard Time until the controller says otherwise. */
export const TownOffset = createContext(TOWN_UTC_OFFSET_MINUTES);
export const useTownOffset = (): number => useContext(TownOffset);

export function formatDate(ms: number, offset = TOWN_UTC_OFFSET_MINUTES): string {
  const d = townTime(ms, offset);
  return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日`;
}

export function formatClock(ms: number, offset = TOWN_UTC_OFFSET_MINUTES): string {
  const d = townTime(ms, offset);
  return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

export function formatWeekday(ms: number, offset = TOWN_UTC_OFFSET_MINUTES): string {
  return WEEKDAYS[townTime(ms, offset).getUTCDay()] ?? '';
}

/**
 * The posting period (公示期) line: `2026年11月25日 至 2027年1月4日`, or 长期 for a long-term notice.
 *
 * @example
 * formatPostingPeriod(null, null) // '长期'
 */
export function formatPostingPeriod(startsAt: number | null, endsAt: number | null, offset = TOWN_UTC_OFFSET_MINUTES): string {
  if (endsAt === null) return startsAt === null ? '长期' : `${formatDate(startsAt, offset)} 起，长期`;
  // endsAt is exclusive: a notice shown until midnight ends on the day before.
  const lastDay = formatDate(endsAt - 1, offset);
  return startsAt === null ? `至 ${lastDay}` : `${formatDate(startsAt, offset)} 至 ${lastDay}`;
}

/**
 * Text as the kiosk can draw it: without the emoji skin-tone modifiers (U+1F3FB–U+1F3FF), which kiosk
 * PCs without a colour emoji font draw as boxes after the emoji (👍🏽 → 👍). Only what the kiosk shows;
 * the notice, its hash and the public page keep them.
 */
export function drawable(text: string): string {
  return text.replace(/[\u{1F3FB}-\u{1F3FF}]/gu, '');
}

/** A playlist's words as the kiosk can draw them ({@link drawable}); the same object when there is nothing to change. */
export function drawablePlaylist(playlist: Playlist | null): Playlist | null {
  if (!playlist || !playlist.items.some((i) => SKIN_TONE.test(i.title) || SKIN_TONE.test(i.body) || SKIN_TONE.test(i.issuer)))
    return playlist;
  return {
    ...playlist,
    items: playlist.items.map((i) => ({ ...i, title: drawable(i.title), body: drawable(i.body), issuer: drawable(i.issuer) })),
  };
}

const SKIN_TONE = /[\u{1F3FB}-\u{1F3FF}]/u;

/** Splits plain notice text into paragraphs at blank lines; never HTML. */
export function paragraphs(body: string): string[] {
  return body
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter((p) => p !== '');
}
