/**
 * Checks ledger segments in worker threads, one segment at a time per worker,
 * earliest segments first (so a break near the start is known early). Each
 * segment's result comes back as its own promise, in segment order, for
 * `verifyLedger` to join at the seams.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { CheckpointClaim, SegmentExtent, SegmentResult } from './segmentCheck.js';
import type { SegmentJob } from './verifyWorker.js';

type Reply = { id: number; result: SegmentResult; error?: undefined } | { id: number; error: string };

/**
 * The built controller runs `verifyWorker.js`; from the TypeScript sources
 * (tsx, vitest) a worker does not inherit the loader, so it registers tsx
 * itself before loading `verifyWorker.ts`. tsx's CommonJS hooks, not its ESM
 * ones: those start a hooks thread per worker and took three times as long
 * to be ready (~1 s of CPU for two workers on the loaded 2-core VM).
 */
function startWorker(): Worker {
  const self = import.meta.url;
  if (!self.endsWith('.ts')) return new Worker(new URL('./verifyWorker.js', self));
  const tsx = createRequire(self).resolve('tsx/cjs/api');
  const entry = fileURLToPath(new URL('./verifyWorker.ts', self));
  return new Worker(`require(${JSON.stringify(tsx)}).register(); require(${JSON.stringify(entry)});`, { eval: true });
}

export interface SegmentPool {
  /** One promise per file, in the order given. */
  results: Promise<SegmentResult>[];
  /** Stops the workers (also those still checking: their results are no longer needed). */
  close(): Promise<void>;
}

export function checkSegmentsInWorkers(
  files: readonly string[],
  extents: readonly SegmentExtent[],
  threads: number,
  against?: CheckpointClaim,
): SegmentPool {
  const settle = files.map(() => {
    let resolve!: (r: SegmentResult) => void;
    let reject!: (e: Error) => void;
    const promise = new Promise<SegmentResult>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    // A rejection nobody awaits (the check stopped at an earlier break) must not crash the process.
    promise.catch(() => undefined);
    return { promise, resolve, reject };
  });
  let next = 0;
  let live = 0;
  const workers: Worker[] = [];

  const start = (): Worker => {
    const worker = startWorker();
    live++;
    /** The segment this worker is checking. */
    let current: number | null = null;
    const give = (): void => {
      if (next >= files.length) {
        current = null;
        void worker.terminate();
        return;
      }
      current = next++;
      const extent = extents[current] ?? { bytes: 0, last: false };
      const job: SegmentJob = { id: current, file: files[current] ?? '', extent, ...(against ? { against } : {}) };
      worker.postMessage(job);
    };
    worker.on('message', (reply: Reply) => {
      const slot = settle[reply.id];
      if (reply.error !== undefined) slot?.reject(new Error(`checking ${files[reply.id] ?? '?'} failed: ${reply.error}`));
      else slot?.resolve(reply.result);
      give();
    });
    worker.on('error', (error) => {
      if (current !== null) settle[current]?.reject(error);
    });
    worker.on('exit', (code) => {
      // Ended mid-segment (crashed, out of memory, or closed): that segment has no result.
      if (current !== null)
        settle[current]?.reject(new Error(`the verify worker stopped (exit code ${code}) while checking ${files[current] ?? '?'}`));
      live--;
      // Segments no worker will now take.
      if (live === 0) for (const slot of settle.slice(next)) slot.reject(new Error('every verify worker stopped'));
    });
    give();
    return worker;
  };
  for (let i = 0; i < Math.min(threads, files.length); i++) workers.push(start());

  return {
    results: settle.map((s) => s.promise),
    async close() {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
