import { describe, expect, it } from 'vitest';
import {
  MIN_SEGMENT_MS,
  type RotationState,
  checkpoint,
  initialRotation,
  move,
  positionOf,
  present,
  resume,
  tick,
} from '../../kiosk/rotation';
import { HASH_A, HASH_B, item } from './fixtures';

const plain = { firstReceiptAfterMs: null };
const a = item({ noticeId: 'a', durationSec: 10 });
const b = item({ noticeId: 'b', durationSec: 20 });
const c = item({ noticeId: 'c', durationSec: 10 });

function start(active = [a, b, c], at = 0): RotationState {
  return tick(initialRotation, active, at, plain).state;
}

describe('rotation', () => {
  it('starts with the first active item and shows nothing when there is nothing', () => {
    expect(start().showing?.noticeId).toBe('a');
    expect(tick(initialRotation, [], 0, plain).state.showing).toBeNull();
  });

  it('keeps a card for its duration, then moves on and reports the segment', () => {
    const s0 = start();
    const early = tick(s0, [a, b, c], 9_999, plain);
    expect(early.segments).toEqual([]);
    expect(early.state.showing?.noticeId).toBe('a');

    const due = tick(early.state, [a, b, c], 10_000, plain);
    expect(due.segments).toEqual([{ noticeId: 'a', contentHash: HASH_A, startedAt: 0, endedAt: 10_000 }]);
    expect(due.state.showing).toMatchObject({ noticeId: 'b', cardSince: 10_000, segmentSince: 10_000 });

    // b lasts 20 s; then c; then back to a.
    const afterB = tick(tick(due.state, [a, b, c], 29_000, plain).state, [a, b, c], 30_000, plain);
    expect(afterB.state.showing?.noticeId).toBe('c');
    expect(tick(afterB.state, [a, b, c], 40_000, plain).state.showing?.noticeId).toBe('a');
  });

  it('a single notice is shown again and each showing is reported', () => {
    const s0 = start([a]);
    const step = tick(s0, [a], 10_000, plain);
    expect(step.segments).toHaveLength(1);
    expect(step.state.showing).toMatchObject({ noticeId: 'a', segmentSince: 10_000 });
  });

  it('moves on at once when the notice on screen leaves the playlist', () => {
    const s0 = start([a, b, c]);
    const shownB = tick(s0, [a, b, c], 10_000, plain).state;
    const gone = tick(shownB, [a, c], 12_000, plain);
    expect(gone.segments).toEqual([{ noticeId: 'b', contentHash: HASH_A, startedAt: 10_000, endedAt: 12_000 }]);
    expect(gone.state.showing?.noticeId).toBe('c'); // the card that took b's place
  });

  it('treats a new version of the notice (another content hash) as a different card', () => {
    const s0 = start([a]);
    const corrected = { ...a, contentHash: HASH_B };
    const step = tick(s0, [corrected], 3_000, plain);
    expect(step.segments).toEqual([{ noticeId: 'a', contentHash: HASH_A, startedAt: 0, endedAt: 3_000 }]);
    expect(step.state.showing).toMatchObject({ noticeId: 'a', contentHash: HASH_B, cardSince: 3_000 });
  });

  it('empties the screen when the playlist empties', () => {
    const step = tick(start([a]), [], 5_000, plain);
    expect(step.state.showing).toBeNull();
    expect(step.segments).toHaveLength(1);
  });

  it('cuts each card’s first segment early when asked, without changing the card', () => {
    const options = { firstReceiptAfterMs: 2_000 };
    const s0 = tick(initialRotation, [a, b], 0, options).state;
    expect(tick(s0, [a, b], 1_999, options).segments).toEqual([]);
    const cut = tick(s0, [a, b], 2_000, options);
    expect(cut.segments).toEqual([{ noticeId: 'a', contentHash: HASH_A, startedAt: 0, endedAt: 2_000 }]);
    expect(cut.state.showing).toMatchObject({ noticeId: 'a', cardSince: 0, segmentSince: 2_000 });
    // Once per card: the rest of the showing is reported when the card leaves.
    expect(tick(cut.state, [a, b], 4_000, options).segments).toEqual([]);
    const leave = tick(cut.state, [a, b], 10_000, options);
    expect(leave.segments).toEqual([{ noticeId: 'a', contentHash: HASH_A, startedAt: 2_000, endedAt: 10_000 }]);
    // The next card gets its own early cut.
    expect(tick(leave.state, [a, b], 12_000, options).segments).toEqual([
      { noticeId: 'b', contentHash: HASH_A, startedAt: 10_000, endedAt: 12_000 },
    ]);
  });

  it('puts a newly published notice on screen at once', () => {
    const s0 = tick(start([a, b]), [a, b], 10_000, plain).state; // b on screen since 10 s
    const step = present(s0, [c, a, b], 13_000, 0);
    expect(step.segments).toEqual([{ noticeId: 'b', contentHash: HASH_A, startedAt: 10_000, endedAt: 13_000 }]);
    expect(step.state.showing).toMatchObject({ noticeId: 'c', cardSince: 13_000, slot: 0 });
    // Already on screen: nothing changes.
    expect(present(step.state, [c, a, b], 14_000, 0)).toEqual({ state: step.state, segments: [] });
  });

  it('does not report showings shorter than a second', () => {
    const step = tick(start([a, b]), [b], MIN_SEGMENT_MS - 1, plain);
    expect(step.segments).toEqual([]);
    expect(step.state.showing?.noticeId).toBe('b');
  });

  it('restarts the card instead of reporting a negative interval when the clock goes back', () => {
    const s0 = start([a], 50_000);
    const back = tick(s0, [a], 20_000, plain);
    expect(back.segments).toEqual([]);
    expect(back.state.showing).toMatchObject({ cardSince: 20_000, segmentSince: 20_000 });
  });

  it('next and previous end the card now and wrap around', () => {
    const s0 = start([a, b, c]);
    const next = move(s0, [a, b, c], 4_000, 1);
    expect(next.segments).toEqual([{ noticeId: 'a', contentHash: HASH_A, startedAt: 0, endedAt: 4_000 }]);
    expect(next.state.showing?.noticeId).toBe('b');
    expect(move(s0, [a, b, c], 4_000, -1).state.showing?.noticeId).toBe('c');
    expect(positionOf(next.state.showing, [a, b, c])).toBe(1);
  });

  it('checkpoint closes the segment but keeps the card', () => {
    const step = checkpoint(start([a]), 5_000);
    expect(step.segments).toEqual([{ noticeId: 'a', contentHash: HASH_A, startedAt: 0, endedAt: 5_000 }]);
    expect(step.state.showing).toMatchObject({ noticeId: 'a', cardSince: 0, segmentSince: 5_000 });
  });
});

describe('resume', () => {
  it('starts the card afresh after the cards were hidden, so the hidden time is never reported', () => {
    const hidden = checkpoint(start(), 4_000);
    expect(hidden.segments).toEqual([{ noticeId: 'a', contentHash: HASH_A, startedAt: 0, endedAt: 4_000 }]);
    const back = resume(hidden.state, 60_000);
    expect(back.segments).toEqual([]);
    expect(back.state.showing).toMatchObject({ noticeId: 'a', cardSince: 60_000, segmentSince: 60_000 });
    expect(tick(back.state, [a, b, c], 69_000, plain).segments).toEqual([]);
    expect(tick(back.state, [a, b, c], 70_000, plain).segments).toEqual([
      { noticeId: 'a', contentHash: HASH_A, startedAt: 60_000, endedAt: 70_000 },
    ]);
    expect(resume(initialRotation, 5).state).toBe(initialRotation);
  });
});
