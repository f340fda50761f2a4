/**
 * Recomputes the ledger's hash chain from the files alone and reports the
 * first record that does not fit: an edited, deleted, reordered or inserted
 * line breaks the chain there.
 *
 * The rule, which an auditor can apply with any JSON parser and SHA-256 tool
 * (it needs nothing from this code): the segments `ledger/YYYY-MM.jsonl` in
 * name order form one sequence of lines, each ended by `\n`. Each line must
 * parse as a JSON object R with R.seq one more than the previous line's (the
 * first is 1) and R.prevHash equal to the previous line's R.hash (the first
 * is 64 zeros). Remove from the line's bytes the member `"hash":"<R.hash>"`
 * and the one comma joining it to its neighbour; SHA-256 of R.prevHash, a
 * `\n`, then those bytes must be R.hash (lowercase hex). This holds because
 * each line was written as the canonical JSON of the record (keys sorted, no
 * whitespace), which is exactly what was hashed, plus the `hash` member.
 * So the bytes themselves are checked: a line with the same content encoded
 * differently (whitespace, key order, escapes, a `\r` before the `\n`) is
 * reported too, as "not the encoding that was written", separately from an
 * edit (its content re-encoded canonically no longer hashes).
 *
 * Each segment is checked as far as it reached when the check began (a
 * running controller keeps appending), and bytes after the newest segment's
 * last `\n` are not a record yet: a batch being written, or a crash
 * mid-write, which the controller cuts at its next start and records as
 * `ledger.tail-cut`. They are reported as `tornTailBytes`, not as a break.
 *
 * Segments are checked in worker threads, one per core, each segment's own
 * chain taken from its first record; the seams (each segment's first `seq`
 * and `prevHash` against the end of the one before) are checked here.
 */
import { stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { listSegments } from './ledger.js';
import { GENESIS_HASH } from './records.js';
import { type CheckpointClaim, type SegmentExtent, type SegmentResult, checkSegment } from './segmentCheck.js';
import { checkSegmentsInWorkers } from './verifyPool.js';
import type { LedgerCheckpoint, LedgerVerification } from '../protocol/index.js';

/** A checkpoint as the check found it (`at`: when the check ran). */
export type Checkpoint = LedgerCheckpoint;

/** The check's result: the contract's `LedgerVerification` (`GET /api/ledger/verify` answers it). */
export type Verification = LedgerVerification;

export interface VerifyOptions {
  /**
   * Worker threads to check segments in; 0 checks them one after another in
   * this thread. Default: one per core (at most one per segment) once the
   * ledger holds more than `WORKERS_FROM_BYTES`, else 0 (starting a worker
   * costs more than checking a small ledger).
   */
  workers?: number;
}

/** About 70,000 records: below this, worker start-up outweighs the second core. */
export const WORKERS_FROM_BYTES = 32 * 1024 * 1024;

function defaultWorkers(extents: readonly SegmentExtent[]): number {
  if (extents.length < 2) return 0;
  const bytes = extents.reduce((sum, e) => sum + e.bytes, 0);
  return bytes < WORKERS_FROM_BYTES ? 0 : Math.min(os.availableParallelism(), extents.length);
}

/**
 * @param against a checkpoint exported earlier: the chain must pass through its
 *   `seq` with exactly its `headHash`, which proves nothing up to it changed.
 */
export async function verifyLedger(
  dataDir: string,
  now: () => number = Date.now,
  against?: CheckpointClaim,
  options: VerifyOptions = {},
): Promise<Verification> {
  const dir = path.join(dataDir, 'ledger');
  const names = await listSegments(dir);
  const files = names.map((n) => path.join(dir, n));
  // The sizes now: on a running controller the ledger grows while it is checked; what comes after is the next check's.
  const extents: SegmentExtent[] = await Promise.all(
    files.map(async (file, i) => ({ bytes: (await stat(file)).size, last: i === files.length - 1 })),
  );
  const workers = options.workers ?? defaultWorkers(extents);
  const pool = workers > 0 ? checkSegmentsInWorkers(files, extents, workers, against) : null;
  const resultOf = (i: number): Promise<SegmentResult> =>
    pool?.results[i] ?? checkSegment(files[i] ?? '', extents[i] ?? { bytes: 0, last: false }, against);
  try {
    return await joinSegments(names, resultOf, now, against);
  } finally {
    await pool?.close();
  }
}

/** Joins the segments' own results at the seams, in order, and stops at the first break. */
async function joinSegments(
  names: readonly string[],
  resultOf: (i: number) => Promise<SegmentResult>,
  now: () => number,
  against?: CheckpointClaim,
): Promise<Verification> {
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let records = 0;
  let tornTail = 0;
  for (const [i, file] of names.entries()) {
    const result = await resultOf(i);
    tornTail = result.tornTail;
    if (result.first) {
      const seq = typeof result.first.seq === 'number' ? result.first.seq : null;
      const broken = (reason: string): Verification => ({ ok: false, records, firstBroken: { file, line: 1, seq, reason } });
      if (seq !== expectedSeq) return broken(`expected seq ${expectedSeq}: a record was deleted, inserted or moved`);
      if (result.first.prevHash !== prevHash) return broken('prevHash does not match the previous record: the chain was cut or reordered');
    }
    if (result.broken) return { ok: false, records: records + result.records, firstBroken: { file, ...result.broken } };
    records += result.records;
    if (result.last) {
      expectedSeq = result.last.seq + 1;
      prevHash = result.last.hash;
    }
  }
  if (against && against.seq > expectedSeq - 1) {
    return {
      ok: false,
      records,
      firstBroken: {
        file: names.at(-1) ?? '',
        line: 0,
        seq: null,
        reason: `the ledger ends at seq ${expectedSeq - 1}, before checkpoint seq ${against.seq}`,
      },
    };
  }
  const checkpoint = { seq: expectedSeq - 1, headHash: prevHash, at: now() };
  return tornTail > 0 ? { ok: true, records, checkpoint, tornTailBytes: tornTail } : { ok: true, records, checkpoint };
}
