/**
 * The contract between the runner (`run.ts`) and each `*.bench.ts` module: a
 * module exports `name` and `run(options)`, and returns its figures next to a
 * baseline it measured in the same run, so a reader compares like with like on
 * whatever machine produced them.
 */

export interface BenchOptions {
  /** Fewer rounds: a smoke run that proves the benchmark works, not a figure to record. */
  quick: boolean;
  /** Progress lines (stderr), so a long run shows where it is. */
  log(message: string): void;
}

/** Milliseconds. */
export interface Figures {
  p50: number;
  p99: number;
}

export interface BenchResult {
  benchmark: string;
  /** The size parameter, e.g. connected kiosks. */
  n: number;
  /** Measured rounds (warm-up rounds excluded). */
  rounds: number;
  /** Bytes of the payload each client receives. */
  payloadBytes: number;
  /** Unit of the figures; milliseconds unless set. */
  unit?: 'ms' | 'KB' | 'MB';
  measured: Figures;
  baseline: Figures & { name: string };
  /** Secondary figures printed under the table. */
  notes: string[];
}

export interface BenchModule {
  name: string;
  run(options: BenchOptions): Promise<BenchResult[]>;
}

export function isBenchModule(value: unknown): value is BenchModule {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<Record<keyof BenchModule, unknown>>;
  return typeof candidate.name === 'string' && typeof candidate.run === 'function';
}
