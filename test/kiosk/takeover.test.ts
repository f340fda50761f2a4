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
});
