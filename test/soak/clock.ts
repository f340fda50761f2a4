/**
 * Simulated time for the soak: it starts at `simStart` when the wall clock
 * reads `realStart` and runs `speed` times faster. The controller gets it as
 * its injected clock; the load process computes the same time from the same
 * three numbers, so kiosks and controller agree on "now".
 */
import type { Clock } from '../../controller/clock.js';

export interface SimTime {
  simStart: number;
  realStart: number;
  speed: number;
}

export function acceleratedClock(t: SimTime): Clock {
  return { now: () => Math.round(t.simStart + (Date.now() - t.realStart) * t.speed) };
}

/** Real milliseconds that `simMs` of simulated time take. */
export const realMs = (t: SimTime, simMs: number): number => simMs / t.speed;
