/**
 * The village node's durable outbox: every proof record (display interval,
 * sign link outage, uplink outage) is appended to `outbox.jsonl` and fsynced
 * before anyone is told it was kept, numbered 1, 2, … with a fresh record id,
 * and stays until the controller acknowledged it (`outbox-acked.jsonl`, the
 * acknowledged numbers, also appended and fsynced). A kill -9 or a power cut
 * leaves at most a torn last line, which is cut off at start: nothing
 * acknowledged to the signs service is lost, nothing acknowledged by the
 * controller is sent again except what it already holds (and deduplicates by
 * id). Appends use group commit, like the ledger: one fsync per batch.
 *
 * When everything sent is acknowledged the files are compacted (the highest
 * number first goes to `outbox-meta.json`, so numbering never restarts).
 */
import { randomUUID } from 'node:crypto';
import { type FileHandle, mkdir, open, readFile, stat, truncate } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../logger.js';
import type { NodeRecord } from '../protocol/index.js';
import { writeFileDurably } from '../store/durableFile.js';

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
  /** Whether a record with this id waits in the outbox. */
  holds(recordId: string): boolean;
  /** The oldest records not yet acknowledged, at most `limit`, leaving out those whose ids are in `skip` (in flight). */
  pending(limit: number, skip?: ReadonlySet<string>): NodeRecord[];
  /** How many records wait for the controller. */
  size(): number;
  /** The controller holds these (recorded or refused for good): forget them, durably. */
  acknowledge(recordIds: readonly string[]): Promise<void>;
  /** Called after each durable append (the uplink sends at once when it can). */
  onAppend(listener: () => void): () => void;
}

const OUTBOX = 'outbox.jsonl';
const ACKED = 'outbox-acked.jsonl';
const META = 'outbox-meta.json';
/** Compact once the files hold this much and nothing is waiting. */
const COMPACT_BYTES = 4 * 1024 * 1024;

/** Whole lines of a JSON Lines file, and the length of the whole-line prefix (a torn last line is after it). */
async function readLines(file: string): Promise<{ lines: string[]; whole: number; size: number }> {
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return '';
    throw error;
  });
  const last = text.lastIndexOf('\n');
  const whole = last + 1;
  return {
    lines: text.slice(0, whole).split('\n').filter(Boolean),
    whole: Buffer.byteLength(text.slice(0, whole)),
    size: Buffer.byteLength(text),
  };
}

export function createNodeOutbox(deps: { dataDir: string; clockTrusted: () => boolean; logger: Logger }): NodeOutbox {
  const outboxFile = path.join(deps.dataDir, OUTBOX);
  const ackedFile = path.join(deps.dataDir, ACKED);
  const metaFile = path.join(deps.dataDir, META);
  /** Waiting records by number, in order. */
  const waiting = new Map<number, NodeRecord>();
  const byId = new Map<string, number>();
  let lastSeq = 0;
  let bytes = 0;
  let out: FileHandle | null = null;
  let acks: FileHandle | null = null;
  let queue: { lines: string[]; resolve: () => void; reject: (e: unknown) => void }[] = [];
  let writing: Promise<void> | null = null;
  /** A compaction in progress: appends wait for it, and it waits for the appends already writing. */
  let compacting: Promise<void> | null = null;
  const listeners = new Set<() => void>();

  const flush = async (): Promise<void> => {
    if (compacting) await compacting;
    while (queue.length > 0) {
      const batch = queue;
      queue = [];
      try {
        if (!out) throw new Error('the outbox is not open');
        const text = batch.flatMap((b) => b.lines).join('');
        await out.write(text);
        await out.sync();
        bytes += Buffer.byteLength(text);
        for (const b of batch) b.resolve();
      } catch (error) {
        for (const b of batch) b.reject(error);
      }
    }
    writing = null;
  };
  const write = (lines: string[]): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      queue.push({ lines, resolve, reject });
      writing ??= flush();
    });

  const compact = async (): Promise<void> => {
    const run = async (): Promise<void> => {
      await writing;
      await writeFileDurably(metaFile, JSON.stringify({ lastSeq }));
      await out?.close();
      await acks?.close();
      await writeFileDurably(outboxFile, [...waiting.values()].map((r) => `${JSON.stringify(r)}\n`).join(''));
      await writeFileDurably(ackedFile, '');
      out = await open(outboxFile, 'a', 0o600);
      acks = await open(ackedFile, 'a', 0o600);
      bytes = (await stat(outboxFile)).size;
    };
    compacting = run();
    try {
      await compacting;
    } finally {
      compacting = null;
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
      const acked = new Set<number>();
      const ackFile = await readLines(ackedFile);
      for (const line of ackFile.lines) for (const seq of JSON.parse(line) as number[]) acked.add(seq);
      const recs = await readLines(outboxFile);
      if (recs.whole < recs.size) {
        deps.logger.warn(`outbox: cut a torn last line (${recs.size - recs.whole} bytes) left by a crash`);
        await truncate(outboxFile, recs.whole);
      }
      if (ackFile.whole < ackFile.size) await truncate(ackedFile, ackFile.whole);
      for (const line of recs.lines) {
        const record = JSON.parse(line) as NodeRecord;
        lastSeq = Math.max(lastSeq, record.seq);
        if (acked.has(record.seq)) continue;
        waiting.set(record.seq, record);
        byId.set(record.recordId, record.seq);
      }
      out = await open(outboxFile, 'a', 0o600);
      acks = await open(ackedFile, 'a', 0o600);
      bytes = recs.whole;
      if (acked.size > 0 && bytes > COMPACT_BYTES) await compact();
      deps.logger.info(`outbox: ${waiting.size} record(s) waiting for the controller, last number ${lastSeq}`);
    },

    async stop() {
      await writing;
      await out?.close();
      await acks?.close();
      out = null;
      acks = null;
    },

    async append(entries) {
      if (entries.length === 0) return [];
      const clockTrusted = deps.clockTrusted();
      const records = entries.map((e): NodeRecord => ({
        ...e,
        recordId: e.recordId ?? randomUUID(),
        seq: ++lastSeq,
        clockTrusted: e.clockTrusted ?? clockTrusted,
      }));
      await write(records.map((r) => `${JSON.stringify(r)}\n`));
      for (const r of records) {
        waiting.set(r.seq, r);
        byId.set(r.recordId, r.seq);
      }
      for (const l of listeners) l();
      return records;
    },

    pending(limit, skip) {
      const list: NodeRecord[] = [];
      for (const r of waiting.values()) {
        if (list.length >= limit) break;
        if (skip?.has(r.recordId)) continue;
        list.push(r);
      }
      return list;
    },

    size: () => waiting.size,

    holds: (recordId) => byId.has(recordId),

    async acknowledge(recordIds) {
      const seqs = recordIds.map((id) => byId.get(id)).filter((s): s is number => s !== undefined);
      if (seqs.length === 0 || !acks) return;
      await acks.write(`${JSON.stringify(seqs)}\n`);
      await acks.sync();
      for (const seq of seqs) {
        const r = waiting.get(seq);
        waiting.delete(seq);
        if (r) byId.delete(r.recordId);
      }
      if (waiting.size === 0 && bytes > COMPACT_BYTES) await compact();
    },

    onAppend(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
