/**
 * A worker thread that checks ledger segments for `verifyLedger`: it receives
 * `{ id, file, extent, against }` and answers `{ id, result }` or `{ id, error }`.
 */
import { parentPort } from 'node:worker_threads';
import { type CheckpointClaim, type SegmentExtent, checkSegment } from './segmentCheck.js';

export interface SegmentJob {
  id: number;
  file: string;
  extent: SegmentExtent;
  against?: CheckpointClaim;
}

const port = parentPort;
if (!port) throw new Error('verifyWorker.ts runs as a worker thread of verifyLedger');
port.on('message', (job: SegmentJob) => {
  checkSegment(job.file, job.extent, job.against).then(
    (result) => port.postMessage({ id: job.id, result }),
    (error: unknown) => port.postMessage({ id: job.id, error: error instanceof Error ? error.message : String(error) }),
  );
});
