/**
 * Checks one ledger segment's own chain from its bytes: every line parses as a
 * JSON record, `seq` counts up by one, `prevHash` is the previous line's
 * `hash`, and `hash` is SHA-256 of `prevHash + "\n" + the line without its
 * `"hash":"…"` member`. The line as written IS the hashed canonical encoding
 * plus that member, so nothing is re-encoded: the rule an auditor applies is
 * the one applied here, on bytes (see `verify.ts`).
 *
 * The segment's first record is taken at its word (its `seq` and `prevHash`);
 * the caller checks that seam against the previous segment, which is what
 * lets segments be checked in parallel. Runs in a worker thread
 * (`verifyWorker.ts`) or in-process; imports nothing but Node and the record
 * definition.
 */
import { hash as oneShotHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { createLineScanner } from './lineScan.js';
import { type LedgerRecord, type UnhashedRecord, hashRecord } from './records.js';

const CHUNK = 4 * 1024 * 1024;
const NEWLINE = 0x0a;
const HASH_KEY = Buffer.from('"hash":"');
/** `"hash":"` + 64 hex digits + `"`. */
const HASH_MEMBER_BYTES = HASH_KEY.length + 64 + 1;
const HEX_HASH = /^[0-9a-f]{64}$/;
const COMMA = 0x2c;

export interface SegmentBreak {
  /** 1-based line within the segment. */
  line: number;
  seq: number | null;
  reason: string;
}

/**
 * How much of a segment to check: its size when the verification began (a
 * live ledger keeps growing; what was appended since is for the next check),
 * and whether it is the newest segment, the only one that may end in an
 * unfinished line.
 */
export interface SegmentExtent {
  bytes: number;
  last: boolean;
}

export interface SegmentResult {
  /** Records that verified before the break (all of them if none). */
  records: number;
  /** Bytes after the newest segment's last newline: a write in progress or a torn tail, not checked. */
  tornTail: number;
  /** The first record's own `seq` and `prevHash`, to be checked against the previous segment; null if it did not parse. */
  first: { seq: unknown; prevHash: unknown } | null;
  /** The last record that verified, and where its line starts in the file. */
  last: { seq: number; hash: string; offset?: number } | null;
  broken: SegmentBreak | null;
}

/** An exported checkpoint: the chain must pass through `seq` with exactly this hash. */
export interface CheckpointClaim {
  seq: number;
  headHash: string;
}

/** Bytes kept free before every line, for `prevHash + "\n"` (see `lineHashes`). */
const HEAD = 65;

/**
 * The lines of a file as byte ranges of a reused buffer, read in large chunks
 * (a line may span chunks). Each line has `HEAD` bytes before it that belong
 * to no unread line, and the callback may overwrite them and the line itself.
 */
async function eachLine(
  file: string,
  extent: SegmentExtent,
  onLine: (buffer: Buffer, start: number, end: number, offset: number) => boolean,
  from = 0,
): Promise<{ tornTail: number }> {
  const handle = await open(file, 'r');
  try {
    let buffer = Buffer.allocUnsafe(HEAD + CHUNK);
    /** Bytes of an unfinished line carried over, from HEAD. */
    let carried = 0;
    let left = Math.max(0, extent.bytes - from);
    /** The file offset of the byte at HEAD. */
    let base = from;
    let position = from;
    for (;;) {
      if (HEAD + carried === buffer.length) {
        // One line longer than the buffer: grow it.
        const bigger = Buffer.allocUnsafe(HEAD + 2 * (buffer.length - HEAD));
        buffer.copy(bigger, HEAD, HEAD, HEAD + carried);
        buffer = bigger;
      }
      const room = Math.min(buffer.length - HEAD - carried, left);
      const { bytesRead } = room > 0 ? await handle.read(buffer, HEAD + carried, room, position) : { bytesRead: 0 };
      left -= bytesRead;
      position += bytesRead;
      const end = HEAD + carried + bytesRead;
      if (bytesRead === 0) {
        // Bytes after the last newline of the newest segment are a batch being written (or one a crash tore, which the
        // controller cuts at start): not yet a record of the chain. Anywhere else they are a line to check, and fail.
        if (carried > 0 && extent.last) return { tornTail: carried };
        if (carried > 0) onLine(buffer, HEAD, end, base);
        return { tornTail: 0 };
      }
      let start = HEAD;
      for (let nl = buffer.indexOf(NEWLINE, start); nl >= 0 && nl < end; nl = buffer.indexOf(NEWLINE, start)) {
        if (!onLine(buffer, start, nl, base + start - HEAD)) return { tornTail: 0 };
        start = nl + 1;
      }
      base += start - HEAD;
      buffer.copyWithin(HEAD, start, end);
      carried = end - start;
    }
  } finally {
    await handle.close();
  }
}

/**
 * The bytes `hashMatches` takes out of a line, to put back (a `"hash":"…"` member is about 75 bytes). One per
 * thread is enough: it is used only within one synchronous call.
 */
let kept = Buffer.allocUnsafe(256);

/**
 * Whether the line's bytes without `[memberStart, memberEnd)` (the
 * `"hash":"…"` member) and the comma joining it hash after `prevHash` to
 * `hash`: the record is byte for byte what was written. Builds
 * `prevHash + "\n" + body` in place, over the free bytes before the line and
 * the line itself, and puts the line back as it was when it does not match.
 */
function hashMatches(
  buffer: Buffer,
  start: number,
  end: number,
  member: { start: number; end: number },
  prevHash: string,
  hash: string,
): boolean {
  let cut = member.start;
  let resume = member.end;
  if (cut > start && buffer[cut - 1] === COMMA) cut--;
  else if (resume < end && buffer[resume] === COMMA) resume++;
  const removed = resume - cut;
  if (removed > kept.length) kept = Buffer.allocUnsafe(removed);
  for (let i = 0; i < removed; i++) kept[i] = buffer[cut + i] ?? 0;
  buffer.copyWithin(cut, resume, end);
  buffer.write(prevHash, start - HEAD, 64, 'latin1');
  buffer[start - 1] = NEWLINE;
  if (oneShotHash('sha256', buffer.subarray(start - HEAD, end - removed), 'hex') === hash) return true;
  buffer.copyWithin(resume, cut, end - removed);
  kept.copy(buffer, cut, 0, removed);
  return false;
}

/** `hashMatches` for a line that was parsed, not scanned: its `"hash":"<hash>"` member found by search. */
function lineHashes(buffer: Buffer, start: number, end: number, prevHash: string, hash: string): boolean {
  let at = buffer.indexOf(HASH_KEY, start);
  while (at >= 0 && at + HASH_MEMBER_BYTES <= end) {
    if (buffer.toString('latin1', at + HASH_KEY.length, at + HASH_KEY.length + 64) === hash && buffer[at + HASH_MEMBER_BYTES - 1] === 0x22)
      break;
    at = buffer.indexOf(HASH_KEY, at + 1);
  }
  if (at < 0 || at + HASH_MEMBER_BYTES > end) return false;
  return hashMatches(buffer, start, end, { start: at, end: at + HASH_MEMBER_BYTES }, prevHash, hash);
}

function isRecord(value: unknown): value is Partial<LedgerRecord> & Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkpointMissed(against: CheckpointClaim, hash: string): string {
  return `the record at checkpoint seq ${against.seq} has hash ${hash}, not the checkpoint's ${against.headHash}`;
}

/**
 * Where an incremental check starts: the line at `offset` must be the record
 * `seq` with exactly `hash` (verified earlier), and the chain goes on from it.
 */
export interface SegmentAnchor {
  offset: number;
  seq: number;
  hash: string;
}

/** Checks one segment file (from `anchor` on, if given); stops at its first broken line. */
export async function checkSegment(
  file: string,
  extent: SegmentExtent,
  against?: CheckpointClaim,
  anchor?: SegmentAnchor,
): Promise<SegmentResult> {
  const result: SegmentResult = { records: 0, tornTail: 0, first: null, last: null, broken: null };
  let expectedSeq = 0;
  let prevHash = '';
  let lineNo = 0;
  let lastOffset = 0;
  const brk = (seq: number | null, reason: string): false => {
    result.broken = { line: lineNo, seq, reason };
    return false;
  };
  const scanner = createLineScanner();
  const member = { start: 0, end: 0 };
  const { tornTail } = await eachLine(
    file,
    extent,
    (buffer, start, end, offset) => {
      lineNo++;
      lastOffset = offset;
      if (anchor && lineNo === 1) return anchorHolds(buffer, start, end);
      // Fast path: the bytes scanned as JSON, the three members read where they are. Anything else, or any doubt, is
      // left to the slow path below, which parses the line and names what is wrong.
      if (lineNo > 1 && scanner.scan(buffer, start, end)) {
        const m = scanner.members;
        if (
          m.seq === expectedSeq &&
          m.prevHashEnd - m.prevHashStart === 64 &&
          buffer.toString('latin1', m.prevHashStart, m.prevHashEnd) === prevHash &&
          m.hashEnd - m.hashStart === 64
        ) {
          const hash = buffer.toString('latin1', m.hashStart, m.hashEnd);
          member.start = m.hashMemberStart;
          member.end = m.hashMemberEnd;
          if (hashMatches(buffer, start, end, member, prevHash, hash)) {
            if (against && m.seq === against.seq && hash !== against.headHash) return brk(m.seq, checkpointMissed(against, hash));
            prevHash = hash;
            expectedSeq++;
            result.records++;
            return true;
          }
        }
      }
      let record: unknown;
      try {
        record = JSON.parse(buffer.toString('utf8', start, end));
      } catch {
        return brk(null, 'not a JSON record');
      }
      if (!isRecord(record)) return brk(null, 'not a JSON record');
      const seq = typeof record.seq === 'number' ? record.seq : null;
      if (lineNo === 1) {
        result.first = { seq: record.seq, prevHash: record.prevHash };
        // Not reported when the previous segment's end already tells this record's seq or prevHash is wrong.
        if (seq === null || typeof record.prevHash !== 'string' || !HEX_HASH.test(record.prevHash)) {
          return brk(seq, 'the record has no seq or prevHash');
        }
        expectedSeq = seq;
        prevHash = record.prevHash;
      }
      if (seq !== expectedSeq) return brk(seq, `expected seq ${expectedSeq}: a record was deleted, inserted or moved`);
      if (record.prevHash !== prevHash) return brk(seq, 'prevHash does not match the previous record: the chain was cut or reordered');
      const hash = record.hash;
      if (typeof hash !== 'string' || !lineHashes(buffer, start, end, prevHash, hash)) {
        const { hash: _stated, ...rest } = record;
        if (hashRecord(rest as UnhashedRecord) !== hash) return brk(seq, 'hash does not match the content: the record was edited');
        return brk(seq, 'the line is not the encoding that was written (re-encoded or padded), although its content still hashes');
      }
      if (against && seq === against.seq && hash !== against.headHash) {
        return brk(seq, checkpointMissed(against, hash));
      }
      prevHash = hash;
      expectedSeq++;
      result.records++;
      return true;
    },
    anchor?.offset ?? 0,
  );
  result.tornTail = tornTail;
  if (result.records > 0) result.last = { seq: expectedSeq - 1, hash: prevHash, offset: lastOffset };
  else if (anchor && !result.broken) result.broken = { line: 0, seq: anchor.seq, reason: anchorGone(anchor) };
  return result;

  /** The anchor line: its own hash must hold and be the one verified before; then the chain continues from it. */
  function anchorHolds(buffer: Buffer, start: number, end: number): boolean {
    const a = anchor as SegmentAnchor;
    let record: unknown;
    try {
      record = JSON.parse(buffer.toString('utf8', start, end));
    } catch {
      return brk(null, anchorGone(a));
    }
    if (!isRecord(record) || record.seq !== a.seq || typeof record.prevHash !== 'string') return brk(null, anchorGone(a));
    if (record.hash !== a.hash || !lineHashes(buffer, start, end, record.prevHash, a.hash)) {
      return brk(a.seq, `the record at seq ${a.seq} no longer has the hash verified before (${a.hash}): the ledger was rewritten`);
    }
    expectedSeq = a.seq + 1;
    prevHash = a.hash;
    result.first = { seq: a.seq, prevHash: record.prevHash };
    result.records++;
    return true;
  }
}

function anchorGone(a: SegmentAnchor): string {
  return `the record at seq ${a.seq}, verified before at byte ${a.offset}, is not there: the ledger was truncated or rewritten`;
}
