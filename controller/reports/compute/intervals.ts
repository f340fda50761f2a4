/**
 * Arithmetic on sorted, disjoint lists of half-open time intervals
 * `[from, to)` in epoch ms, and the on-hours of a device as such a list.
 */
import type { OnHours } from '../../protocol/index.js';
import type { Run } from '../projection/coverage.js';

export type { Run };

const DAY_MS = 86_400_000;

/** The parts of `runs` inside [from, to). */
export function clip(runs: readonly Run[], from: number, to: number): Run[] {
  const out: Run[] = [];
  for (const [a, b] of runs) {
    const s = Math.max(a, from);
    const e = Math.min(b, to);
    if (s < e) out.push([s, e]);
  }
  return out;
}

/** `a` without `b` (both sorted and disjoint). */
export function subtract(a: readonly Run[], b: readonly Run[]): Run[] {
  const out: Run[] = [];
  let j = 0;
  for (const [from, to] of a) {
    let start = from;
    while (j < b.length && b[j]![1] <= start) j++;
    let k = j;
    while (k < b.length && b[k]![0] < to) {
      const [bs, be] = b[k]!;
      if (bs > start) out.push([start, bs]);
      start = Math.max(start, be);
      if (start >= to) break;
      k++;
    }
    if (start < to) out.push([start, to]);
  }
  return out;
}

/** `a` ∩ `b` (both sorted and disjoint). */
export function intersect(a: readonly Run[], b: readonly Run[]): Run[] {
  return subtract(a, subtract(a, b));
}

export const total = (runs: readonly Run[]): number => runs.reduce((sum, [a, b]) => sum + (b - a), 0);

/** Sorts and joins overlapping or touching intervals. */
export function normalise(runs: readonly Run[]): Run[] {
  const sorted = [...runs].filter(([a, b]) => a < b).sort((x, y) => x[0] - y[0]);
  const out: Run[] = [];
  for (const [a, b] of sorted) {
    const last = out.at(-1);
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

/** An LED sign's daily on/off clock times (China time) as weekly on-hours; `off` before `on` runs past midnight. */
export function dailyOnHours(window: { on: string; off: string }): OnHours {
  const minutes = (t: string): number => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));
  const on = minutes(window.on);
  const off = minutes(window.off);
  const day: [number, number][] = on < off ? [[on, off]] : [...(off > 0 ? [[0, off] as [number, number]] : []), [on, 1440]];
  return { utcOffsetMinutes: 480, weekly: Array.from({ length: 7 }, () => day.map(([a, b]) => [a, b] as [number, number])) };
}

/** The times in [from, to) a device with these on-hours is on (all of it when null). */
export function onIntervals(onHours: OnHours | null, from: number, to: number): Run[] {
  if (!onHours || from >= to) return from < to ? [[from, to]] : [];
  const offset = onHours.utcOffsetMinutes * 60_000;
  const runs: Run[] = [];
  // Local midnights from the day holding `from` to the day holding `to`.
  for (let midnight = Math.floor((from + offset) / DAY_MS) * DAY_MS - offset; midnight < to; midnight += DAY_MS) {
    const weekday = (new Date(midnight + offset).getUTCDay() + 6) % 7;
    for (const [a, b] of onHours.weekly[weekday] ?? []) runs.push([midnight + a * 60_000, midnight + b * 60_000]);
  }
  return clip(normalise(runs), from, to);
}
