/**
 * Receipts exactly once in bounded memory (issue 7 point 4): the display
 * service on real ledger files, restarted on the same directory the way the
 * controller starts after a crash. Duplicates after a restart, a late
 * sequence number filling a gap, a kiosk whose storage was reset (its new
 * receipts all kept, the reset written down), old kiosk builds without
 * sequence numbers, and the ids and rating times it holds staying bounded.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEventBus } from '../../../controller/events.js';
import { createLogger } from '../../../controller/logger.js';
import type { KioskReceipt } from '../../../controller/protocol/index.js';
import { RATING_INTERVAL_MS, RECEIPT_SEQ_RESET_TYPE, createDisplayService } from '../../../controller/services/displays.js';
import { RECEIPT_ID_WINDOW } from '../../../controller/services/receiptIndex.js';
import { createLedger, type LedgerRecord } from '../../../controller/store/ledger.js';
import { observeLedger } from '../../../controller/reports/projection/tap.js';
import type { DeviceRecord, StateStore } from '../../../controller/store/state.js';

const logger = createLogger({ level: 'silent' });
const T0 = 1_795_000_000_000;
const HASH = 'a'.repeat(64);
/** The state the service reads: one notice with one approved version. */
const store = {
  read: () => ({ notices: [{ id: 'n1', versions: [{ contentHash: HASH, review: { decision: 'approved' } }] }] }),
} as unknown as StateStore;
const kiosk: DeviceRecord = {
  id: 'k1',
  kind: 'kiosk',
  name: '一号',
  villageId: 'v1',
  demo: false,
  tokenHash: 'x',
  createdAt: T0,
  lastSeenAt: null,
};

let dir: string;
let now = T0;
let stops: (() => Promise<void>)[] = [];
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'gongshi-displays-'));
  now = T0;
});
afterEach(async () => {
  for (const stop of stops) await stop();
  stops = [];
  await rm(dir, { recursive: true, force: true });
});

/** A controller start on `dir`: a ledger and a display service rebuilt from it. */
async function start() {
  const ledger = observeLedger(createLedger({ dataDir: dir, logger, now: () => now }));
  await ledger.start();
  const clock = { now: () => now };
  const displays = createDisplayService({ ledger, dataDir: dir, store, bus: createEventBus(), clock, logger });
  await displays.start();
  const stop = () => ledger.stop();
  stops.push(stop);
  const records = async (): Promise<LedgerRecord[]> => {
    const out: LedgerRecord[] = [];
    for await (const r of ledger.records()) out.push(r);
    return out;
  };
  return { displays, ledger, records, stop: async () => (stops.splice(stops.indexOf(stop), 1), await stop()) };
}

const display = (seq?: number): KioskReceipt => ({
  kind: 'display',
  receiptId: randomUUID(),
  ...(seq === undefined ? {} : { seq }),
  noticeId: 'n1',
  contentHash: HASH,
  clockTrusted: true,
  startedAt: now - 60_000,
  endedAt: now,
});
const ids = (receipts: readonly KioskReceipt[]) => receipts.map((r) => r.receiptId).sort();
const receiptRecords = (records: readonly LedgerRecord[]) => records.filter((r) => typeof r.receiptId === 'string');

describe('receipts exactly once, bounded', () => {
  it('answers a resent receipt as recorded after a restart, without writing it twice', async () => {
    const first = await start();
    const batch = [display(1), display(2), display(3)];
    expect((await first.displays.record(kiosk, batch)).recorded.sort()).toEqual(ids(batch));
    await first.stop();

    const second = await start();
    const again = await second.displays.record(kiosk, batch);
    expect(again.recorded.sort()).toEqual(ids(batch));
    expect(again.rejected).toEqual([]);
    expect(receiptRecords(await second.records())).toHaveLength(3);
    expect(second.displays.gaps('k1')).toEqual({ highestSeq: 3, missing: [] });
  });

  it('records a late receipt that fills a gap, before and after a restart, and only once', async () => {
    const first = await start();
    const [r1, r2, r3, r4, r5] = [display(1), display(2), display(3), display(4), display(5)];
    await first.displays.record(kiosk, [r1, r2, r5]);
    expect(first.displays.gaps('k1')).toEqual({ highestSeq: 5, missing: [3, 4] });
    expect((await first.displays.record(kiosk, [r3])).recorded).toEqual([r3.receiptId]);
    await first.stop();

    const second = await start();
    expect(second.displays.gaps('k1')).toEqual({ highestSeq: 5, missing: [4] });
    expect((await second.displays.record(kiosk, [r4, r3])).recorded.sort()).toEqual(ids([r4, r3]));
    expect(second.displays.gaps('k1')).toEqual({ highestSeq: 5, missing: [] });
    expect(receiptRecords(await second.records()).map((r) => r.receiptSeq)).toEqual([1, 2, 5, 3, 4]);
  });

  it('keeps every receipt of a kiosk whose storage was reset, writes the reset down, and re-bases its numbering', async () => {
    const first = await start();
    await first.displays.record(kiosk, [1, 2, 3, 4, 5, 6].map(display));
    // Storage wiped: the kiosk counts from 1 again, with new ids.
    const reborn = [display(1), display(2), display(3)];
    const result = await first.displays.record(kiosk, reborn);
    expect(result.recorded.sort()).toEqual(ids(reborn));
    expect(first.displays.gaps('k1')).toEqual({ highestSeq: 3, missing: [] });
    const resets = (await first.records()).filter((r) => r.type === RECEIPT_SEQ_RESET_TYPE);
    expect(resets).toEqual([
      expect.objectContaining({ deviceId: 'k1', previousHighest: 6, firstSeq: 1, firstReceiptId: reborn[0]!.receiptId }),
    ]);
    await first.stop();

    const second = await start();
    expect(second.displays.gaps('k1')).toEqual({ highestSeq: 3, missing: [] });
    // Its resent receipts are duplicates; the next one is new; no second reset.
    const next = display(4);
    expect((await second.displays.record(kiosk, [...reborn, next])).recorded.sort()).toEqual(ids([...reborn, next]));
    const records = await second.records();
    expect(receiptRecords(records)).toHaveLength(10);
    expect(records.filter((r) => r.type === RECEIPT_SEQ_RESET_TYPE)).toHaveLength(1);
  });

  it('deduplicates receipts without sequence numbers (older kiosk builds) by id, across a restart', async () => {
    const first = await start();
    const old = [display(), display()];
    expect((await first.displays.record(kiosk, old)).recorded.sort()).toEqual(ids(old));
    await first.stop();
    const second = await start();
    expect((await second.displays.record(kiosk, old)).recorded.sort()).toEqual(ids(old));
    expect(receiptRecords(await second.records())).toHaveLength(2);
    expect(second.displays.gaps('k1')).toEqual({ highestSeq: 0, missing: [] });
  });

  it('gives a refused receipt the same answer when it is resent after a restart', async () => {
    const first = await start();
    const wrong = { ...display(1), contentHash: 'b'.repeat(64) };
    const { rejected } = await first.displays.record(kiosk, [wrong]);
    expect(rejected).toEqual([{ receiptId: wrong.receiptId, reason: expect.stringMatching(/no published version/) }]);
    await first.stop();
    const second = await start();
    expect((await second.displays.record(kiosk, [wrong])).rejected).toEqual(rejected);
    expect(receiptRecords(await second.records()).map((r) => r.type)).toEqual(['receipt.rejected']);
  });

  it('holds at most the window of receipt ids per device, and still recognises the last report resent', async () => {
    const first = await start();
    const total = RECEIPT_ID_WINDOW * 3;
    let last: KioskReceipt[] = [];
    for (let seq = 1; seq <= total; seq += 500) {
      last = Array.from({ length: Math.min(500, total - seq + 1) }, (_, i) => display(seq + i));
      await first.displays.record(kiosk, last);
    }
    expect(first.displays.retained()).toEqual({ devices: 1, receiptIds: RECEIPT_ID_WINDOW, numberRuns: 1, ratings: 0 });
    expect((await first.displays.record(kiosk, last)).recorded).toHaveLength(last.length);
    await first.stop();

    const second = await start();
    expect(second.displays.retained().receiptIds).toBe(RECEIPT_ID_WINDOW);
    expect((await second.displays.record(kiosk, last)).recorded).toHaveLength(last.length);
    const records = await second.records();
    expect(receiptRecords(records)).toHaveLength(total);
    expect(records.filter((r) => r.type === RECEIPT_SEQ_RESET_TYPE)).toEqual([]);
  });

  it('recognises a receipt resent after 1,101 newer ones, before and after a restart: recorded once, no re-base, no gap', async () => {
    const first = await start();
    const old = display(1);
    await first.displays.record(kiosk, [old]);
    for (let seq = 2; seq <= 1102; seq += 500) {
      await first.displays.record(
        kiosk,
        Array.from({ length: Math.min(500, 1103 - seq) }, (_, i) => display(seq + i)),
      );
    }
    // A restored outbox (or a clone) sends the old receipt again, then goes on numbering where the original had got to.
    const next = display(1103);
    const result = await first.displays.record(kiosk, [old, next]);
    expect(result.recorded.sort()).toEqual(ids([old, next]));
    expect(first.displays.gaps('k1')).toEqual({ highestSeq: 1103, missing: [] });
    await first.stop();

    const second = await start();
    expect((await second.displays.record(kiosk, [old])).recorded).toEqual([old.receiptId]);
    const records = await second.records();
    expect(receiptRecords(records).filter((r) => r.receiptId === old.receiptId)).toHaveLength(1);
    expect(receiptRecords(records)).toHaveLength(1103);
    expect(records.filter((r) => r.type === RECEIPT_SEQ_RESET_TYPE)).toEqual([]);
    expect(second.displays.gaps('k1')).toEqual({ highestSeq: 1103, missing: [] });
  });

  it('keeps the numbering as runs: a kiosk that sends in order holds one run however many receipts it sent', async () => {
    const first = await start();
    await first.displays.record(kiosk, [1, 2, 3, 5, 6].map(display));
    expect(first.displays.retained().numberRuns).toBe(2);
    await first.displays.record(kiosk, [display(4)]);
    expect(first.displays.retained().numberRuns).toBe(1);
  });

  it('forgets rating times once they no longer limit anything, and still refuses a second rating within the interval', async () => {
    const first = await start();
    const rating = (seq: number): KioskReceipt => ({
      kind: 'interaction',
      action: 'rated',
      rating: 4,
      receiptId: randomUUID(),
      seq,
      noticeId: 'n1',
      contentHash: HASH,
      clockTrusted: true,
      at: now,
    });
    expect((await first.displays.record(kiosk, [rating(1)])).recorded).toHaveLength(1);
    expect(first.displays.retained().ratings).toBe(1);
    now += RATING_INTERVAL_MS / 2;
    expect((await first.displays.record(kiosk, [rating(2)])).rejected).toHaveLength(1);
    now += RATING_INTERVAL_MS;
    await first.displays.record(kiosk, [display(3)]);
    expect(first.displays.retained().ratings).toBe(0);
    expect((await first.displays.record(kiosk, [rating(4)])).recorded).toHaveLength(1);
  });
});
