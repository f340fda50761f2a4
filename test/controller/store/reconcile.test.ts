/**
 * The start's reconciliation of ledger and state (store/reconcile.ts): a staff
 * change recorded after the state's mark (a crash between the two writes) is
 * voided once, with its reason; one already voided is left alone; a change the
 * state did get moves the mark with it; a state from before marks is trusted.
 * Real ledger files and a real state file in a temp dir.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../controller/logger.js';
import { createLedger, type LedgerEntry, type LedgerRecord } from '../../../controller/store/ledger.js';
import { CRASH_VOID_REASON, readRecordsAfter, reconcileLedger } from '../../../controller/store/reconcile.js';
import { LEDGER_VOID_TYPE, recordThenSave, settleLedgerMark } from '../../../controller/store/recordThenSave.js';
import { createStateStore, emptyState } from '../../../controller/store/state.js';

const logger = createLogger({ level: 'silent' });
let dir: string;
let now = Date.parse('2026-03-02T02:00:00Z');

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'gongshi-reconcile-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function open() {
  const ledger = createLedger({ dataDir: dir, logger, now: () => now });
  const store = createStateStore({ dataDir: dir, logger, now: () => now });
  await store.start();
  await ledger.start();
  return {
    ledger,
    store,
    reconcile: () => reconcileLedger({ dataDir: dir, ledger, store, logger }),
    async records(): Promise<LedgerRecord[]> {
      const out: LedgerRecord[] = [];
      for await (const r of ledger.records()) out.push(r);
      return out;
    },
    async close() {
      await ledger.stop();
      await store.stop();
    },
  };
}

const approved = (noticeId: string): LedgerEntry => ({
  type: 'notice.approved',
  noticeId,
  versionId: `${noticeId}-v1`,
  contentHash: 'a'.repeat(64),
  actorId: 'u-r',
});

describe('reconciling ledger and state at start', () => {
  it('voids a staff change the state never got, once, and keeps the ones it got', async () => {
    let h = await open();
    await recordThenSave(h, { type: 'village.created', villageId: 'v1', name: '张堂村', actorId: 'u' }, (s) => {
      s.villages.push({ id: 'v1', name: '张堂村' });
    });
    expect(h.store.read().ledgerMark).toEqual(h.ledger.head());
    // The crash: the record is durable, the state write never happens. Receipts follow it.
    const [lost] = await h.ledger.append([approved('n1')]);
    await h.ledger.append([
      { type: 'display.kiosk', receiptId: 'r1' },
      { type: 'device.revoked', deviceId: 'd1' },
    ]);
    await h.close();

    h = await open();
    expect(await h.reconcile()).toEqual({ voided: [lost?.seq] });
    const voids = (await h.records()).filter((r) => r.type === LEDGER_VOID_TYPE);
    expect(voids).toMatchObject([{ voids: lost?.seq, voidsType: 'notice.approved', reason: CRASH_VOID_REASON }]);
    expect(h.store.read().ledgerMark).toEqual(h.ledger.head());
    expect(h.store.read().villages).toEqual([{ id: 'v1', name: '张堂村' }]);
    // A second start finds nothing more to do.
    expect(await h.reconcile()).toEqual({ voided: [] });
    await h.close();
  });

  it('does not void again what a void already covers, nor a record before the mark', async () => {
    let h = await open();
    await recordThenSave(h, { type: 'user.updated', userId: 'u', changes: {}, actorId: 'u' }, () => undefined);
    const [a, b] = await h.ledger.append([approved('n1'), approved('n2')]);
    // Killed after voiding `a` (a failed state write) but before it could void `b` too.
    await h.ledger.append([{ type: LEDGER_VOID_TYPE, voids: a?.seq, reason: 'the state write failed; the step did not take effect' }]);
    await h.close();
    h = await open();
    expect(await h.reconcile()).toEqual({ voided: [b?.seq] });
    expect((await h.records()).filter((r) => r.type === LEDGER_VOID_TYPE).map((r) => r.voids)).toEqual([a?.seq, b?.seq]);
    await h.close();
  });

  it('voids what an interrupted first start recorded before its state write', async () => {
    // A first start appended the demo notices' approvals and was killed before writing state.json.
    let h = await open();
    await h.ledger.append([approved('n1'), approved('n2')]);
    await h.ledger.stop();
    await h.store.stop();
    await rm(path.join(dir, 'state.json'));
    h = await open();
    expect(h.store.read().ledgerMark).toEqual({ seq: 0, hash: '0'.repeat(64) });
    expect(await h.reconcile()).toEqual({ voided: [1, 2] });
    await h.close();
  });

  it('trusts a state written before marks existed, and marks it', async () => {
    await writeFile(path.join(dir, 'state.json'), JSON.stringify({ ...emptyState(now), ledgerMark: undefined }));
    const h = await open();
    await h.ledger.append([approved('n1')]);
    expect(await h.reconcile()).toEqual({ voided: [] });
    expect(h.store.read().ledgerMark).toEqual(h.ledger.head());
    await h.close();
  });

  it('voids a change whose state write failed at once, and a clean stop moves the mark to the head', async () => {
    const h = await open();
    await expect(
      recordThenSave(h, approved('n1'), () => {
        throw new Error('state refused');
      }),
    ).rejects.toThrow('state refused');
    // The void went out at once here (the ledger could be written); a clean stop then moves the mark to the head.
    await settleLedgerMark(h);
    expect(h.store.read().ledgerMark).toEqual(h.ledger.head());
    const records = await h.records();
    expect(records.map((r) => r.type)).toEqual(['notice.approved', LEDGER_VOID_TYPE]);
    expect(await h.reconcile()).toEqual({ voided: [] });
    await h.close();
  });

  it('reads only the records after the mark, backwards across segments and long lines', async () => {
    const h = await open();
    const long = 'x'.repeat(700_000);
    await h.ledger.append(Array.from({ length: 5 }, (_, i) => ({ type: 'display.kiosk', i, long })));
    now += 40 * 86_400_000; // the next month's segment
    await h.ledger.append(Array.from({ length: 4 }, (_, i) => ({ type: 'display.kiosk', i: 5 + i, long })));
    const all = await h.records();
    const after = await readRecordsAfter(dir, 3, () => true);
    expect(after.records.map((r) => r.seq)).toEqual([4, 5, 6, 7, 8, 9]);
    expect(after.markHash).toBe(all[2]?.hash);
    const none = await readRecordsAfter(dir, 9, () => true);
    expect(none).toEqual({ records: [], markHash: all[8]?.hash });
    await h.close();
  });
});
