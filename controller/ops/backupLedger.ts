/**
 * Where a backup's copy of the ledger may end: only at a record the running
 * controller has acknowledged, proved from the files alone.
 *
 * The rule. The ledger writes one batch at a time: a batch is written only
 * after the previous batch's fdatasync returned, and a batch that fails is cut
 * off the file before the next one is written. All records of one batch carry
 * the same `ts`. So a record R is acknowledged once a record with a different
 * `ts` (a later batch) follows it and R's bytes are still where they were. A
 * backup therefore:
 * - cuts each segment back to whole lines at the size taken once, as before;
 * - treats the trailing run of records sharing the last record's `ts` (the
 *   batch that may still be in its fdatasync) as unproven, and waits a short
 *   while for a later batch (in the same segment or a newer one) to prove it;
 * - if none comes (an idle ledger), ends the archive before that run, at a
 *   record the run itself proves;
 * - checks again, once the archive is written, that the last copied record is
 *   still there.
 * Without a running controller (no live lock, or the controller's own start
 * before its ledger runs) every whole line is final and all are copied.
 */
import { open, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { GENESIS_HASH } from '../store/ledger.js';

/** A ledger segment's file name. */
export const SEGMENT = /^\d{4}-\d{2}\.jsonl$/;

/** The last record copied, where it ends in its segment: checked again once the archive is written. */
export interface LedgerTail {
  file: string;
  end: number;
  line: Buffer;
}

interface Line {
  start: number;
  end: number; // after the newline
  text: string;
}

async function readRange(file: string, start: number, length: number): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, start);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** The byte length of `file`'s whole lines within its first `size` bytes. */
export async function wholeLength(file: string, size: number): Promise<number> {
  for (let window = 64 * 1024; ; window *= 4) {
    const start = Math.max(0, size - window);
    const end = (await readRange(file, start, size - start)).lastIndexOf(0x0a);
    if (end >= 0) return start + end + 1;
    if (start === 0) return 0;
  }
}

const tsOf = (text: string): unknown => (JSON.parse(text) as { ts?: unknown }).ts;

/**
 * The whole lines ending at `length` that share the last line's `ts`, and the line just before them (null when the
 * run reaches the start of the file).
 */
export async function trailingRun(file: string, length: number): Promise<{ last: Line; runStart: number; before: Line | null } | null> {
  if (length === 0) return null;
  for (let window = 64 * 1024; ; window *= 4) {
    const start = Math.max(0, length - window);
    const bytes = await readRange(file, start, length - start);
    const lines: Line[] = [];
    let at = bytes.length - 1; // the final newline
    while (at > 0) {
      const from = bytes.lastIndexOf(0x0a, at - 1) + 1;
      if (from === 0 && start > 0) break; // the line may begin before this window
      lines.push({ start: start + from, end: start + at + 1, text: bytes.toString('utf8', from, at) });
      at = from - 1;
    }
    const [last] = lines;
    if (!last) {
      if (start === 0) return null;
      continue;
    }
    const ts = tsOf(last.text);
    const differing = lines.findIndex((l) => tsOf(l.text) !== ts);
    if (differing >= 0) {
      const before = lines[differing] ?? null;
      return { last, runStart: before?.end ?? 0, before };
    }
    if (start === 0) return { last, runStart: 0, before: null };
  }
}

/** Whether the record in `tail` is still at its place with the same bytes. */
export async function tailStillThere(tail: LedgerTail): Promise<boolean> {
  const bytes = await readRange(tail.file, tail.end - tail.line.length, tail.line.length);
  return bytes.equals(tail.line);
}

/**
 * Whether a later batch now follows `tail` (whose records carry `ts`): a whole line with another `ts` after it in its
 * segment, or a whole line in a newer segment; and `tail` is still in place after that was seen.
 */
export async function laterBatchFollows(tail: LedgerTail, ts: unknown, newerSegments: () => Promise<string[]>): Promise<boolean> {
  let proved = false;
  const size = (await stat(tail.file)).size;
  for (let from = tail.end; from < size && !proved;) {
    const bytes = await readRange(tail.file, from, Math.min(size - from, 1024 * 1024));
    let at = 0;
    for (let nl = bytes.indexOf(0x0a); nl >= 0; nl = bytes.indexOf(0x0a, at)) {
      if (tsOf(bytes.toString('utf8', at, nl)) !== ts) {
        proved = true;
        break;
      }
      at = nl + 1;
    }
    if (at === 0) break; // no whole line yet
    from += at;
  }
  if (!proved) {
    for (const segment of await newerSegments()) {
      if ((await wholeLength(segment, (await stat(segment)).size)) > 0) proved = true;
    }
  }
  return proved && (await tailStillThere(tail));
}

export interface CopiedSegment {
  name: string;
  file: string;
  length: number;
  mode: number;
  mtimeMs: number;
}

const record = (text: string): { seq: number; headHash: string } => {
  const r = JSON.parse(text) as { seq: number; hash: string };
  return { seq: r.seq, headHash: r.hash };
};
const tailAt = (file: string, line: { end: number; text: string }): LedgerTail => ({
  file,
  end: line.end,
  line: Buffer.from(`${line.text}\n`, 'utf8'),
});

/**
 * The head the archive ends at (see backupLedger.ts for the rule): with a live ledger, the last batch is copied only
 * once a later batch proves it acknowledged; otherwise the copy of its segment is cut back to before it.
 */
export async function ledgerEnd(
  ledgerDir: string,
  copied: CopiedSegment[],
  live: { proofWaitMs: number } | null,
): Promise<{ head: { seq: number; headHash: string }; tail: LedgerTail | null; newest: number }> {
  for (let i = copied.length - 1; i >= 0; i--) {
    const segment = copied[i];
    if (!segment) continue;
    const run = await trailingRun(segment.file, segment.length);
    if (!run) continue;
    const newest = record(run.last.text).seq;
    const tail = tailAt(segment.file, run.last);
    if (!live) return { head: record(run.last.text), tail, newest };
    const ts = (JSON.parse(run.last.text) as { ts?: unknown }).ts;
    const newer = async () =>
      (await readdir(ledgerDir)).filter((n) => SEGMENT.test(n) && n > segment.name).map((n) => path.join(ledgerDir, n));
    const deadline = Date.now() + live.proofWaitMs;
    for (;;) {
      if (await laterBatchFollows(tail, ts, newer)) return { head: record(run.last.text), tail, newest };
      if (Date.now() >= deadline) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    // No later batch came: end before the unproven run, at a record the run itself proves acknowledged.
    segment.length = run.runStart;
    if (run.before) {
      const before = run.before;
      return {
        head: record(before.text),
        tail: tailAt(segment.file, before),
        newest,
      };
    }
    // The run filled the segment: its whole batch came after the newest record of an older segment.
    for (let j = i - 1; j >= 0; j--) {
      const older = copied[j];
      const last = older && (await trailingRun(older.file, older.length));
      if (older && last)
        return {
          head: record(last.last.text),
          tail: tailAt(older.file, last.last),
          newest,
        };
    }
    return { head: { seq: 0, headHash: GENESIS_HASH }, tail: null, newest };
  }
  return { head: { seq: 0, headHash: GENESIS_HASH }, tail: null, newest: 0 };
}
