/**
 * The ledger checked at every start and every few minutes while running, from
 * the last point verified: `<data dir>/ledger-verified.json` keeps that
 * record's segment, byte offset, seq and hash. A check reads only what came
 * after it (the record there must still be byte for byte what was verified,
 * so a truncation or a rewrite through it is caught), and moves the point to
 * the new head. Without the file (first start, a restored data directory) the
 * whole chain is checked once.
 *
 * A break holds the controller's reports back (the report routes answer
 * `ledger_broken`) and raises the alarm in the admin until staff either
 * restore the ledger (docs/OPERATIONS.md §12) or record, with a reason, that
 * they accept the ledger as it now stands; that acceptance is itself a ledger
 * record, and the check goes on from the head.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../logger.js';
import type { LedgerIntegrity, LedgerIntegrityBreak } from '../protocol/index.js';
import { writeFileDurably } from './durableFile.js';
import { type Ledger, listSegments } from './ledger.js';
import { GENESIS_HASH } from './records.js';
import { type SegmentResult, checkSegment } from './segmentCheck.js';
import { verifyLedger } from './verify.js';

export const VERIFIED_FILE = 'ledger-verified.json';
/** Recorded when staff accept a broken ledger as it stands (with their reason and the break). */
export const LEDGER_BREAK_ACCEPTED_TYPE = 'ledger.break-accepted';
/** How often a running controller checks what was appended since the last check. */
export const INTEGRITY_INTERVAL_MS = 10 * 60_000;

/** The last record verified: where its line starts, and what it was. */
export interface VerifiedMark {
  segment: string;
  offset: number;
  seq: number;
  hash: string;
  at: number;
}

export interface IntegrityCheck {
  /** Checks from the mark (or the whole chain without one); on success moves the mark to the head. */
  check(): Promise<LedgerIntegrity>;
  status(): LedgerIntegrity;
  /** Staff accept the ledger as it now stands: recorded in the ledger, the mark set to the head, reports served again. */
  accept(reason: string, actorId: string): Promise<LedgerIntegrity>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

async function readMark(file: string): Promise<VerifiedMark | null> {
  try {
    const mark = JSON.parse(await readFile(file, 'utf8')) as Partial<VerifiedMark>;
    if (
      typeof mark.segment !== 'string' ||
      typeof mark.offset !== 'number' ||
      typeof mark.seq !== 'number' ||
      typeof mark.hash !== 'string'
    )
      return null;
    return mark as VerifiedMark;
  } catch {
    return null;
  }
}

type Outcome = { ok: true; mark: VerifiedMark | null; records: number } | { ok: false; broken: LedgerIntegrityBreak; records: number };

/** The incremental check: the mark's segment from the mark, then every later segment, joined at the seams. */
async function checkFrom(dir: string, mark: VerifiedMark, now: number): Promise<Outcome> {
  const names = (await listSegments(dir)).filter((n) => n >= mark.segment);
  if (names[0] !== mark.segment) {
    return {
      ok: false,
      records: 0,
      broken: {
        file: mark.segment,
        line: 0,
        seq: mark.seq,
        reason: `segment ${mark.segment}, verified through seq ${mark.seq}, is gone: the ledger was truncated`,
      },
    };
  }
  let expectedSeq = mark.seq;
  let prevHash = mark.hash;
  let last: { seq: number; hash: string; offset: number; segment: string } | null = null;
  let records = 0;
  for (const [i, name] of names.entries()) {
    const file = path.join(dir, name);
    const extent = { bytes: (await stat(file)).size, last: i === names.length - 1 };
    const result: SegmentResult =
      i === 0 ? await checkSegment(file, extent, undefined, mark) : await checkSegment(file, extent, undefined, undefined);
    if (i > 0 && result.first) {
      const seq = typeof result.first.seq === 'number' ? result.first.seq : null;
      if (seq !== expectedSeq + 1 || result.first.prevHash !== prevHash) {
        return {
          ok: false,
          records,
          broken: {
            file: name,
            line: 1,
            seq,
            reason: `does not continue the chain from seq ${expectedSeq}: records were cut or rewritten`,
          },
        };
      }
    }
    if (result.broken) return { ok: false, records: records + result.records, broken: { file: name, ...result.broken } };
    records += result.records;
    if (result.last) {
      expectedSeq = result.last.seq;
      prevHash = result.last.hash;
      last = { ...result.last, offset: result.last.offset ?? 0, segment: name };
    }
  }
  return { ok: true, records, mark: last ? { ...last, at: now } : { ...mark, at: now } };
}

/** The whole chain, then the mark at its head (the newest segment's last line). */
async function checkAll(dataDir: string, dir: string, now: number): Promise<Outcome> {
  const result = await verifyLedger(dataDir, () => now);
  if (!result.ok) return { ok: false, records: result.records, broken: result.firstBroken };
  const newest = (await listSegments(dir)).at(-1);
  if (!newest || result.checkpoint.seq === 0) return { ok: true, records: 0, mark: null };
  // Find the head's line: a check from it (anchored at its own seq) confirms the offset.
  const file = path.join(dir, newest);
  const bytes = (await stat(file)).size - (result.tornTailBytes ?? 0);
  const tail = await readFile(file).then((b) => b.subarray(0, bytes));
  const offset = tail.lastIndexOf(0x0a, bytes - 2) + 1;
  return {
    ok: true,
    records: result.records,
    mark: { segment: newest, offset, seq: result.checkpoint.seq, hash: result.checkpoint.headHash, at: now },
  };
}

/** Where the line of record `seq` starts, searched from the end of the newest segment (it was just appended). */
async function lineOf(dir: string, seq: number): Promise<{ segment: string; offset: number } | null> {
  const segment = (await listSegments(dir)).at(-1);
  if (!segment) return null;
  const bytes = await readFile(path.join(dir, segment));
  const needle = `"seq":${seq},`;
  for (let end = bytes.lastIndexOf(0x0a); end > 0;) {
    const start = bytes.lastIndexOf(0x0a, end - 1) + 1;
    if (bytes.toString('utf8', start, end).includes(needle)) return { segment, offset: start };
    end = start - 1;
  }
  return null;
}

export function createIntegrityCheck(deps: {
  dataDir: string;
  ledger: Ledger;
  now: () => number;
  logger: Logger;
  intervalMs?: number;
  /** Told whenever the status changes (the admin sockets show it). */
  onChange?: (status: LedgerIntegrity) => void;
}): IntegrityCheck {
  const dir = path.join(deps.dataDir, 'ledger');
  const markFile = path.join(deps.dataDir, VERIFIED_FILE);
  let current: LedgerIntegrity = { status: 'unchecked' };
  let running: Promise<LedgerIntegrity> | null = null;
  let timer: NodeJS.Timeout | null = null;

  const set = (next: LedgerIntegrity): LedgerIntegrity => {
    const changed = next.status !== current.status;
    current = next;
    if (changed) deps.onChange?.(next);
    return next;
  };

  async function run(): Promise<LedgerIntegrity> {
    // A break stays until staff deal with it: later checks would start from the same mark and find it again.
    if (current.status === 'broken') return current;
    const started = deps.now();
    const mark = await readMark(markFile);
    const outcome = mark ? await checkFrom(dir, mark, started) : await checkAll(deps.dataDir, dir, started);
    if (!outcome.ok) {
      deps.logger.error(
        `the ledger is BROKEN at ${outcome.broken.file} line ${outcome.broken.line}: ${outcome.broken.reason} (公开账本校验失败)`,
      );
      return set({ status: 'broken', detectedAt: started, broken: outcome.broken, verifiedSeq: mark?.seq ?? 0 });
    }
    if (outcome.mark) await writeFileDurably(markFile, `${JSON.stringify(outcome.mark)}\n`, 0o644);
    deps.logger.info(
      `ledger verified through seq ${outcome.mark?.seq ?? 0} (${outcome.records} records read${mark ? ', from the last verified point' : ', whole chain'})`,
    );
    return set({ status: 'ok', verifiedSeq: outcome.mark?.seq ?? 0, checkedAt: started, recordsRead: outcome.records, whole: !mark });
  }

  const check = (): Promise<LedgerIntegrity> => {
    running ??= run().finally(() => {
      running = null;
    });
    return running;
  };

  return {
    check,
    status: () => current,
    async accept(reason, actorId) {
      await running;
      const before = current;
      if (before.status !== 'broken') return current;
      const [record] = await deps.ledger.append([
        {
          type: LEDGER_BREAK_ACCEPTED_TYPE,
          actorId,
          reason,
          broken: before.broken,
          detectedAt: before.detectedAt,
          verifiedSeq: before.verifiedSeq,
        },
      ]);
      // From here on the chain is checked from the acceptance record: everything before it is as staff found it.
      const head = record ?? { seq: 0, hash: GENESIS_HASH };
      const at = await lineOf(dir, head.seq);
      if (at) await writeFileDurably(markFile, `${JSON.stringify({ ...at, seq: head.seq, hash: head.hash, at: deps.now() })}\n`, 0o644);
      deps.logger.warn(`staff (${actorId}) accepted the ledger as it stands after a break: ${reason}`);
      current = { status: 'unchecked' };
      return check();
    },
    async start() {
      await check();
      timer = setInterval(() => {
        check().catch((error: unknown) => deps.logger.error('the periodic ledger check failed to run', { error }));
      }, deps.intervalMs ?? INTEGRITY_INTERVAL_MS);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await running;
    },
  };
}
