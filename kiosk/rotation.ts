/**
 * Attract-mode rotation as a pure state machine: functions of (state, active
 * items, now) that return the next state and the display segments that ended.
 * A segment is one uninterrupted showing of one notice version; each becomes a
 * display receipt. No timers and no clock in here, so tests never sleep.
 */
import type { PlaylistItem } from '@protocol';

/** Shorter showings (a card replaced the instant it appeared) prove nothing and are not reported. */
export const MIN_SEGMENT_MS = 1_000;

export interface Showing {
  noticeId: string;
  contentHash: string;
  /** Position in the active list when last seen; where to continue if this notice disappears. */
  slot: number;
  /** When this card came on screen; it leaves after the item's `durationSec`. */
  cardSince: number;
  /** When the current segment began (a card may be split into segments, see `firstReceiptAfterMs`). */
  segmentSince: number;
  /** Whether this card's first segment has been cut early already. */
  cut: boolean;
}

export interface RotationState {
  showing: Showing | null;
}

export interface Segment {
  noticeId: string;
  contentHash: string;
  startedAt: number;
  endedAt: number;
}

export interface RotationOptions {
  /** Cut each card's first segment after this long although the card stays (a quick first receipt); null = no early cut. */
  firstReceiptAfterMs: number | null;
}

export interface Step {
  state: RotationState;
  segments: Segment[];
}

export const initialRotation: RotationState = { showing: null };

const same = (item: PlaylistItem, showing: Showing): boolean =>
  item.noticeId === showing.noticeId && item.contentHash === showing.contentHash;

/** Index of the notice on screen within `active`, or -1 when it is gone (withdrawn, expired or replaced by a new version). */
export function positionOf(showing: Showing | null, active: readonly PlaylistItem[]): number {
  return showing ? active.findIndex((item) => same(item, showing)) : -1;
}

function show(item: PlaylistItem | undefined, slot: number, now: number): Showing | null {
  return item ? { noticeId: item.noticeId, contentHash: item.contentHash, slot, cardSince: now, segmentSince: now, cut: false } : null;
}

function segmentOf(showing: Showing, now: number): Segment[] {
  const endedAt = Math.max(now, showing.segmentSince);
  if (endedAt - showing.segmentSince < MIN_SEGMENT_MS) return [];
  return [{ noticeId: showing.noticeId, contentHash: showing.contentHash, startedAt: showing.segmentSince, endedAt }];
}

/** Ends the current card (reporting its segment) and shows the card at `slot` (wrapped). */
function replace(showing: Showing, active: readonly PlaylistItem[], slot: number, now: number): Step {
  const next = active.length === 0 ? 0 : ((slot % active.length) + active.length) % active.length;
  return { state: { showing: show(active[next], next, now) }, segments: segmentOf(showing, now) };
}

/**
 * Advances the rotation to `now`: starts the first card, moves on when the
 * card's time is up or its notice has left the playlist, and makes the early
 * first cut.
 *
 * @example
 * const { state, segments } = tick(previous, activeItems(playlist, now), now, { firstReceiptAfterMs: null });
 */
export function tick(state: RotationState, active: readonly PlaylistItem[], now: number, options: RotationOptions): Step {
  const { showing } = state;
  if (!showing) return { state: { showing: show(active[0], 0, now) }, segments: [] };
  if (now < showing.segmentSince) {
    // The clock went back (NTP fix, manual change): start the card again rather than report a negative interval.
    return { state: { showing: { ...showing, cardSince: now, segmentSince: now } }, segments: [] };
  }
  const index = positionOf(showing, active);
  const item = active[index];
  if (!item) return replace(showing, active, showing.slot, now);
  if (now - showing.cardSince >= item.durationSec * 1000) return replace(showing, active, index + 1, now);
  const cutAfter = options.firstReceiptAfterMs;
  if (!showing.cut && cutAfter !== null && now - showing.segmentSince >= cutAfter) {
    return { state: { showing: { ...showing, slot: index, segmentSince: now, cut: true } }, segments: segmentOf(showing, now) };
  }
  return { state: index === showing.slot ? state : { showing: { ...showing, slot: index } }, segments: [] };
}

/** A touch on 上一条 / 下一条: ends the current card now and shows its neighbour. */
export function move(state: RotationState, active: readonly PlaylistItem[], now: number, offset: 1 | -1): Step {
  const { showing } = state;
  if (!showing) return tick(state, active, now, { firstReceiptAfterMs: null });
  const index = positionOf(showing, active);
  return replace(showing, active, (index < 0 ? showing.slot : index) + offset, now);
}

/**
 * A newly published notice goes on screen at once instead of waiting its
 * turn: ends the current card and shows `active[index]`.
 */
export function present(state: RotationState, active: readonly PlaylistItem[], now: number, index: number): Step {
  const { showing } = state;
  const target = active[index];
  if (!target) return { state, segments: [] };
  if (!showing) return { state: { showing: show(target, index, now) }, segments: [] };
  if (positionOf(showing, active) === index) return { state, segments: [] };
  return replace(showing, active, index, now);
}

/** Closes the current segment without changing the card (the page is being hidden or reloaded). */
export function checkpoint(state: RotationState, now: number): Step {
  const { showing } = state;
  if (!showing) return { state, segments: [] };
  return { state: { showing: { ...showing, segmentSince: now } }, segments: segmentOf(showing, now) };
}

/**
 * Back on screen after the rotation was hidden (a villager browsing, or a
 * warning taking over): the card starts afresh, so the time away is never
 * reported as shown. Pair it with a {@link checkpoint} when hiding.
 */
export function resume(state: RotationState, now: number): Step {
  const { showing } = state;
  if (!showing) return { state, segments: [] };
  return { state: { showing: { ...showing, cardSince: now, segmentSince: now, cut: false } }, segments: [] };
}
