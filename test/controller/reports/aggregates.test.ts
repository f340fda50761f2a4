/**
 * The report aggregates follow the ledger as records arrive, survive a restart
 * through their snapshot, and always equal a rebuild from the ledger alone.
 */
import { readFile, readdir, rm, writeFile, mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../controller/logger.js';
import { COL, type Aggregates, rebuildAggregates, toSnapshot } from '../../../controller/reports/projection/aggregates.js';
import { SNAPSHOT_FILE, createAggregateStore } from '../../../controller/reports/projection/store.js';
import { observeLedger } from '../../../controller/reports/projection/tap.js';
import { createLedger } from '../../../controller/store/ledger.js';

const logger = createLogger({ level: 'silent' });
const DAY1 = Date.parse('2026-03-02T02:00:00Z'); // 10:00 in Beijing
const DAY2 = Date.parse('2026-03-02T17:00:00Z'); // 01:00 on 03-03 in Beijing
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'gongshi-agg-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function open(snapshotEvery = 1_000_000) {
  const ledger = observeLedger(createLedger({ dataDir: dir, logger, now: () => DAY2 + 3_600_000 }));
  await ledger.start();
  const store = createAggregateStore({ dataDir: dir, ledger, logger, snapshotEvery });
  await store.start();
  return {
    ledger,
    store,
    async close() {
      await store.stop();
      await ledger.stop();
    },
  };
}

const display = (noticeId: string, deviceId: string, startedAt: number, seconds: number) => ({
  type: 'display.kiosk',
  receiptId: `${noticeId}-${deviceId}-${startedAt}`,
  noticeId,
  deviceId,
  villageId: deviceId.startsWith('a') ? 'v-a' : 'v-b',
  contentHash: 'c'.repeat(64),
  startedAt,
  endedAt: startedAt + seconds * 1000,
  clockTrusted: true,
});
const interaction = (action: string, noticeId: string, deviceId: string, at: number, extra: object = {}) => ({
  type: `interaction.${action}`,
  noticeId,
  deviceId,
  at,
  ...extra,
});

/** A comparable picture of the aggregates (Maps → sorted arrays). */
const picture = (agg: Aggregates) => {
  const s = toSnapshot(agg);
  return { ...s, cells: [...s.cells].sort((a, b) => a.join().localeCompare(b.join())) };
};

describe('report aggregates', () => {
  it('count showings, seconds and interactions per notice × device × day as records arrive', async () => {
    const { ledger, store, close } = await open();
    await ledger.append([display('n1', 'a1', DAY1, 30), display('n1', 'a1', DAY1 + 60_000, 15), display('n1', 'b1', DAY2, 10)]);
    // A rating from a device whose village only its display records named.
    await Promise.all([
      ledger.append([interaction('opened', 'n1', 'a1', DAY1 + 5000)]),
      ledger.append([interaction('rated', 'n1', 'a1', DAY1 + 6000, { rating: 2, comment: '字太小' })]),
      ledger.append([interaction('read_aloud', 'n1', 'b1', DAY2 + 1000), interaction('qr_shown', 'n1', 'b1', DAY2 + 2000)]),
    ]);
    const cells = store.current().cells;
    const a1 = cells.get('n1\u0000a1\u00002026-03-02');
    const b1 = cells.get('n1\u0000b1\u00002026-03-03');
    expect(a1?.v.slice(0, 7)).toEqual([2, 45_000, 1, 0, 0, 1, 0]);
    expect(a1?.v[COL.rating + 1]).toBe(1);
    expect(a1?.villageId).toBe('v-a');
    expect(b1?.v.slice(0, 7)).toEqual([1, 10_000, 0, 1, 1, 0, 0]);
    expect(store.current().comments).toMatchObject([{ noticeId: 'n1', villageId: 'v-a', rating: 2, comment: '字太小' }]);
    expect(store.current().firstShown.get('n1\u0000a1')?.at).toBe(DAY1);
    await close();
  });

  it('equal a rebuild from the ledger, live and after restarts from the snapshot', async () => {
    let h = await open(7);
    for (let i = 0; i < 40; i++) {
      const batch = [
        display(`n${i % 3}`, `a${i % 4}`, DAY1 + i * 3_600_000, (i % 5) + 1),
        interaction(i % 2 ? 'opened' : 'rated', `n${i % 3}`, `a${i % 4}`, DAY1 + i * 3_600_000, i % 2 ? {} : { rating: (i % 5) + 1 }),
        { type: 'notice.approved', noticeId: `n${i % 3}`, actorId: 'u' },
      ];
      await h.ledger.append(batch);
    }
    const [voided] = await h.ledger.append([{ type: 'notice.withdrawn', noticeId: 'n0', reason: 'x' }]);
    await h.ledger.append([{ type: 'ledger.void', voids: voided?.seq }]);
    const live = picture(h.store.current());
    expect(picture(await rebuildAggregates(h.ledger.records()))).toEqual(live);
    expect(
      h.store
        .current()
        .lifecycle.get('n0')
        ?.some((s) => s.step === 'withdrawn'),
    ).toBe(false);
    await h.close();

    // Restart: the snapshot written at stop is used and nothing needs folding.
    h = await open();
    expect(h.store.startedFrom()).toEqual({ snapshotSeq: live.throughSeq, replayed: 0 });
    expect(picture(h.store.current() as Aggregates)).toEqual(live);
    // Records appended after an older snapshot are folded in at start.
    await h.ledger.append([display('n9', 'b9', DAY2, 4)]);
    const after = picture(h.store.current());
    await h.ledger.stop();
    h = await open();
    expect(h.store.startedFrom()).toEqual({ snapshotSeq: live.throughSeq, replayed: 1 });
    expect(picture(h.store.current() as Aggregates)).toEqual(after);
    expect(picture(await rebuildAggregates(h.ledger.records()))).toEqual(after);
    await h.close();
  });

  it('rebuild from the ledger when the snapshot is damaged or does not match the ledger', async () => {
    let h = await open();
    await h.ledger.append([display('n1', 'a1', DAY1, 30), display('n2', 'a1', DAY1, 20)]);
    await h.close();
    const file = path.join(dir, SNAPSHOT_FILE);
    const snapshot = JSON.parse(await readFile(file, 'utf8')) as ReturnType<typeof toSnapshot>;

    // A snapshot whose numbers were changed but whose head still matches would be trusted; one from another ledger is not.
    await writeFile(file, JSON.stringify({ ...snapshot, throughHash: 'f'.repeat(64), cells: [] }));
    h = await open();
    expect(h.store.startedFrom()).toEqual({ snapshotSeq: 0, replayed: 2 });
    expect(h.store.current().cells.size).toBe(2);
    await h.close();

    await writeFile(file, '{"format": 1, "throughSeq": 99');
    h = await open();
    expect(h.store.current().cells.size).toBe(2);
    await h.close();

    await writeFile(file, JSON.stringify({ ...snapshot, throughSeq: 50 }));
    h = await open();
    expect(h.store.startedFrom().snapshotSeq).toBe(0);
    expect(h.store.current().cells.get('n2\u0000a1\u00002026-03-02')?.v[COL.ms]).toBe(20_000);
    await h.close();
  });

  it('count LED sign intervals by the notice whose content they showed', async () => {
    const { ledger, store, close } = await open();
    await ledger.append([{ type: 'notice.approved', noticeId: 'n7', contentHash: 'd'.repeat(64), actorId: 'u' }]);
    await ledger.append([
      {
        type: 'sign.display',
        signId: 'sign-v2',
        villageId: 'v2',
        contentHash: 'd'.repeat(64),
        start: DAY1,
        end: DAY1 + 90_000,
        proof: 'ack',
      },
      {
        type: 'sign.display',
        signId: 'sign-v2',
        villageId: 'v2',
        contentHash: 'e'.repeat(64),
        start: DAY1,
        end: DAY1 + 5_000,
        proof: 'ack',
      },
    ]);
    expect(store.current().cells.get('n7\u0000sign-v2\u00002026-03-02')?.v.slice(0, 2)).toEqual([1, 90_000]);
    expect(store.current().cells.size).toBe(1);
    expect(store.current().signs.has('sign-v2')).toBe(true);
    await close();
  });

  it('count a village node’s coalesced rotation as the cards it holds, for their time on screen', async () => {
    const { ledger, store, close } = await open();
    await ledger.append([{ type: 'notice.approved', noticeId: 'n8', contentHash: 'f'.repeat(64), actorId: 'u' }]);
    await ledger.append([
      // 36 cards of 10 s, one every 100 s, from 08:00 to 09:00: the node's one record for them.
      {
        type: 'sign.display',
        signId: 'sign-v3',
        villageId: 'v3',
        contentHash: 'f'.repeat(64),
        start: DAY1,
        end: DAY1 + 35 * 100_000 + 10_000,
        proof: 'acknowledged',
        endReason: 'replaced',
        showings: 36,
        shownMs: 360_000,
        nodeId: 'node-1',
      },
    ]);
    expect(store.current().cells.get('n8\u0000sign-v3\u00002026-03-02')?.v.slice(0, 2)).toEqual([36, 360_000]);
    await close();
  });

  it('keep the aggregates out of state.json', async () => {
    const h = await open();
    await h.ledger.append([display('n1', 'a1', DAY1, 30)]);
    await h.close();
    await expect(readFile(path.join(dir, 'state.json'), 'utf8')).rejects.toThrow();
    expect(JSON.parse(await readFile(path.join(dir, SNAPSHOT_FILE), 'utf8'))).toMatchObject({ format: 6, throughSeq: 1 });
  });

  it('start from the byte where the snapshot’s record ends: nothing before it is read, not even in its segment', async () => {
    let h = await open();
    await h.ledger.append([display('n1', 'a1', DAY1, 30), display('n2', 'a1', DAY1, 20)]);
    await h.close();
    const snapshot = JSON.parse(await readFile(path.join(dir, SNAPSHOT_FILE), 'utf8')) as { position?: { seq: number } };
    expect(snapshot.position?.seq).toBe(2);
    h = await open();
    await h.ledger.append([display('n3', 'a1', DAY1, 10)]);
    const live = picture(h.store.current());
    await h.ledger.stop();
    // The segment's first line spoiled (same length, no longer JSON): a start that parsed it would fail.
    const [segment] = (await readdir(path.join(dir, 'ledger'))).filter((n) => n.endsWith('.jsonl'));
    const file = path.join(dir, 'ledger', segment!);
    const bytes = await readFile(file);
    bytes[0] = '#'.charCodeAt(0);
    await writeFile(file, bytes);
    h = await open();
    expect(h.store.startedFrom()).toEqual({ snapshotSeq: 2, replayed: 1 });
    expect(picture(h.store.current() as Aggregates)).toEqual(live);
    await h.close();
  });
});
