/**
 * Durable evidence the controller produces by itself — a sign's display
 * intervals and link outages, and (on a village node) proof intervals — must
 * not be lost because one ledger write failed (a full disk, an I/O error):
 * nobody would send it again. The sink takes records in order, appends them
 * with the ledger's group commit, and on a failure keeps them and tries again
 * with back-off (0.5 s, 1 s, 2 s … 30 s) until the ledger takes them, never
 * dropping or reordering any. `put` resolves once its records are durable.
 *
 * What it cannot survive is the process dying while records wait in memory;
 * a producer that must survive that keeps its own durable outbox and puts
 * from it (the village node does).
 */
import type { Logger } from '../logger.js';
import type { Ledger, LedgerEntry } from './ledger.js';

export interface RecordSink {
  /** Queues `entries` behind everything put before; resolves once they are durable in the ledger. */
  put(entries: readonly LedgerEntry[]): Promise<void>;
  /** Records waiting to be durable. */
  backlog(): number;
  /**
   * Stops retrying: one last attempt for what waits, then anything still not durable is rejected and
   * logged as lost (at shutdown with a ledger that keeps failing there is nowhere else to keep it).
   */
  stop(): Promise<void>;
}

export interface RecordSinkDeps {
  ledger: Pick<Ledger, 'append'>;
  logger: Logger;
  retryInitialMs?: number;
  retryMaxMs?: number;
}

interface Waiting {
  entries: readonly LedgerEntry[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * @example
 * const sink = createRecordSink({ ledger, logger });
 * void sink.put([{ type: 'sign.display', signId, start, end, … }]);
 */
export function createRecordSink(deps: RecordSinkDeps): RecordSink {
  const { ledger, logger } = deps;
  const retryInitialMs = deps.retryInitialMs ?? 500;
  const retryMaxMs = deps.retryMaxMs ?? 30_000;
  let queue: Waiting[] = [];
  let pumping: Promise<void> | null = null;
  let stopping = false;
  let wake: (() => void) | null = null;

  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        wake = null;
        resolve();
      }, ms);
      wake = () => {
        clearTimeout(timer);
        wake = null;
        resolve();
      };
    });

  async function pump(): Promise<void> {
    let delay = retryInitialMs;
    while (queue.length > 0) {
      // Everything waiting goes in one append (one fsync), in the order it was put.
      const batch = queue;
      queue = [];
      try {
        await ledger.append(batch.flatMap((w) => w.entries));
        for (const w of batch) w.resolve();
        delay = retryInitialMs;
      } catch (error) {
        const count = batch.reduce((n, w) => n + w.entries.length, 0);
        queue = [...batch, ...queue];
        if (stopping) {
          const rest = queue.slice(batch.length);
          queue = [];
          logger.error(`${count} record(s) could not be made durable before stopping and are lost`, { error });
          for (const w of batch) w.reject(error);
          for (const w of rest) w.reject(error);
          return;
        }
        logger.warn(`could not append ${count} record(s) to the ledger; trying again in ${delay} ms`, { error });
        await pause(delay);
        delay = Math.min(retryMaxMs, delay * 2);
      }
    }
  }

  function kick(): void {
    pumping ??= pump().finally(() => {
      pumping = null;
      if (queue.length > 0) kick();
    });
  }

  return {
    put(entries) {
      if (entries.length === 0) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        queue.push({ entries, resolve, reject });
        kick();
      });
    },
    backlog: () => queue.reduce((n, w) => n + w.entries.length, 0),
    async stop() {
      stopping = true;
      wake?.();
      await pumping;
    },
  };
}
