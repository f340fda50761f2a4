/**
 * Keeps the report aggregates current and on disk, apart from state.json
 * (which is rewritten whole on every write and must stay small).
 *
 * At start: read `<data dir>/aggregates/snapshot.json` (written durably: temp
 * file, fsync, rename, fsync dir), check that the ledger still has the record
 * it was taken at with the same hash, then fold in only the records after it.
 * The snapshot also names the byte where that record's line ends (when it was
 * taken with the ledger at rest, as it is from a timer or at stop): the start
 * then reads that segment from that byte on, parsing nothing before it; an
 * older snapshot without it reads its segment from the segment's start.
 * A missing, unreadable, ahead or stale snapshot means a full rebuild from the
 * ledger. While running: every appended record is folded in as it becomes
 * durable, and a fresh snapshot is written every `snapshotEvery` records and
 * at stop.
 *
 * Closed days' cells leave memory (cells.ts, cellArchive.ts): after folding,
 * every cell older than yesterday (of the newest record's time) is cut into a
 * chunk appended to `aggregates/cells/`. A snapshot is only written once the
 * chunks cut before it are durable, so a snapshot at S plus the chunks with
 * seq ≤ S hold every cell through S exactly once; at start the chunks with
 * seq > S are dropped and the replay after S derives them again. A full
 * rebuild empties the archive first and cuts while folding, so it runs in
 * bounded memory however long the ledger.
 */
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../../logger.js';
import { DurableJsonFile, syncDir } from '../../store/durableFile.js';
import type { LedgerPosition, LedgerRecord } from '../../store/ledger.js';
import {
  type Aggregates,
  type AggregatesSnapshot,
  type Cell,
  type CellRow,
  applyRecord,
  emptyAggregates,
  fromSnapshot,
  toRow,
  toSnapshot,
} from './aggregates.js';
import { CELLS_DIR, CellArchive } from './cellArchive.js';
import { type CellSum, CellSums, ClosedDayClock, addInto, putBack, takeClosedDays } from './cells.js';
import type { ObservedLedger } from './tap.js';

export interface AggregateStore {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** The live aggregates; read-only for callers. Its `cells` hold only the days not yet archived: read cells with {@link AggregateStore.cells}. */
  current(): Readonly<Aggregates>;
  /** Every cell of a day in [from, to] (civil dates), archived and in memory, one row at a time (a key may come more than once: sum them). */
  eachCell(from: string, to: string, visit: (row: CellRow) => void): Promise<void>;
  /** The same, summed by key (tests, small ranges: a long range holds every cell in memory at once). */
  cells(from: string, to: string): Promise<Cell[]>;
  /** The same, summed per notice × village: what the reports read, small however long the range. */
  sumCells(from: string, to: string): Promise<CellSum[]>;
  /** Writes a snapshot now (tests, and before a planned shutdown). */
  snapshot(): Promise<void>;
  /** How the last start got its data. */
  startedFrom(): { snapshotSeq: number; replayed: number };
}

export const SNAPSHOT_FILE = path.join('aggregates', 'snapshot.json');
/** How many rounds of archive appends a snapshot waits out before it leaves the snapshot to a later batch. */
const SNAPSHOT_WAIT_ROUNDS = 10;
export { CELLS_DIR } from './cellArchive.js';

/** While folding at start, also cut every this many records (late records for closed days make cells too). */
const CUT_EVERY = 10_000;

export function createAggregateStore(deps: {
  dataDir: string;
  ledger: ObservedLedger;
  logger: Logger;
  snapshotEvery?: number;
}): AggregateStore {
  const snapshotPath = path.join(deps.dataDir, SNAPSHOT_FILE);
  /** The snapshot, with where in the ledger its last record's line ends (absent in snapshots of older builds). */
  const file = new DurableJsonFile<AggregatesSnapshot & { position?: LedgerPosition }>(snapshotPath);
  const archive = new CellArchive(path.join(deps.dataDir, CELLS_DIR));
  const every = deps.snapshotEvery ?? 50_000;
  let agg = emptyAggregates();
  let clock = new ClosedDayClock();
  /** The number of cells in memory after the last cut: more means new cells, perhaps of closed days. */
  let sizeAtCut = 0;
  /** After a failed append, wait for the next day's cut instead of retrying (and logging) at every new cell. */
  let archiveFailed = false;
  let sinceSnapshot = 0;
  let writing: Promise<void> | null = null;
  let unsubscribe: (() => void) | null = null;
  let origin = { snapshotSeq: 0, replayed: 0 };

  /** Cuts the closed days out of `target` into one archive chunk; a failed append puts them back. */
  const cut = (target: Aggregates): Promise<void> => {
    const before = clock.beforeDay();
    sizeAtCut = target.cells.size;
    if (before === null) return Promise.resolve();
    const taken = takeClosedDays(target, before);
    sizeAtCut = target.cells.size;
    if (taken.length === 0) return Promise.resolve();
    archiveFailed = false;
    return archive.append(target.throughSeq, taken, (error, back) => {
      putBack(target, back);
      sizeAtCut = target.cells.size;
      archiveFailed = true;
      deps.logger.warn(`could not archive ${back.length} of ${taken.length} closed-day report cells; they stay in memory`, { error });
    });
  };

  const write = (): Promise<void> => {
    if (writing) return writing;
    writing = (async () => {
      // Only once every chunk cut so far is durable (or back in memory) may a snapshot without those cells exist.
      // Late receipts streaming in can keep cutting; after a few rounds give up and try again on a later batch.
      for (let round = 0; archive.pending() > 0; round++) {
        if (round >= SNAPSHOT_WAIT_ROUNDS) return;
        await archive.idle();
      }
      const data = toSnapshot(agg);
      // Only when the ledger's end is the aggregates' last record (not inside an append's continuation, where the
      // ledger can be a batch ahead): the next start then seeks straight to it.
      const at = deps.ledger.position();
      sinceSnapshot = 0;
      await file.write(at.seq === data.throughSeq && at.hash === data.throughHash ? { ...data, position: at } : data);
    })()
      .catch((error: unknown) => deps.logger.warn('could not write the aggregates snapshot; it will be rebuilt from the ledger', { error }))
      .finally(() => {
        writing = null;
      });
    return writing;
  };

  const follow = (records: readonly LedgerRecord[]): void => {
    for (const record of records) applyRecord(agg, record);
    const last = records.at(-1);
    if (last && (clock.observe(last.ts) || (!archiveFailed && agg.cells.size > sizeAtCut))) void cut(agg);
    sinceSnapshot += records.length;
    // On the next turn, not in this append's continuation: by then the ledger's end is what the aggregates hold,
    // so the snapshot can name its byte (write).
    if (sinceSnapshot >= every) setImmediate(() => void write());
  };

  async function load(): Promise<{ agg: Aggregates; position: LedgerPosition | null } | null> {
    try {
      const snapshot = await file.read();
      if (!snapshot) return null;
      const agg = fromSnapshot(snapshot);
      const p = snapshot.position;
      const position = p && p.seq === agg.throughSeq && p.hash === agg.throughHash && (await deps.ledger.holds(p)) ? p : null;
      return { agg, position };
    } catch (error) {
      deps.logger.warn('the aggregates snapshot is unreadable (or of an older format); rebuilding from the ledger', { error });
      return null;
    }
  }

  /**
   * Folds the ledger's records after `target.throughSeq` into it, cutting closed days as it goes; null if record
   * `checkSeq` has another hash. From `position` (checked already: its record is `checkSeq`) if known.
   */
  async function fold(
    target: Aggregates,
    checkSeq: number,
    checkHash: string,
    position: LedgerPosition | null = null,
  ): Promise<number | null> {
    let folded = 0;
    // From the snapshot's byte, or its record's segment on: the segments before it are not read at all.
    const range = position ? { after: position } : checkSeq > 0 ? { fromSeq: checkSeq } : undefined;
    for await (const record of deps.ledger.records(range)) {
      if (record.seq === checkSeq && record.hash !== checkHash) return null;
      if (record.seq <= target.throughSeq) continue;
      applyRecord(target, record);
      folded++;
      if (clock.observe(record.ts) || (folded % CUT_EVERY === 0 && target.cells.size > sizeAtCut)) await cut(target);
    }
    if (target.cells.size > sizeAtCut) await cut(target);
    return folded;
  }

  async function rebuild(): Promise<{ agg: Aggregates; folded: number }> {
    // No snapshot, no archive: a crash during the rebuild leads to another rebuild, never to a mix.
    await rm(snapshotPath, { force: true });
    await syncDir(path.dirname(snapshotPath));
    await archive.clear();
    clock = new ClosedDayClock();
    const fresh = emptyAggregates();
    sizeAtCut = 0;
    return { agg: fresh, folded: (await fold(fresh, -1, '')) ?? 0 };
  }

  return {
    async start() {
      await mkdir(path.dirname(snapshotPath), { recursive: true });
      await archive.open();
      const found = await load();
      let loaded = found?.agg ?? null;
      if (loaded && loaded.throughSeq > deps.ledger.head().seq) {
        deps.logger.warn(`the aggregates snapshot is ahead of the ledger (seq ${loaded.throughSeq}); rebuilding`);
        loaded = null;
      }
      let snapshotSeq = 0;
      let replayed: number | null = null;
      if (loaded) {
        snapshotSeq = loaded.throughSeq;
        const dropped = await archive.keepThrough(snapshotSeq);
        if (dropped > 0) deps.logger.info(`dropped ${dropped} report cell chunk(s) cut after the snapshot; the replay derives them again`);
        clock = new ClosedDayClock();
        sizeAtCut = loaded.cells.size;
        replayed = await fold(loaded, snapshotSeq, loaded.throughHash, found?.position ?? null);
        if (replayed === null)
          deps.logger.warn(`the aggregates snapshot does not match ledger record ${snapshotSeq}; rebuilding from the ledger`);
      }
      if (!loaded || replayed === null) {
        const rebuilt = await rebuild();
        loaded = rebuilt.agg;
        replayed = rebuilt.folded;
        snapshotSeq = 0;
      }
      agg = loaded;
      origin = { snapshotSeq, replayed };
      unsubscribe = deps.ledger.onAppended(follow);
      deps.logger.info(`aggregates ready through seq ${agg.throughSeq}: snapshot at ${snapshotSeq}, ${replayed} records folded at start`);
      if (replayed > 0) await write();
    },

    async stop() {
      unsubscribe?.();
      unsubscribe = null;
      await writing;
      await write();
    },

    current: () => agg,

    eachCell(from, to, visit) {
      // A copy of the in-memory cells now, before anything else can be cut; the archive reads the chunks cut before this moment.
      const hot: CellRow[] = [];
      for (const c of agg.cells.values()) if (c.day >= from && c.day <= to) hot.push(toRow({ ...c, v: [...c.v] }));
      return archive.read(from, to, hot, visit);
    },

    async cells(from, to) {
      const out = new Map<string, Cell>();
      await this.eachCell(from, to, ([noticeId, deviceId, villageId, day, v]) => addInto(out, noticeId, deviceId, villageId, day, v));
      return [...out.values()];
    },

    async sumCells(from, to) {
      const sums = new CellSums();
      await this.eachCell(from, to, ([noticeId, , villageId, , v]) => sums.add(noticeId, villageId, v));
      return sums.rows();
    },

    snapshot: async () => {
      await writing;
      await write();
    },
    startedFrom: () => origin,
  };
}
