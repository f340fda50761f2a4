/**
 * The village node's durable outbox: every proof record (display interval,
 * sign link outage, uplink outage) is appended to `outbox.jsonl` and fsynced
 * before anyone is told it was kept, numbered 1, 2, … in file order with a
 * fresh record id, and stays until the controller acknowledged it.
 * Acknowledgements are appended to `outbox-acked.jsonl` as runs of numbers
 * (`{"runs":[from,to,…]}`), fsynced before the records are forgotten. Both
 * files use group commit, like the ledger: one write and one fsync for
 * everything queued while the last one was on its way.
 *
 * A start never parses the whole outbox (a month offline is hundreds of
 * megabytes): it cuts a torn last line left by a crash (kill -9, power cut),
 * reads the acknowledged runs, finds the first unacknowledged line by binary
 * search over the file (its lines are in number order), and counts the lines
 * after it. Records are read lazily from there, a chunk at a time, as the
 * uplink takes them; those appended while the reader is caught up are handed
 * over from memory.
 *
 * When every record in the file is acknowledged and the file has grown, both
 * files are emptied (the highest number first goes to `outbox-meta.json`, so
 * numbering never restarts). Nothing acknowledged to the signs service is
 * lost; nothing acknowledged by the controller is sent again except what it
 * already holds (and deduplicates by id).
 */
import { randomUUID } from 'node:crypto';
import { type FileHandle, mkdir, open, readFile, truncate } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../logger.js';
import type { NodeRecord } from '../protocol/index.js';
import { SeqRanges } from '../services/receiptIndex.js';
import { readLinesTail, writeFileDurably } from '../store/durableFile.js';

/** A record as the signs service hands it over: the node record without its id, number and clock trust. */
export type OutboxEntry = NodeRecord extends infer R
  ? R extends NodeRecord
    ? Omit<R, 'recordId' | 'seq' | 'clockTrusted'>
    : never
  : never;

export interface NodeOutbox {
  start(): Promise<void>;
  stop(): Promise<void>;
  /**
   * Resolves once the entries are durable, each numbered, with an id and the clock trust of now (an entry may bring
   * its own id and clock trust: an interval noted open before a crash and closed at the next start).
   */
  append(entries: readonly (OutboxEntry & { recordId?: string; clockTrusted?: boolean })[]): Promise<NodeRecord[]>;
  /** The highest number given so far. */
  lastSeq(): number;
  /** Which of `recordIds` the outbox holds among its records numbered above `afterSeq` (read from the file's end). */
  holding(recordIds: ReadonlySet<string>, afterSeq: number): Promise<Set<string>>;
  /**
   * The oldest records not yet acknowledged nor taken, at most `limit` of them and `maxBytes` of their JSON (at
   * least one); they stay taken until acknowledged or released.
   */
  take(limit: number, maxBytes: number): Promise<NodeRecord[]>;
  /** Taken records that were not acknowledged (the controller did not answer for them): they go out again first. */
  release(records: readonly NodeRecord[]): void;
  /** How many records wait for the controller. */
  size(): number;
  /** The controller holds these (recorded or refused for good): forget them, durably. */
  acknowledge(seqs: readonly number[]): Promise<void>;
  /** Called after each durable append (the uplink sends at once when it can). */
  onAppend(listener: () => void): () => void;
}

const OUTBOX = 'outbox.jsonl';
const ACKED = 'outbox-acked.jsonl';
const META = 'outbox-meta.json';
/** Empty the files once they hold this much and nothing is waiting. */
const COMPACT_BYTES = 4 * 1024 * 1024;
/** Read this much of the outbox at a time. */
const READ_CHUNK = 1024 * 1024;
const NEWLINE = 0x0a;

/** A record read or appended, with the length of its line (newline included). */
interface Held {
  record: NodeRecord;
  bytes: number;
}

/** The number in `{"type":…,"seq":N,…}` without parsing the rest, or null. */
function seqOfLine(line: string): number | null {
  try {
    const seq = (JSON.parse(line) as Partial<NodeRecord>).seq;
    return typeof seq === 'number' ? seq : null;
  } catch {
    return null;
  }
}

/** Runs `[from0, to0, from1, to1, …]` of the numbers, sorted and merged. */
export function seqRuns(seqs: readonly number[]): number[] {
  const sorted = [...seqs].sort((a, b) => a - b);
  const runs: number[] = [];
  for (const seq of sorted) {
    const last = runs.length - 1;
    if (last > 0 && seq <= runs[last]! + 1) runs[last] = Math.max(runs[last]!, seq);
    else runs.push(seq, seq);
  }
  return runs;
}

/** An acknowledgement line: `{"runs":[…]}`, or (older nodes) an array of numbers. */
function ackedLine(line: string, into: SeqRanges): void {
  const parsed = JSON.parse(line) as unknown;
  if (Array.isArray(parsed)) {
    for (const seq of parsed) if (typeof seq === 'number') into.add(seq);
    return;
  }
  const runs = (parsed as { runs?: unknown }).runs;
  if (!Array.isArray(runs)) return;
  for (let i = 0; i + 1 < runs.length; i += 2) {
    const from = runs[i] as unknown;
    const to = runs[i + 1] as unknown;
    if (typeof from !== 'number' || typeof to !== 'number' || to - from > 10_000_000) continue;
    for (let seq = from; seq <= to; seq++) into.add(seq);
  }
}

export function createNodeOutbox(deps: { dataDir: string; clockTrusted: () => boolean; logger: Logger }): NodeOutbox {
  const outboxFile = path.join(deps.dataDir, OUTBOX);
  const ackedFile = path.join(deps.dataDir, ACKED);
  const metaFile = path.join(deps.dataDir, META);
  let lastSeq = 0;
  /** Durable bytes of the outbox (whole lines). */
  let bytes = 0;
  /** Numbers acknowledged (those of records still in the file, and perhaps older ones). */
  let acked = new SeqRanges();
  /** Records waiting for the controller (in the file, not acknowledged). */
  let waiting = 0;
  /** Where the next unread line starts. */
  let cursor = 0;
  /** Read (or appended while the reader was caught up), not taken yet, in number order. */
  let ahead: Held[] = [];
  let aheadAt = 0;
  /** Released after a failed send: taken again first, in number order. */
  let back: Held[] = [];
  /** Taken and not acknowledged yet, by number. */
  const taken = new Map<number, Held>();
  let out: FileHandle | null = null;
  let reader: FileHandle | null = null;
  let acks: FileHandle | null = null;
  let queue: { lines: string; held: Held[]; resolve: () => void; reject: (e: unknown) => void }[] = [];
  let writing: Promise<void> | null = null;
  let ackQueue: { seqs: readonly number[]; resolve: () => void; reject: (e: unknown) => void }[] = [];
  let acking: Promise<void> | null = null;
  /** A compaction in progress: appends, reads and acknowledgements wait for it. */
  let compacting: Promise<void> | null = null;
  /** One read of the file at a time. */
  let reading: Promise<void> | null = null;
  const listeners = new Set<() => void>();

  const flush = async (): Promise<void> => {
    if (compacting) await compacting;
    while (queue.length > 0) {
      const batch = queue;
      queue = [];
      const text = batch.map((b) => b.lines).join('');
      const length = Buffer.byteLength(text);
      try {
        if (!out) throw new Error('the outbox is not open');
        await out.write(text);
        await out.sync();
      } catch (error) {
        // Nothing of a failed batch stays in the file: its numbers are never sent, and the lines after it stay in order.
        await out?.truncate(bytes).catch(() => undefined);
        for (const b of batch) b.reject(error);
        continue;
      }
      // The reader is caught up: hand the new records over from memory instead of reading them back.
      if (cursor === bytes && aheadAt >= ahead.length) {
        ahead = batch.flatMap((b) => b.held);
        aheadAt = 0;
        cursor = bytes + length;
      }
      bytes += length;
      waiting += batch.reduce((n, b) => n + b.held.length, 0);
      for (const b of batch) b.resolve();
    }
    writing = null;
  };

  const flushAcks = async (): Promise<void> => {
    if (compacting) await compacting;
    while (ackQueue.length > 0) {
      const batch = ackQueue;
      ackQueue = [];
      try {
        if (!acks) throw new Error('the outbox is not open');
        await acks.write(`${JSON.stringify({ runs: seqRuns(batch.flatMap((b) => b.seqs)) })}\n`);
        await acks.sync();
      } catch (error) {
        for (const b of batch) b.reject(error);
        continue;
      }
      for (const b of batch)
        for (const seq of b.seqs) {
          taken.delete(seq);
          if (acked.add(seq)) waiting--;
        }
      for (const b of batch) b.resolve();
    }
    acking = null;
    if (waiting === 0 && taken.size === 0 && bytes > COMPACT_BYTES && !compacting) await compact();
  };

  const openFiles = async (): Promise<void> => {
    out = await open(outboxFile, 'a', 0o600);
    acks = await open(ackedFile, 'a', 0o600);
    reader = await open(outboxFile, 'r');
  };
  const closeFiles = async (): Promise<void> => {
    await out?.close();
    await acks?.close();
    await reader?.close();
    out = acks = reader = null;
  };

  /** Everything in the file is acknowledged: empty both files (the last number is kept first). */
  const compact = async (): Promise<void> => {
    const run = async (): Promise<void> => {
      await writing;
      await reading;
      if (waiting !== 0 || taken.size !== 0 || queue.length > 0) return;
      await writeFileDurably(metaFile, JSON.stringify({ lastSeq }));
      await closeFiles();
      await writeFileDurably(outboxFile, '');
      await writeFileDurably(ackedFile, '');
      await openFiles();
      bytes = cursor = 0;
      ahead = back = [];
      aheadAt = 0;
      acked = new SeqRanges();
    };
    compacting = run();
    try {
      await compacting;
    } finally {
      compacting = null;
    }
  };

  /** The whole line starting at or after `offset` (bytes before `bytes`), with its number and where it ends. */
  const lineFrom = async (offset: number): Promise<{ start: number; end: number; seq: number | null } | null> => {
    if (!reader) throw new Error('the outbox is not open');
    let start = offset;
    let chunk = 4096;
    if (offset > 0) {
      // The line containing byte offset − 1 ends at the first newline from there.
      for (;;) {
        const length = Math.min(chunk, bytes - (offset - 1));
        if (length <= 0) return null;
        const buffer = Buffer.alloc(length);
        await reader.read(buffer, 0, length, offset - 1);
        const newline = buffer.indexOf(NEWLINE);
        if (newline >= 0) {
          start = offset - 1 + newline + 1;
          break;
        }
        chunk *= 4;
      }
    }
    chunk = 4096;
    for (;;) {
      const length = Math.min(chunk, bytes - start);
      if (length <= 0) return null;
      const buffer = Buffer.alloc(length);
      await reader.read(buffer, 0, length, start);
      const newline = buffer.indexOf(NEWLINE);
      if (newline >= 0) return { start, end: start + newline + 1, seq: seqOfLine(buffer.toString('utf8', 0, newline)) };
      if (start + length >= bytes) return null;
      chunk *= 4;
    }
  };

  /** The first line whose number is above `seq` (lines are in number order): binary search over the bytes. */
  const firstAbove = async (seq: number): Promise<{ start: number; end: number; seq: number | null } | null> => {
    let lo = 0;
    let hi = bytes;
    while (lo < hi) {
      const mid = lo + Math.floor((hi - lo) / 2);
      const line = await lineFrom(mid);
      if (line === null || (line.seq ?? Number.POSITIVE_INFINITY) > seq) hi = mid;
      else lo = line.end;
    }
    return lineFrom(lo);
  };

  /** Where the first unacknowledged line starts: past every acknowledged run the file's head lies in. */
  const findHead = async (): Promise<{ offset: number; seq: number }> => {
    let line = await lineFrom(0);
    while (line !== null) {
      if (line.seq === null || !acked.has(line.seq)) return { offset: line.start, seq: line.seq ?? 0 };
      line = await firstAbove(acked.runEnd(line.seq));
    }
    return { offset: bytes, seq: lastSeq + 1 };
  };

  /** Reads lines after the cursor into `ahead` until it holds `want` records or the file ends. */
  const readAhead = async (want: number): Promise<void> => {
    while (ahead.length - aheadAt < want && cursor < bytes) {
      if (!reader) throw new Error('the outbox is not open');
      let length = Math.min(READ_CHUNK, bytes - cursor);
      let buffer = Buffer.allocUnsafe(length);
      await reader.read(buffer, 0, length, cursor);
      let last = buffer.lastIndexOf(NEWLINE);
      while (last < 0) {
        // A line longer than a chunk.
        length = Math.min(length * 4, bytes - cursor);
        buffer = Buffer.allocUnsafe(length);
        await reader.read(buffer, 0, length, cursor);
        last = buffer.lastIndexOf(NEWLINE);
        if (last < 0 && cursor + length >= bytes) throw new Error('the outbox ends without a newline');
      }
      if (aheadAt > 0) {
        ahead = ahead.slice(aheadAt);
        aheadAt = 0;
      }
      let start = 0;
      while (start <= last) {
        const end = buffer.indexOf(NEWLINE, start);
        const record = JSON.parse(buffer.toString('utf8', start, end)) as NodeRecord;
        if (!acked.has(record.seq) && !taken.has(record.seq)) ahead.push({ record, bytes: end + 1 - start });
        start = end + 1;
      }
      cursor += last + 1;
    }
  };

  return {
    async start() {
      await mkdir(deps.dataDir, { recursive: true, mode: 0o700 });
      const meta = await readFile(metaFile, 'utf8').then(
        (t) => JSON.parse(t) as { lastSeq?: unknown },
        () => ({ lastSeq: 0 }),
      );
      lastSeq = typeof meta.lastSeq === 'number' ? meta.lastSeq : 0;
      const ackText = await readFile(ackedFile, 'utf8').catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return '';
        throw error;
      });
      const ackWhole = ackText.lastIndexOf('\n') + 1;
      for (const line of ackText.slice(0, ackWhole).split('\n')) if (line !== '') ackedLine(line, acked);
      if (ackWhole < ackText.length) await truncate(ackedFile, Buffer.byteLength(ackText.slice(0, ackWhole)));
      await openFiles();
      if (!reader) throw new Error('the outbox is not open');
      const end = await readLinesTail(reader);
      if (end.cut < end.size) {
        deps.logger.warn(`outbox: cut a torn last line (${end.size - end.cut} bytes) left by a crash`);
        await truncate(outboxFile, end.cut);
      }
      bytes = end.cut;
      // The last number: from the last line (the meta file keeps it across compactions).
      const seq = end.lastLine === null ? null : seqOfLine(end.lastLine);
      if (seq !== null) lastSeq = Math.max(lastSeq, seq);
      const head = await findHead();
      cursor = head.offset;
      // Waiting = lines from the head on, less those acknowledged among them (every acknowledged number above the head is a line there).
      let lines = 0;
      const buffer = Buffer.allocUnsafe(READ_CHUNK);
      for (let at = head.offset; at < bytes;) {
        const { bytesRead } = await reader.read(buffer, 0, Math.min(READ_CHUNK, bytes - at), at);
        if (bytesRead <= 0) break;
        for (let i = buffer.indexOf(NEWLINE, 0); i >= 0 && i < bytesRead; i = buffer.indexOf(NEWLINE, i + 1)) lines++;
        at += bytesRead;
      }
      let ackedAbove = 0;
      const runs = acked.toJSON();
      for (let i = 0; i + 1 < runs.length; i += 2) {
        const from = Math.max(runs[i]!, head.seq);
        const to = Math.min(runs[i + 1]!, lastSeq);
        if (to >= from) ackedAbove += to - from + 1;
      }
      waiting = Math.max(0, lines - ackedAbove);
      if (waiting === 0 && bytes > COMPACT_BYTES) await compact();
      deps.logger.info(`outbox: ${waiting} record(s) waiting for the controller, last number ${lastSeq}`);
    },

    async stop() {
      await writing;
      await acking;
      await reading;
      await compacting;
      await closeFiles();
    },

    async append(entries) {
      if (entries.length === 0) return [];
      const clockTrusted = deps.clockTrusted();
      const held: Held[] = [];
      let lines = '';
      for (const e of entries) {
        const record: NodeRecord = {
          ...e,
          recordId: e.recordId ?? randomUUID(),
          seq: ++lastSeq,
          clockTrusted: e.clockTrusted ?? clockTrusted,
        };
        const line = `${JSON.stringify(record)}\n`;
        lines += line;
        held.push({ record, bytes: Buffer.byteLength(line) });
      }
      await new Promise<void>((resolve, reject) => {
        queue.push({ lines, held, resolve, reject });
        writing ??= flush();
      });
      for (const l of listeners) l();
      return held.map((h) => h.record);
    },

    lastSeq: () => lastSeq,

    async holding(recordIds, afterSeq) {
      const found = new Set<string>();
      if (recordIds.size === 0 || !reader) return found;
      await writing;
      // From the end backwards, a chunk at a time, until a line numbered at or below `afterSeq`.
      let end = bytes;
      let rest = '';
      while (end > 0) {
        const from = Math.max(0, end - READ_CHUNK);
        const buffer = Buffer.alloc(end - from);
        await reader.read(buffer, 0, buffer.length, from);
        const text = buffer.toString('utf8') + rest;
        const lines = text.split('\n');
        rest = from > 0 ? (lines.shift() ?? '') : '';
        for (const line of lines.reverse()) {
          if (line === '') continue;
          const record = JSON.parse(line) as NodeRecord;
          if (record.seq <= afterSeq) return found;
          if (recordIds.has(record.recordId)) found.add(record.recordId);
        }
        end = from;
      }
      return found;
    },

    async take(limit, maxBytes) {
      if (compacting) await compacting;
      while (reading) await reading;
      const backCount = back.length;
      if (ahead.length - aheadAt + backCount < limit && cursor < bytes) {
        reading = readAhead(limit - backCount).finally(() => {
          reading = null;
        });
        await reading;
      }
      const list: NodeRecord[] = [];
      let used = 0;
      const next = (): Held | undefined => {
        while (back[0] && acked.has(back[0].record.seq)) back.shift();
        const a = ahead[aheadAt];
        const b = back[0];
        if (b && (!a || b.record.seq < a.record.seq)) return b;
        return a;
      };
      for (let h = next(); h && list.length < limit; h = next()) {
        if (list.length > 0 && used + h.bytes > maxBytes) break;
        if (h === back[0]) back.shift();
        else aheadAt++;
        used += h.bytes;
        taken.set(h.record.seq, h);
        list.push(h.record);
      }
      if (aheadAt >= ahead.length) {
        ahead = [];
        aheadAt = 0;
      }
      // Nothing left anywhere and nothing out: whatever the start counted, nothing waits.
      if (list.length === 0 && taken.size === 0 && cursor >= bytes) waiting = 0;
      return list;
    },

    release(records) {
      const returned: Held[] = [];
      for (const r of records) {
        const h = taken.get(r.seq);
        if (!h) continue;
        taken.delete(r.seq);
        returned.push(h);
      }
      if (returned.length === 0) return;
      back = [...back, ...returned].sort((a, b) => a.record.seq - b.record.seq);
    },

    size: () => waiting,

    acknowledge(seqs) {
      if (seqs.length === 0) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        ackQueue.push({ seqs, resolve, reject });
        acking ??= flushAcks();
      });
    },

    onAppend(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
