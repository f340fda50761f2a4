/** The warning takeover's schedule (kiosk/takeover.ts): whole screen, banner, whole screen again. */
import { describe, expect, it } from 'vitest';
import { initialTakeover, stepTakeover, takeoverTimesFor } from '../../kiosk/takeover';
import { HASH_A, HASH_B, item } from './fixtures';

const MIN = 60_000;
const red = item({ noticeId: 'r', contentHash: HASH_A, emergency: { level: 'red' } });
const blue = item({ noticeId: 'b', contentHash: HASH_B, emergency: { level: 'blue' } });

describe('the warning takeover schedule', () => {
  it('takes the longest full-screen time and the soonest return of the active levels, red/orange longer than yellow/blue by default', () => {
    expect(takeoverTimesFor(['blue'])).toEqual({ fullMs: 3 * MIN, againMs: 60 * MIN });
    expect(takeoverTimesFor(['red', 'blue'])).toEqual({ fullMs: 10 * MIN, againMs: 15 * MIN });
    const d = takeoverTimesFor(['red']);
    const y = takeoverTimesFor(['yellow']);
    expect(d.fullMs).toBeGreaterThan(y.fullMs);
    expect(d.againMs).toBeLessThan(y.againMs);
  });

  it('cycles whole screen → banner → whole screen, takes over at once for a new warning, and ends when none is left', () => {
    let step = stepTakeover(initialTakeover, [blue], 0, { browsing: false });
    expect([step.mode, step.until]).toEqual(['full', 3 * MIN]);
    step = stepTakeover(step.state, [blue], 3 * MIN, { browsing: false });
    expect([step.mode, step.until]).toEqual(['banner', 63 * MIN]);
    // Due while a villager browses: the banner stays until the visit ends.
    step = stepTakeover(step.state, [blue], 64 * MIN, { browsing: true });
    expect(step.mode).toBe('banner');
    step = stepTakeover(step.state, [blue], 65 * MIN, { browsing: false });
    expect([step.mode, step.until]).toEqual(['full', 68 * MIN]);
    step = stepTakeover(step.state, [blue], 70 * MIN, { browsing: true });
    expect(step.mode).toBe('banner');
    // A red warning arrives while browsing: whole screen at once, for red's time.
    step = stepTakeover(step.state, [red, blue], 71 * MIN, { browsing: true });
    expect([step.mode, step.until]).toEqual(['full', 81 * MIN]);
    expect(stepTakeover(step.state, [], 72 * MIN, { browsing: false })).toEqual({ state: initialTakeover, mode: 'none', until: null });
  });

  it('takes over at once when a warning’s text changes, even from a villager browsing, and marks it updated until it leaves', () => {
    let step = stepTakeover(initialTakeover, [blue], 0, { browsing: false });
    expect(step.state.updated).toEqual([]);
    step = stepTakeover(step.state, [blue], 3 * MIN, { browsing: true });
    expect(step.mode).toBe('banner');
    // Staff update it while the villager reads: whole screen at once, for a fresh full-screen time, marked updated.
    const revised = { ...blue, contentHash: HASH_A };
    step = stepTakeover(step.state, [revised], 5 * MIN, { browsing: true });
    expect([step.mode, step.until, step.state.updated]).toEqual(['full', 8 * MIN, ['b']]);
    // It stays marked through the banner and the scheduled returns; another warning arriving is new, not updated.
    step = stepTakeover(step.state, [red, revised], 9 * MIN, { browsing: false });
    expect([step.mode, step.state.updated]).toEqual(['full', ['b']]);
    // Once it leaves, the mark goes with it.
    step = stepTakeover(step.state, [red], 10 * MIN, { browsing: false });
    expect(step.state.updated).toEqual([]);
  });
});
