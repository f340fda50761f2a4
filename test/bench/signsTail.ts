/**
 * Where the slowest rounds of the signs benchmark went, as far as the measured
 * process can see: each round's time against the garbage collections that ran
 * in this process during it (`PerformanceObserver` 'gc' entries).
 */
import { PerformanceObserver } from 'node:perf_hooks';

export interface Round {
  /** `performance.now()` when `show()` was called and when it resolved. */
  start: number;
  end: number;
}

export interface GcWatch {
  /** Stops watching; the collections seen, on the `performance.now()` clock. */
  stop(): Promise<Array<{ start: number; duration: number }>>;
}

export function watchGc(): GcWatch {
  const seen: Array<{ start: number; duration: number }> = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) seen.push({ start: entry.startTime, duration: entry.duration });
  });
  observer.observe({ entryTypes: ['gc'] });
  return {
    async stop() {
      // Entries are delivered on a later turn: let the last ones arrive first.
      await new Promise((resolve) => setTimeout(resolve, 10));
      for (const entry of observer.takeRecords()) seen.push({ start: entry.startTime, duration: entry.duration });
      observer.disconnect();
      return seen;
    },
  };
}

/** Milliseconds of garbage collection in this process that overlap the round. */
function gcDuring(round: Round, gcs: ReadonlyArray<{ start: number; duration: number }>): number {
  let total = 0;
  for (const gc of gcs) total += Math.max(0, Math.min(round.end, gc.start + gc.duration) - Math.max(round.start, gc.start));
  return total;
}

/**
 * One line for the benchmark's notes: the `count` slowest rounds as overhead over the bound, each with the GC time of
 * this process inside it, and the GC total over all rounds.
 */
export function describeTail(
  rounds: readonly Round[],
  gcs: ReadonlyArray<{ start: number; duration: number }>,
  bound: number,
  count = 3,
): string {
  const rows = rounds.map((r) => ({ ms: r.end - r.start, gc: gcDuring(r, gcs) }));
  const slowest = [...rows].sort((a, b) => b.ms - a.ms).slice(0, count);
  const gcTotal = rows.reduce((sum, r) => sum + r.gc, 0);
  const withGc = rows.filter((r) => r.gc > 0).length;
  const listed = slowest
    .map((r) => `${r.ms.toFixed(1)} ms (+${((r.ms / bound - 1) * 100).toFixed(1)} %, GC here ${r.gc.toFixed(1)} ms)`)
    .join(', ');
  return `slowest rounds: ${listed}; this process collected garbage in ${withGc} of ${rows.length} rounds, ${gcTotal.toFixed(1)} ms in all`;
}

/** The monotonic (`monotonicMs`) times of one round, for matching with the emulator process's exchanges. */
export interface MonotonicRound {
  t0: number;
  t1: number;
}

interface ExchangeTimes {
  firstIn: number;
  out: number;
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)] ?? Number.NaN;

/**
 * One line for the pty rows: each round split at the emulator process's time stamps (the same monotonic clock) into
 * host → first byte read by the emulator (encoding, supervisor, pty in), the emulator (wire time of frame and ACK),
 * and ACK handed to the pty → `show()` resolved (pty back, framer, decode); p50 of each part and the `count` slowest.
 */
export function describeSplit(rounds: readonly MonotonicRound[], exchanges: readonly ExchangeTimes[], count = 3): string {
  const rows = rounds.flatMap((r) => {
    const e = exchanges.find((x) => x.firstIn >= r.t0 && x.firstIn <= r.t1);
    return e ? [{ ms: r.t1 - r.t0, to: e.firstIn - r.t0, sign: e.out - e.firstIn, back: r.t1 - e.out }] : [];
  });
  if (rows.length !== rounds.length)
    return `split: only ${rows.length} of ${rounds.length} rounds matched an exchange of the emulator process`;
  const f = (n: number) => n.toFixed(1);
  const p50 = `p50 to the sign ${f(median(rows.map((r) => r.to)))} ms, sign ${f(median(rows.map((r) => r.sign)))} ms, back ${f(median(rows.map((r) => r.back)))} ms`;
  const slowest = [...rows]
    .sort((a, b) => b.ms - a.ms)
    .slice(0, count)
    .map((r) => `${f(r.ms)} = ${f(r.to)} + ${f(r.sign)} + ${f(r.back)}`);
  return `split (to the sign + sign + back, ms): ${p50}; slowest ${slowest.join(', ')}`;
}
