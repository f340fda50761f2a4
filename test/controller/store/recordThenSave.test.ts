/**
 * Staff changes saved in batches (store/recordThenSave.ts, issue 12 point 13): changes made while a state write is
 * under way share the next one — one ledger append and one state write — each answered only once both are durable;
 * a change that throws fails alone, and a failed state write voids every record of its batch before any state is
 * written past them. Real ledger files and a real state file in a temp dir.
 */
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../controller/logger.js';
import { createLedger, type LedgerEntry, type LedgerRecord } from '../../../controller/store/ledger.js';
import { reconcileLedger } from '../../../controller/store/reconcile.js';
import { LEDGER_VOID_TYPE, recordThenSave } from '../../../controller/store/recordThenSave.js';
import { type State, type StateStore, createStateStore } from '../../../controller/store/state.js';

const logger = createLogger({ level: 'silent' });
let dir: string;
const now = Date.parse('2026-03-02T02:00:00Z');

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'gongshi-batch-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function open() {
  const ledger = createLedger({ dataDir: dir, logger, now: () => now });
  const real = createStateStore({ dataDir: dir, logger, now: () => now });
  await real.start();
  await ledger.start();
  // The real store, with its state writes counted.
  const writes = { count: 0 };
  const store: StateStore = {
    ...real,
    update: (change) => {
      writes.count++;
      return real.update(change);
    },
  };
  return {
    ledger,
    store,
    writes,
    async records(): Promise<LedgerRecord[]> {
      const out: LedgerRecord[] = [];
      for await (const r of ledger.records()) out.push(r);
      return out;
    },
    async onDisk(): Promise<State> {
      return JSON.parse(await readFile(path.join(dir, 'state.json'), 'utf8')) as State;
    },
    async close() {
      await ledger.stop();
      await real.stop();
    },
  };
}

const created = (villageId: string): LedgerEntry => ({ type: 'village.created', villageId, name: `村${villageId}`, actorId: 'u' });
const addVillage = (id: string) => (s: State) => {
  s.villages.push({ id, name: `村${id}` });
  return id;
};

describe('staff changes saved in batches', () => {
  it('has the changes made together share one state write, each answered with its own record once durable', async () => {
    const h = await open();
    const ids = Array.from({ length: 30 }, (_, i) => `v${i}`);
    const answers = await Promise.all(ids.map((id) => recordThenSave(h, created(id), addVillage(id))));
    expect(h.writes.count).toBe(1);
    expect(answers.map((a) => a.result)).toEqual(ids);
    expect(answers.map((a) => (a.record as { villageId?: string } | undefined)?.villageId)).toEqual(ids);
    const records = await h.records();
    expect(records.map((r) => (r as { villageId?: string }).villageId)).toEqual(ids);
    const disk = await h.onDisk();
    expect(disk.villages.map((v) => v.id)).toEqual(ids);
    expect(disk.ledgerMark).toEqual(h.ledger.head());
    // A change made after the batch was answered is a batch of its own.
    await recordThenSave(h, created('late'), addVillage('late'));
    expect(h.writes.count).toBe(2);
    expect((await h.onDisk()).villages.at(-1)?.id).toBe('late');
    expect(await reconcileLedger({ dataDir: dir, ledger: h.ledger, store: h.store, logger })).toEqual({ voided: [] });
    await h.close();
  });

  it('fails a change that throws alone: its record is voided, the others of its batch are saved', async () => {
    const h = await open();
    const results = await Promise.allSettled(
      ['a', 'b', 'c', 'd'].map((id) =>
        recordThenSave(h, created(id), (s) => {
          if (id === 'b') {
            s.villages.push({ id: 'half-done', name: '半截' });
            throw new Error('b cannot be applied');
          }
          return addVillage(id)(s);
        }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toEqual(new Error('b cannot be applied'));
    const disk = await h.onDisk();
    expect(disk.villages.map((v) => v.id)).toEqual(['a', 'c', 'd']);
    const records = await h.records();
    const b = records.find((r) => (r as { villageId?: string }).villageId === 'b');
    expect(records.filter((r) => r.type === LEDGER_VOID_TYPE).map((r) => r.voids)).toEqual([b?.seq]);
    expect(disk.ledgerMark).toEqual(h.ledger.head());
    expect(await reconcileLedger({ dataDir: dir, ledger: h.ledger, store: h.store, logger })).toEqual({ voided: [] });
    await h.close();
  });

  it('voids every record of a batch whose state write failed, and the next batch saves past the voids', async () => {
    const h = await open();
    await recordThenSave(h, created('first'), addVillage('first'));
    // The state file cannot be replaced: a directory stands where it goes.
    await rm(path.join(dir, 'state.json'));
    await mkdir(path.join(dir, 'state.json', 'in-the-way'), { recursive: true });
    const failed = await Promise.allSettled(['x', 'y', 'z'].map((id) => recordThenSave(h, created(id), addVillage(id))));
    expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(h.store.read().villages.map((v) => v.id)).toEqual(['first']);
    const records = await h.records();
    const lost = records.filter((r) => ['x', 'y', 'z'].includes((r as { villageId?: string }).villageId ?? '')).map((r) => r.seq);
    expect(records.filter((r) => r.type === LEDGER_VOID_TYPE).map((r) => r.voids)).toEqual(lost);

    await rm(path.join(dir, 'state.json'), { recursive: true });
    await recordThenSave(h, created('after'), addVillage('after'));
    const disk = await h.onDisk();
    expect(disk.villages.map((v) => v.id)).toEqual(['first', 'after']);
    expect(disk.ledgerMark).toEqual(h.ledger.head());
    expect(await reconcileLedger({ dataDir: dir, ledger: h.ledger, store: h.store, logger })).toEqual({ voided: [] });
    await h.close();
  });
});
