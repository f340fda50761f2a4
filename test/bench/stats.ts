/** Percentiles and the clock every benchmark process shares. */
import type { Figures } from './bench.js';

/**
 * Nearest-rank percentile: always a value that was actually observed, so with
 * 100 rounds p99 is the second-worst round, never an interpolation.
 *
 * @example
 * percentile([5, 1, 3], 50); // 3
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new Error('percentile of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] ?? Number.NaN;
}

export function summarise(values: readonly number[]): Figures {
  return { p50: percentile(values, 50), p99: percentile(values, 99) };
}

/**
 * CLOCK_MONOTONIC in milliseconds. On Linux it is one clock for every process
 * on the machine, so a time stamped in the client process can be subtracted
 * from one stamped in the server process; `performance.timeOrigin` is derived
 * from the wall clock at each process's start and can be off by a millisecond.
 */
export function monotonicMs(): number {
  return Number(process.hrtime.bigint() / 1000n) / 1000;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
