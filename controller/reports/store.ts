/**
 * Keeps the report aggregates current and on disk, apart from state.json
 * (which is rewritten whole on every write and must stay small).
 *
 * At start: read `<data dir>/aggregates/snapshot.json` (written durably: temp
 * file, fsync, rename, fsync dir), check that the ledger still has the record
 * it was taken at with the same hash, then fold in only the records after it.
 * A missing, unreadable or stale snapshot means a full rebuild from the ledger.
 * While running: every appended record is folded in as it becomes durable, and
 * a fresh snapshot is written every `snapshotEvery` records and at stop.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../logger.js';
import { DurableJsonFile } from '../store/durableFile.js';
import type { LedgerRecord } from '../store/ledger.js';
import { type Aggregates, type AggregatesSnapshot, applyRecord, emptyAggregates, fromSnapshot, toSnapshot } from './aggregates.js';
import type { ObservedLedger } from './tap.js';

export interface AggregateStore {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** The live aggregates; read-only for callers. */
  current(): Readonly<Aggregates>;
  /** Writes a snapshot now (tests, and before a planned shutdown). */
  snapshot(): Promise<void>;
  /** How the last start got its data. */
  startedFrom(): { snapshotSeq: number; replayed: number };
}

export const SNAPSHOT_FILE = path.join('aggregates', 'snapshot.json');

export function createAggregateStore(deps: {
  dataDir: string;
  ledger: ObservedLedger;
  logger: Logger;
  snapshotEvery?: number;
}): AggregateStore {
  const file = new DurableJsonFile<AggregatesSnapshot>(path.join(deps.dataDir, SNAPSHOT_FILE));
  const every = deps.snapshotEvery ?? 50_000;
  let agg = emptyAggregates();
  let sinceSnapshot = 0;
  let writing: Promise<void> | null = null;
  let unsubscribe: (() => void) | null = null;
  let origin = { snapshotSeq: 0, replayed: 0 };

  const write = (): Promise<void> => {
    if (writing) return writing;
    const data = toSnapshot(agg);
    sinceSnapshot = 0;
    writing = file
      .write(data)
      .catch((error: unknown) => deps.logger.warn('could not write the aggregates snapshot; it will be rebuilt from the ledger', { error }))
      .finally(() => {
        writing = null;
      });
    return writing;
  };

  const follow = (records: readonly LedgerRecord[]): void => {
    for (const record of records) applyRecord(agg, record);
    sinceSnapshot += records.length;
    if (sinceSnapshot >= every) void write();
  };

  async function load(): Promise<Aggregates> {
    try {
      const snapshot = await file.read();
      return snapshot ? fromSnapshot(snapshot) : emptyAggregates();
    } catch (error) {
      deps.logger.warn('the aggregates snapshot is unreadable; rebuilding from the ledger', { error });
      return emptyAggregates();
    }
  }

  return {
    async start() {
      await mkdir(path.dirname(path.join(deps.dataDir, SNAPSHOT_FILE)), { recursive: true });
      let loaded = await load();
      if (loaded.throughSeq > deps.ledger.head().seq) {
        deps.logger.warn(`the aggregates snapshot is ahead of the ledger (seq ${loaded.throughSeq}); rebuilding`);
        loaded = emptyAggregates();
      }
      const snapshotSeq = loaded.throughSeq;
      let replayed = 0;
      let stale = false;
      for await (const record of deps.ledger.records()) {
        if (record.seq === snapshotSeq && record.hash !== loaded.throughHash) stale = true;
        if (stale || record.seq <= loaded.throughSeq) continue;
        applyRecord(loaded, record);
        replayed++;
      }
      if (stale) {
        deps.logger.warn(`the aggregates snapshot does not match ledger record ${snapshotSeq}; rebuilding from the ledger`);
        loaded = emptyAggregates();
        for await (const record of deps.ledger.records()) applyRecord(loaded, record);
        replayed = loaded.throughSeq;
      }
      agg = loaded;
      origin = { snapshotSeq: stale ? 0 : snapshotSeq, replayed };
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
    snapshot: async () => {
      await writing;
      await write();
    },
    startedFrom: () => origin,
  };
}
