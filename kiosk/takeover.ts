/**
 * When a warning holds the whole screen. A warning takes over the screen when
 * it arrives or changes; after its level's full-screen time the villager may
 * browse the other notices under a warning banner, and after the level's
 * interval it takes the whole screen again, for as long as it lasts. With
 * several warnings the longest full-screen time and the shortest interval of
 * their levels apply. Pure: the app keeps the state and calls
 * {@link stepTakeover} on every tick.
 */
import { DEFAULT_EMERGENCY_TAKEOVER, type EmergencyLevel, type EmergencyTakeover, type PlaylistItem } from '@protocol';

export interface TakeoverState {
  /** The warning versions (noticeId:contentHash) the screen has taken over for. */
  seen: readonly string[];
  /** When the current (or last) whole-screen takeover began; null = none yet. */
  fullSince: number | null;
  /** The warnings (notice ids) whose text changed while on this screen: shown as updated until they leave. */
  updated: readonly string[];
}

export const initialTakeover: TakeoverState = { seen: [], fullSince: null, updated: [] };

export type TakeoverMode = 'none' | 'full' | 'banner';

export interface TakeoverStep {
  state: TakeoverState;
  mode: TakeoverMode;
  /** While `mode` is 'full': when the villager may browse again. While 'banner': when the whole screen is taken again. */
  until: number | null;
}

const MINUTE_MS = 60_000;

const keyOf = (item: PlaylistItem): string => `${item.noticeId}:${item.contentHash}`;

/** The full-screen time and interval that apply to these levels (longest hold, soonest return). */
export function takeoverTimesFor(
  levels: readonly EmergencyLevel[],
  settings: EmergencyTakeover = DEFAULT_EMERGENCY_TAKEOVER,
): { fullMs: number; againMs: number } {
  const times = levels.map((level) => settings[level] ?? DEFAULT_EMERGENCY_TAKEOVER[level]);
  return {
    fullMs: Math.max(...times.map((t) => t.fullScreenMin)) * MINUTE_MS,
    againMs: Math.min(...times.map((t) => t.againAfterMin)) * MINUTE_MS,
  };
}

/**
 * The screen's mode at `now` for the active `warnings`. A new or changed warning takes the whole
 * screen at once, even from a villager who is browsing; the scheduled return waits while `browsing`
 * (the banner is on screen meanwhile) and comes when the visit ends. A changed one is marked
 * updated (`state.updated`) for as long as it stays.
 *
 * @example
 * const step = stepTakeover(state, warnings, Date.now(), { browsing: false, settings: playlist.takeover });
 */
export function stepTakeover(
  state: TakeoverState,
  warnings: readonly PlaylistItem[],
  now: number,
  options: { browsing: boolean; settings?: EmergencyTakeover | undefined },
): TakeoverStep {
  if (warnings.length === 0) return { state: initialTakeover, mode: 'none', until: null };
  const keys = warnings.map(keyOf);
  const arrived = keys.some((key) => !state.seen.includes(key));
  const changed = warnings
    .filter((w) => !state.seen.includes(keyOf(w)) && state.seen.some((key) => key.startsWith(`${w.noticeId}:`)))
    .map((w) => w.noticeId);
  const updated = [...new Set([...state.updated, ...changed])].filter((id) => warnings.some((w) => w.noticeId === id));
  let fullSince = arrived || state.fullSince === null ? now : state.fullSince;
  const levels = warnings.flatMap((w) => (w.emergency ? [w.emergency.level] : []));
  const { fullMs, againMs } = takeoverTimesFor(levels.length > 0 ? levels : ['red'], options.settings);
  const next = (since: number): TakeoverState => ({ seen: keys, fullSince: since, updated });
  if (now < fullSince + fullMs) return { state: next(fullSince), mode: 'full', until: fullSince + fullMs };
  const returnAt = fullSince + fullMs + againMs;
  if (now < returnAt || options.browsing) return { state: next(fullSince), mode: 'banner', until: returnAt };
  fullSince = now;
  return { state: next(fullSince), mode: 'full', until: fullSince + fullMs };
}
