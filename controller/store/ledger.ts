/**
 * The disclosure ledger: append-only JSON Lines, one segment per month
 * (`<data dir>/ledger/YYYY-MM.jsonl`, months in China Standard Time). Each
 * record carries `seq`, `prevHash` and `hash` = SHA-256(prevHash + canonical
 * record), so any edit, deletion or reordering breaks the chain.
 *
 * Appends use group commit: everything queued while a write is in progress
 * goes out in the next batch, with one fdatasync, and each caller's promise
 * resolves only after its records are durable.
 */
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, readFile, truncate } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { canonicalJson, sha256Hex } from '../domain/canonical.js';
import type { Logger } from '../logger.js';
import { civilDateOf } from '../protocol/index.js';

export const GENESIS_HASH = '0'.repeat(64);
export interface LedgerEntry {
  type: string;
  [field: string]: unknown;
}

/** A record as stored, before its own hash is added. */
export interface UnhashedRecord extends LedgerEntry {
  seq: number;
  ts: number;
  prevHash: string;
}

export interface LedgerRecord extends UnhashedRecord {
  hash: string;
}

export interface Ledger {
  start(): Promise<void>;
  /** Flushes what is queued, then closes the segment. */
  stop(): Promise<void>;
  /** Resolves once the entries are durable on disk, with their sequence numbers and hashes. */
  append(entries: readonly LedgerEntry[]): Promise<LedgerRecord[]>;
  head(): { seq: number; hash: string };
  /** Every record, oldest first (used at start-up to rebuild indexes). */
  records(): AsyncIterable<LedgerRecord>;
}

/**
 * A batch that could not be made durable (disk full, I/O error). Nothing of it
 * stays in the file and nobody is told it was recorded; senders keep their
 * records and send them again.
 */
export class LedgerWriteError extends Error {
  readonly code: string;
  constructor(cause: unknown) {
    const code = (cause as NodeJS.ErrnoException | null)?.code ?? 'EIO';
    super(
      code === 'ENOSPC'
        ? 'the disk holding the ledger is full (ENOSPC); the records were not written and not acknowledged (账本所在磁盘已满，记录未写入)'
        : `the ledger could not be written (${code}); the records were not acknowledged (账本写入失败，记录未确认)`,
      { cause },
    );
    this.name = 'LedgerWriteError';
    this.code = code;
  }
}

export function segmentName(ts: number): string {
  return `${civilDateOf(ts).slice(0, 7)}.jsonl`;
}

export function hashRecord(record: UnhashedRecord): string {
  return sha256Hex(`${record.prevHash}\n${canonicalJson(record)}`);
}

const ARRAY_INDEX = /^(?:0|[1-9]\d*)$/;

/**
 * The record's hash and its line, `canonicalJson({ ...base, hash })`, encoding
 * each member once: the hash covers the members without `hash`, and the line
 * is the same members with `hash` put in key order. Equal to hashing and then
 * encoding the whole record again (a property test checks), at about half the
 * cost. A record whose own fields include `hash` or an array-index key (which
 * objects enumerate first) takes the plain path.
 */
export function encodeRecord(base: UnhashedRecord): { hash: string; line: string } {
  const keys = Object.keys(base).sort();
  if (keys.includes('hash') || keys.some((k) => ARRAY_INDEX.test(k))) {
    const hash = hashRecord(base);
    return { hash, line: canonicalJson({ ...base, hash }) };
  }
  const members: string[] = [];
  let at = -1;
  for (const key of keys) {
    const encoded = canonicalJson(base[key]) as string | undefined;
    if (encoded === undefined) continue;
    if (at < 0 && key > 'hash') at = members.length;
    members.push(`${JSON.stringify(key)}:${encoded}`);
  }
  const hash = sha256Hex(`${base.prevHash}\n{${members.join(',')}}`);
  members.splice(at < 0 ? members.length : at, 0, `"hash":"${hash}"`);
  return { hash, line: `{${members.join(',')}}` };
}

export function createLedger(deps: { dataDir: string; logger: Logger; now: () => number }): Ledger {
  const dir = path.join(deps.dataDir, 'ledger');
  let seq = 0;
  let headHash = GENESIS_HASH;
  let handle: FileHandle | null = null;
  let handleSegment = '';
  let queue: { entries: readonly LedgerEntry[]; resolve: (r: LedgerRecord[]) => void; reject: (e: unknown) => void }[] = [];
  let flushing: Promise<void> | null = null;
  let started = false;

  async function segments(): Promise<string[]> {
    const names = await readdir(dir).catch(() => []);
    return names.filter((n) => /^\d{4}-\d{2}\.jsonl$/.test(n)).sort();
  }

  /** Reads the last segment, cutting a torn final line (never acknowledged: acks follow the fsync of whole lines). */
  async function recoverTail(): Promise<void> {
    const names = await segments();
    const last = names.at(-1);
    if (!last) return;
    const file = path.join(dir, last);
    const text = await readFile(file, 'utf8');
    const cut = text.endsWith('\n') || text === '' ? text.length : text.lastIndexOf('\n') + 1;
    if (cut < text.length) {
      deps.logger.warn(`cutting a torn last line (${Buffer.byteLength(text.slice(cut))} bytes) from ${file}`);
      await truncate(file, Buffer.byteLength(text.slice(0, cut)));
    }
  }

  async function writeBatch(batch: typeof queue): Promise<void> {
    const now = deps.now();
    const lines: string[] = [];
    const results: LedgerRecord[][] = [];
    let nextSeq = seq;
    let prev = headHash;
    for (const item of batch) {
      const out: LedgerRecord[] = [];
      for (const entry of item.entries) {
        const base: UnhashedRecord = { ...entry, seq: ++nextSeq, ts: now, prevHash: prev };
        const { hash, line } = encodeRecord(base);
        const record: LedgerRecord = { ...base, hash };
        prev = hash;
        lines.push(`${line}\n`);
        out.push(record);
      }
      results.push(out);
    }
    const segment = segmentName(now);
    if (!handle || handleSegment !== segment) {
      await handle?.close();
      handle = await open(path.join(dir, segment), 'a');
      handleSegment = segment;
    }
    const bytes = Buffer.from(lines.join(''), 'utf8');
    // All or nothing: a batch that fails part-way (a full disk takes what fits, then refuses) is cut back off,
    // so no record of it stays on disk ahead of the sequence numbers the next batch will use.
    const before = (await handle.stat()).size;
    try {
      let written = 0;
      while (written < bytes.length) {
        const { bytesWritten } = await handle.write(bytes, written, bytes.length - written);
        if (bytesWritten <= 0) throw new Error('ledger write made no progress');
        written += bytesWritten;
      }
      await handle.datasync();
    } catch (error) {
      await handle
        .truncate(before)
        .catch((cutError: unknown) => deps.logger.error('could not cut the failed batch off the ledger', { cutError }));
      throw new LedgerWriteError(error);
    }
    seq = nextSeq;
    headHash = prev;
    batch.forEach((item, i) => item.resolve(results[i] ?? []));
  }

  async function flushLoop(): Promise<void> {
    while (queue.length > 0) {
      const batch = queue;
      queue = [];
      try {
        await writeBatch(batch);
      } catch (error) {
        deps.logger.error(error instanceof Error ? error.message : 'ledger write failed; the batch was not acknowledged', { error });
        // A partial line may be on disk; cut it so the file stays a chain of whole records.
        const failed = handle;
        handle = null;
        await failed?.close().catch(() => undefined);
        await recoverTail().catch(() => undefined);
        for (const item of batch) item.reject(error);
      }
    }
  }

  function scheduleFlush(): void {
    if (flushing) return;
    flushing = flushLoop().finally(() => {
      flushing = null;
      if (queue.length > 0) scheduleFlush();
    });
  }

  return {
    async start() {
      await mkdir(dir, { recursive: true });
      await recoverTail();
      for await (const record of this.records()) {
        seq = record.seq;
        headHash = record.hash;
      }
      started = true;
      deps.logger.info(`ledger ready at seq ${seq}`, { dir });
    },

    async stop() {
      started = false;
      await flushing;
      await handle?.close();
      handle = null;
    },

    append(entries) {
      if (!started) return Promise.reject(new Error('ledger is not started'));
      if (entries.length === 0) return Promise.resolve([]);
      const promise = new Promise<LedgerRecord[]>((resolve, reject) => queue.push({ entries, resolve, reject }));
      scheduleFlush();
      return promise;
    },

    head: () => ({ seq, hash: headHash }),

    async *records() {
      for (const name of await segments()) {
        const lines = createInterface({ input: createReadStream(path.join(dir, name), 'utf8'), crlfDelay: Number.POSITIVE_INFINITY });
        for await (const line of lines) {
          if (line !== '') yield JSON.parse(line) as LedgerRecord;
        }
      }
    },
  };
}
