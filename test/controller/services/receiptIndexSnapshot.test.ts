/**
 * The receipt index starts from its snapshot (issue 12 point 12): on real
 * ledger files, the index loaded from a snapshot and the records after it is
 * the index a full rebuild makes; a torn snapshot, or one whose record the
 * ledger no longer holds, is detected and the index rebuilt; a snapshot behind
 * the ledger folds only what came after it; and nothing before the snapshot's
 * byte is read (a line there made unreadable does not stop the start).
 */
import { randomUUID } from 'node:crypto';
import { cp, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEventBus } from '../../../controller/events.js';
import { createLogger } from '../../../controller/logger.js';
import type { KioskReceipt } from '../../../controller/protocol/index.js';
import { RECEIPT_INDEX_NAME, createDisplayService } from '../../../controller/services/displays.js';
import { NODE_RECORD_INDEX_NAME, createNodeRecordService } from '../../../controller/services/nodeRecords.js';
import { observeLedger } from '../../../controller/reports/projection/tap.js';
import { INDEXES_DIR } from '../../../controller/store/indexSnapshot.js';
import { createLedger } from '../../../controller/store/ledger.js';
import type { DeviceRecord, StateStore } from '../../../controller/store/state.js';

const logger = createLogger({ level: 'silent' });
const T0 = 1_795_000_000_000;
const HASH = 'a'.repeat(64);
const store = {
  read: () => ({ notices: [{ id: 'n1', versions: [{ contentHash: HASH, review: { decision: 'approved' } }] }] }),
} as unknown as StateStore;
const device = (id: string): DeviceRecord => ({
  id,
  kind: 'kiosk',
  name: id,
  villageId: 'v1',
  demo: false,
  tokenHash: 'x',
  createdAt: T0,
  lastSeenAt: null,
});

let dir: string;
let now = T0;
let stops: (() => Promise<void>)[] = [];
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'gongshi-receipt-snapshot-'));
  now = T0;
});
afterEach(async () => {
  for (const stop of stops) await stop();
  stops = [];
  await rm(dir, { recursive: true, force: true });
});

const snapshotFile = (name = RECEIPT_INDEX_NAME) => path.join(dir, INDEXES_DIR, `${name}.json`);

/** A controller start on `dir`: the ledger, the display and node record services. */
async function start() {
  const ledger = observeLedger(createLedger({ dataDir: dir, logger, now: () => now }));
  await ledger.start();
  const clock = { now: () => now };
  const displays = createDisplayService({ ledger, dataDir: dir, store, bus: createEventBus(), clock, logger });
  await displays.start();
  const nodes = createNodeRecordService({ ledger, dataDir: dir, now: () => now, store, signs: () => [], logger });
  await nodes.start();
  const stop = () => ledger.stop();
  stops.push(stop);
  return {
    ledger,
    displays,
    nodes,
    /** Saves both snapshots where the ledger ends (what the controller's keeper does from its timer and at stop). */
    save: async () => {
      await displays.index.save(ledger.position());
      await nodes.index.save(ledger.position());
    },
    stop: async () => (stops.splice(stops.indexOf(stop), 1), await stop()),
  };
}

/** The index as its snapshot file holds it (the body after the header line). */
async function indexBody(run: Awaited<ReturnType<typeof start>>): Promise<unknown> {
  await run.save();
  const text = await readFile(snapshotFile(), 'utf8');
  return JSON.parse(text.slice(text.indexOf('\n') + 1));
}

/** The index a start without any snapshot makes from the same ledger. */
async function rebuiltBody(): Promise<unknown> {
  await rm(path.join(dir, INDEXES_DIR), { recursive: true, force: true });
  const run = await start();
  expect(run.displays.startedFrom().snapshotSeq).toBe(0);
  const body = await indexBody(run);
  await run.stop();
  return body;
}

let receiptNo = new Map<string, number>();
const display = (deviceId: string, seq?: number): KioskReceipt => {
  const n = seq ?? (receiptNo.get(deviceId) ?? 0) + 1;
  receiptNo.set(deviceId, Math.max(n, receiptNo.get(deviceId) ?? 0));
  return {
    kind: 'display',
    receiptId: randomUUID(),
    seq: n,
    noticeId: 'n1',
    contentHash: HASH,
    clockTrusted: true,
    startedAt: now - 30_000,
    endedAt: now,
  };
};

/** A day of a small town's receipts: displays with a gap, refusals, ratings, an emergency acknowledgement and a kiosk that resets. */
async function traffic(displays: Awaited<ReturnType<typeof start>>['displays'], round: number): Promise<void> {
  for (const id of ['k1', 'k2', 'k3']) {
    now += 60_000;
    await displays.record(device(id), [display(id), display(id), display(id)]);
  }
  now += 60_000;
  // A gap on k2 (one number skipped), a refusal (unknown notice), a rating and an acknowledgement.
  receiptNo.set('k2', (receiptNo.get('k2') ?? 0) + 1);
  await displays.record(device('k2'), [display('k2'), { ...display('k2'), noticeId: 'gone' }]);
  await displays.record(device('k3'), [
    {
      kind: 'interaction',
      action: 'rated',
      rating: 4,
      receiptId: randomUUID(),
      seq: (receiptNo.get('k3') ?? 0) + 1,
      noticeId: 'n1',
      contentHash: HASH,
      clockTrusted: true,
      at: now,
    },
    {
      kind: 'emergency_ack',
      receiptId: randomUUID(),
      seq: (receiptNo.get('k3') ?? 0) + 2,
      noticeId: 'n1',
      contentHash: HASH,
      clockTrusted: true,
      at: now,
    },
  ] as KioskReceipt[]);
  receiptNo.set('k3', (receiptNo.get('k3') ?? 0) + 2);
  if (round === 1) {
    // k1's storage was wiped: it counts from 1 again.
    receiptNo.set('k1', 0);
    await displays.record(device('k1'), [display('k1'), display('k1')]);
  }
}

describe('the receipt index from its snapshot', () => {
  beforeEach(() => {
    receiptNo = new Map();
  });

  it('is the index a full rebuild makes, from a snapshot at the head and from one behind it', async () => {
    const first = await start();
    await traffic(first.displays, 0);
    await first.save();
    const savedAt = first.ledger.head().seq;
    // More after the snapshot: the next start is behind by these.
    await traffic(first.displays, 1);
    await traffic(first.displays, 2);
    const behind = first.ledger.head().seq - savedAt;
    await first.stop();

    const second = await start();
    expect(second.displays.startedFrom()).toEqual({ snapshotSeq: savedAt, replayed: behind });
    const fromSnapshot = await indexBody(second);
    const gaps = ['k1', 'k2', 'k3'].map((id) => second.displays.gaps(id));
    const list = second.displays.list({ limit: 100 });
    await second.stop();

    expect(fromSnapshot).toEqual(await rebuiltBody());
    const third = await start();
    expect(['k1', 'k2', 'k3'].map((id) => third.displays.gaps(id))).toEqual(gaps);
    expect(third.displays.list({ limit: 100 })).toEqual(list);
    expect(gaps[1]?.missing).toHaveLength(3);
    await third.stop();
  });

  it('answers a receipt resent after a start from a snapshot as recorded, and writes it once', async () => {
    const first = await start();
    const sent = [display('k1'), display('k1')];
    await first.displays.record(device('k1'), sent);
    await first.save();
    const later = display('k1');
    await first.displays.record(device('k1'), [later]);
    await first.stop();

    const second = await start();
    expect(second.displays.startedFrom().snapshotSeq).toBeGreaterThan(0);
    const before = second.ledger.head().seq;
    const again = await second.displays.record(device('k1'), [...sent, later]);
    expect(again.recorded.sort()).toEqual([...sent, later].map((r) => r.receiptId).sort());
    expect(second.ledger.head().seq).toBe(before);
    await second.stop();
  });

  it('reads nothing before the snapshot: an unreadable line there does not stop the start', async () => {
    const first = await start();
    await traffic(first.displays, 0);
    await first.save();
    await traffic(first.displays, 2);
    await first.stop();
    // Spoil the ledger's first line (same length, no longer JSON): only a start that reads it would fail.
    const [segment] = await readdir(path.join(dir, 'ledger'));
    const file = path.join(dir, 'ledger', segment!);
    const bytes = await readFile(file);
    bytes[0] = '#'.charCodeAt(0);
    await writeFile(file, bytes);

    const second = await start();
    expect(second.displays.startedFrom().snapshotSeq).toBeGreaterThan(0);
    expect(second.displays.startedFrom().replayed).toBeGreaterThan(0);
    await second.stop();
  });

  it('rebuilds from the ledger when the snapshot is torn, and gets the same index', async () => {
    const first = await start();
    await traffic(first.displays, 0);
    await traffic(first.displays, 1);
    await first.save();
    const expected = await indexBody(first);
    await first.stop();
    const text = await readFile(snapshotFile());
    await writeFile(snapshotFile(), text.subarray(0, Math.floor(text.length * 0.7)));
    // Torn inside the header line too.
    const nodeText = await readFile(snapshotFile(NODE_RECORD_INDEX_NAME));
    await writeFile(snapshotFile(NODE_RECORD_INDEX_NAME), nodeText.subarray(0, 20));

    const second = await start();
    expect(second.displays.startedFrom().snapshotSeq).toBe(0);
    expect(await indexBody(second)).toEqual(expected);
    await second.stop();
  });

  it('rebuilds when the ledger no longer holds the snapshot’s record (restored from an older copy)', async () => {
    const first = await start();
    await traffic(first.displays, 0);
    await first.stop();
    const older = path.join(dir, 'ledger-older');
    await cp(path.join(dir, 'ledger'), older, { recursive: true });

    const second = await start();
    await traffic(second.displays, 1);
    await second.save();
    await second.stop();
    // The ledger goes back to the older copy; the snapshot is now ahead of it.
    await rm(path.join(dir, 'ledger'), { recursive: true });
    await cp(older, path.join(dir, 'ledger'), { recursive: true });
    await rm(older, { recursive: true });

    const third = await start();
    expect(third.displays.startedFrom().snapshotSeq).toBe(0);
    const body = await indexBody(third);
    await third.stop();
    expect(body).toEqual(await rebuiltBody());
  });
});
