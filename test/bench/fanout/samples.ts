/** What a fan-out run collects per round, and the plan it follows. */
import type { RoundReport } from './ipc.js';

export interface Plan {
  /** Rounds run first and not counted: JIT, first fetch, first fsync of a new ledger segment. */
  warmup: number;
  rounds: number;
  /** Minimum pause before each push, so each is isolated (T1 measures isolated broadcasts). */
  gapMs: number;
  roundTimeoutMs: number;
  readyTimeoutMs: number;
}

export interface Samples {
  /** Trigger → last client has it, per round: the headline figure. */
  all: number[];
  /** Trigger → first client has it, per round. */
  first: number[];
  /** Trigger → each client has it, every delivery of every round. */
  deliveries: number[];
  payloadBytes: number;
  connectMs: number;
}

export function emptySamples(connectMs: number): Samples {
  return { all: [], first: [], deliveries: [], payloadBytes: 0, connectMs };
}

/** Records a round triggered at monotonic time `t0`. */
export function addRound(samples: Samples, t0: number, report: RoundReport): void {
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const at of report.times) {
    first = Math.min(first, at);
    last = Math.max(last, at);
    samples.deliveries.push(at - t0);
  }
  samples.all.push(last - t0);
  samples.first.push(first - t0);
  samples.payloadBytes = Math.max(samples.payloadBytes, report.payloadBytes);
}
