import { type Ack, type DisplayReportResult, type KioskReceipt, displayReport, invalidPayload } from '@protocol';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { type ReceiptInput, type ScheduleFn, createOutbox } from '../../kiosk/outbox';
import { type KioskStorage, legacyKey, openKioskStorage } from '../../kiosk/storage';
import { HASH_A, HASH_B, memoryBackend, receipt } from './fixtures';

type Answer = (batch: KioskReceipt[]) => Ack<DisplayReportResult> | Promise<Ack<DisplayReportResult>>;

function recordAll(batch: KioskReceipt[]): Ack<DisplayReportResult> {
  return { ok: true, data: { recorded: batch.map((r) => r.receiptId), rejected: [] } };
}

/** Answers as the controller does: the whole batch refused with every bad field named when it fails validation, else recorded. */
function validating(options: { nameFields: boolean } = { nameFields: true }): Answer {
  return (batch) => {
    const parsed = displayReport.safeParse({ receipts: batch });
    if (parsed.success) return recordAll(batch);
    const refusal = invalidPayload(parsed.error);
    if (options.nameFields) return refusal;
    const { fields: _fields, ...unnamed } = refusal;
    return unnamed;
  };
}

/** A send function that records each batch and answers from a script (default: records everything). */
function fakeSend(answer: Answer = recordAll) {
  const batches: KioskReceipt[][] = [];
  const send = async (batch: KioskReceipt[]): Promise<Ack<DisplayReportResult>> => {
    batches.push(batch);
    return answer(batch);
  };
  return { batches, send };
}

/** A scheduler the test fires by hand: no sleeping. */
function manualSchedule() {
  const pending: { fn: () => void; ms: number }[] = [];
  const schedule: ScheduleFn = (fn, ms) => {
    const entry = { fn, ms };
    pending.push(entry);
    return () => pending.splice(pending.indexOf(entry), 1);
  };
  const fire = (): void => {
    for (const entry of pending.splice(0)) entry.fn();
  };
  return { pending, schedule, fire };
}

/** Lets IndexedDB (fake-indexeddb schedules with setImmediate) and promise chains finish. */
const settle = async (): Promise<void> => {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setTimeout(resolve, 0));
};

/** One kiosk's browser profile: a "reload" opens a new storage over the same IndexedDB and localStorage. */
function profile() {
  const indexedDB = new IDBFactory();
  const legacy = memoryBackend();
  const open = (deviceId = 'k1'): Promise<KioskStorage> => openKioskStorage(deviceId, { indexedDB, legacy });
  return { indexedDB, legacy, open };
}

function display(overrides: Partial<Extract<ReceiptInput, { kind: 'display' }>> = {}): ReceiptInput {
  return { kind: 'display', noticeId: 'n1', contentHash: HASH_A, startedAt: 1_000, endedAt: 11_000, clockTrusted: true, ...overrides };
}

let ids = 0;
const newId = (): string => `00000000-0000-4000-8000-${String(++ids).padStart(12, '0')}`;

describe('outbox over IndexedDB', () => {
  it('stores receipts while offline, numbered 1, 2, …, and sends them when the link comes up', async () => {
    const { open } = profile();
    const storage = await open();
    const { batches, send } = fakeSend();
    const outbox = createOutbox({ store: storage.receipts, send, newId });
    const first = await outbox.add(display());
    const second = await outbox.add({
      kind: 'interaction',
      action: 'opened',
      noticeId: 'n1',
      contentHash: HASH_A,
      at: 5_000,
      clockTrusted: true,
    });
    expect(first).toMatchObject({ kind: 'display', seq: 1, receiptId: expect.stringMatching(/^[0-9a-f-]{36}$/) as string });
    expect(second).toMatchObject({ kind: 'interaction', seq: 2 });
    expect(batches).toHaveLength(0);
    expect(outbox.pendingCount()).toBe(2);

    outbox.setConnected(true);
    await outbox.flush();
    expect(batches).toEqual([[first, second]]);
    expect(outbox.pendingCount()).toBe(0);
    expect(await (await open()).receipts.oldest(10)).toEqual([]);
  });

  it('fills in ids with the kiosk’s uuid generator by default', async () => {
    const storage = await profile().open();
    const stored = await createOutbox({ store: storage.receipts, send: fakeSend().send }).add(display());
    expect(stored?.receiptId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('never reuses a sequence number across reloads, even after everything was acknowledged', async () => {
    const { open } = profile();
    const before = createOutbox({ store: (await open()).receipts, send: fakeSend().send, newId });
    await before.add(display());
    await before.add(display());
    before.setConnected(true);
    await before.flush();
    expect(before.pendingCount()).toBe(0);
    before.stop();

    // Reload: a new storage and outbox over the same database.
    const { batches, send } = fakeSend();
    const after = createOutbox({ store: (await open()).receipts, send, newId });
    await after.add(display());
    await after.add(display());
    after.setConnected(true);
    await after.flush();
    expect(batches.flat().map((r) => r.seq)).toEqual([3, 4]);
  });

  it('keeps unsent receipts across a reload and sends them, in order, after it', async () => {
    const { open } = profile();
    const before = createOutbox({ store: (await open()).receipts, send: fakeSend().send, newId });
    const kept = [await before.add(display()), await before.add(display({ noticeId: 'n2' }))];
    before.stop();

    const storage = await open();
    expect(storage.receipts.size()).toBe(2);
    const { batches, send } = fakeSend();
    const after = createOutbox({ store: storage.receipts, send, newId });
    expect(after.pendingCount()).toBe(2);
    after.setConnected(true);
    await after.flush();
    expect(batches).toEqual([kept]);
    // Another device's outbox in the same browser is separate.
    expect((await open('k2')).receipts.size()).toBe(0);
  });

  it('sends at most 100 receipts per report, oldest first', async () => {
    const storage = await profile().open();
    const all = await storage.receipts.append(Array.from({ length: 230 }, () => receipt()));
    const { batches, send } = fakeSend();
    const outbox = createOutbox({ store: storage.receipts, send });
    outbox.setConnected(true);
    await outbox.flush();
    expect(batches.map((b) => b.length)).toEqual([100, 100, 30]);
    expect(batches.flat().map((r) => r.seq)).toEqual(all.map((r) => r.seq));
    expect(outbox.pendingCount()).toBe(0);
  });

  it('forgets exactly the recorded and rejected receipts of a partial answer and keeps the rest', async () => {
    const { open } = profile();
    const storage = await open();
    const [a, b, c] = await storage.receipts.append([receipt(), receipt(), receipt()]);
    const timers = manualSchedule();
    const { batches, send } = fakeSend(() => ({
      ok: true,
      data: { recorded: [a?.receiptId ?? ''], rejected: [{ receiptId: c?.receiptId ?? '', reason: 'unknown notice' }] },
    }));
    const outbox = createOutbox({ store: storage.receipts, send, schedule: timers.schedule });
    outbox.setConnected(true);
    await outbox.flush();
    // b was sent again once, unanswered again: the outbox waits instead of spinning.
    expect(batches.map((batch) => batch.map((r) => r.seq))).toEqual([[1, 2, 3], [2]]);
    expect(timers.pending).toHaveLength(1);
    expect((await (await open()).receipts.oldest(10)).map((r) => r.receiptId)).toEqual([b?.receiptId]);
  });

  it('keeps everything when the controller is busy or the send fails, and retries later', async () => {
    const storage = await profile().open();
    const timers = manualSchedule();
    let mode: 'refuse' | 'throw' | 'ok' = 'refuse';
    const { batches, send } = fakeSend((batch) => {
      if (mode === 'throw') throw new Error('timeout');
      return mode === 'refuse' ? { ok: false, error: 'internal', message: 'try again' } : recordAll(batch);
    });
    const outbox = createOutbox({ store: storage.receipts, send, schedule: timers.schedule, retryMs: 5_000 });
    outbox.setConnected(true);
    await outbox.add(display());
    await settle();
    expect(outbox.pendingCount()).toBe(1);
    expect(timers.pending.map((p) => p.ms)).toEqual([5_000]);

    mode = 'throw';
    timers.fire();
    await settle();
    expect(batches).toHaveLength(2);
    expect(outbox.pendingCount()).toBe(1);
    expect(timers.pending).toHaveLength(1);

    mode = 'ok';
    timers.fire();
    await settle();
    expect(batches).toHaveLength(3);
    expect(outbox.pendingCount()).toBe(0);
    expect(timers.pending).toHaveLength(0);
  });

  it('does not send the same receipts twice while a report is in flight', async () => {
    const storage = await profile().open();
    const answers: (() => void)[] = [];
    const { batches, send } = fakeSend((batch) => new Promise((resolve) => answers.push(() => resolve(recordAll(batch)))));
    const outbox = createOutbox({ store: storage.receipts, send, newId });
    outbox.setConnected(true);
    const first = await outbox.add(display());
    const second = await outbox.add(display()); // stored while the first report is unanswered
    await settle();
    expect(batches).toEqual([[first]]);

    answers.shift()?.();
    await settle();
    expect(batches).toEqual([[first], [second]]);
    answers.shift()?.();
    await settle();
    expect(outbox.pendingCount()).toBe(0);
  });

  it('moves the receipts a refused batch names to the quarantine, keeps them across a reload, and sends the rest', async () => {
    const { open } = profile();
    const storage = await open();
    const { batches, send } = fakeSend(validating());
    const outbox = createOutbox({ store: storage.receipts, send, newId, now: () => 42 });
    await outbox.add(display());
    await outbox.add(display({ contentHash: 'not a hash' }));
    await outbox.add(display({ startedAt: 9_000, endedAt: 1_000 }));
    await outbox.add(display());
    outbox.setConnected(true);
    await outbox.flush();

    expect(batches.map((batch) => batch.map((r) => r.seq))).toEqual([
      [1, 2, 3, 4],
      [1, 4],
    ]);
    expect(outbox.pendingCount()).toBe(0);
    expect(outbox.quarantinedCount()).toBe(2);
    const reopened = await open();
    expect(reopened.receipts.quarantinedSize()).toBe(2);
    const kept = await reopened.receipts.quarantined();
    expect(kept.map((q) => [q.seq, q.receipt.seq, q.error, q.at])).toEqual([
      [2, 2, 'invalid_payload', 42],
      [3, 3, 'invalid_payload', 42],
    ]);
    expect(kept[0]?.message).toMatch(/^receipts\.1\.contentHash: /);
    expect(kept[1]?.message).toMatch(/^receipts\.2\.endedAt: must not be before startedAt/);
  });

  it('narrows a refused batch that names no receipt down to the bad one, which alone goes to the quarantine', async () => {
    const storage = await profile().open();
    const { send } = fakeSend(validating({ nameFields: false }));
    const outbox = createOutbox({ store: storage.receipts, send, newId });
    for (let i = 0; i < 7; i++) await outbox.add(display(i === 4 ? { noticeId: '' } : {}));
    outbox.setConnected(true);
    await outbox.flush();
    expect(outbox.pendingCount()).toBe(0);
    expect((await storage.receipts.quarantined()).map((q) => q.seq)).toEqual([5]);
    expect(outbox.quarantinedCount()).toBe(1);
  });

  it('takes over an older build’s localStorage outbox once, as display receipts with fresh sequence numbers', async () => {
    const { legacy, open } = profile();
    const old = [receipt(), receipt()].map(({ kind: _kind, ...rest }) => rest);
    legacy.setItem(legacyKey('k1', 'outbox'), JSON.stringify(old));
    const storage = await open();
    expect(legacy.getItem(legacyKey('k1', 'outbox'))).toBeNull();

    await open(); // a second open finds nothing more to migrate
    const { batches, send } = fakeSend(validating());
    const outbox = createOutbox({ store: storage.receipts, send, newId });
    outbox.setConnected(true);
    await outbox.flush();
    expect(batches.flat()).toEqual(old.map((r, i) => ({ kind: 'display', ...r, seq: i + 1 })));
    expect(await storage.receipts.quarantined()).toEqual([]);
    expect((await outbox.add(display()))?.seq).toBe(3);
  });
});

describe('showings coalesced into intervals per four-hour period', () => {
  const H = 3_600_000;
  /** 08:00 in the town (UTC+8), the start of a period. */
  const T0 = Date.parse('2026-12-07T00:00:00Z');
  const PERIOD = 4 * H;
  const showing = (contentHash: string, startedAt: number, ms = 30_000) => ({
    noticeId: contentHash === HASH_A ? 'n1' : 'n2',
    contentHash,
    startedAt,
    endedAt: startedAt + ms,
    clockTrusted: true,
  });
  const sent = (batches: KioskReceipt[][]) =>
    batches.flat().map((r) => (r.kind === 'showings' ? [r.contentHash, r.startedAt - T0, r.endedAt - T0, r.showings, r.shownMs] : r.kind));

  it('sends one receipt per version for the period once it is over, and nothing before', async () => {
    const storage = await profile().open();
    const timers = manualSchedule();
    let clock = T0;
    const { batches, send } = fakeSend(validating());
    const outbox = createOutbox({ store: storage.receipts, send, newId, schedule: timers.schedule, now: () => clock });
    outbox.setConnected(true);
    // A and B alternate, 30 s each, for the whole period: 480 cards.
    for (let t = 0; t < PERIOD; t += 60_000) {
      await outbox.show(showing(HASH_A, T0 + t));
      await outbox.show(showing(HASH_B, T0 + t + 30_000));
    }
    await settle();
    expect(batches).toEqual([]);
    expect(outbox.openShowings()).toHaveLength(2);
    // The check wakes up just after the period.
    expect(timers.pending).toHaveLength(1);
    expect(clock + timers.pending[0]!.ms).toBeGreaterThanOrEqual(T0 + PERIOD);
    clock = T0 + PERIOD + 1_000;
    timers.fire();
    await settle();
    expect(sent(batches)).toEqual([
      [HASH_A, 0, PERIOD - 30_000, 240, 240 * 30_000],
      [HASH_B, 30_000, PERIOD, 240, 240 * 30_000],
    ]);
    expect(outbox.pendingCount()).toBe(0);
    expect(outbox.openShowings()).toEqual([]);
  });

  it('keeps the open interval across a reload: the hour’s showings are neither lost nor counted twice', async () => {
    const { open } = profile();
    const clock = T0 + 20 * 60_000;
    const { batches, send } = fakeSend(validating());
    const before = createOutbox({ store: (await open()).receipts, send, newId, now: () => clock });
    before.setConnected(true);
    for (let i = 0; i < 10; i++) await before.show(showing(HASH_A, T0 + i * 60_000));
    before.stop();
    // Reloaded: the open interval is still in IndexedDB; the app closes it at start (the time between may be an outage).
    const storage = await open();
    expect(storage.receipts.openShowings()).toEqual([expect.objectContaining({ contentHash: HASH_A, showings: 10 })]);
    const after = createOutbox({ store: storage.receipts, send, newId, now: () => clock });
    await after.closeShowings();
    after.setConnected(true);
    for (let i = 10; i < 15; i++) await after.show(showing(HASH_A, T0 + i * 60_000));
    await after.closeShowings();
    await after.flush();
    expect(sent(batches)).toEqual([
      [HASH_A, 0, 9 * 60_000 + 30_000, 10, 10 * 30_000],
      [HASH_A, 10 * 60_000, 14 * 60_000 + 30_000, 5, 5 * 30_000],
    ]);
    // Numbered like every receipt: 1, 2, no gap.
    expect(batches.flat().map((r) => r.seq)).toEqual([1, 2]);
    expect((await open()).receipts.openShowings()).toEqual([]);
  });

  it('records each showing alone while the link is down, and closes what was open when it goes down', async () => {
    const storage = await profile().open();
    const { batches, send } = fakeSend(validating());
    const outbox = createOutbox({ store: storage.receipts, send, newId, now: () => T0 + 10 * 60_000 });
    outbox.setConnected(true);
    await outbox.show(showing(HASH_A, T0));
    await outbox.show(showing(HASH_A, T0 + 60_000));
    outbox.setConnected(false);
    await settle();
    await outbox.show(showing(HASH_A, T0 + 120_000));
    await outbox.show(showing(HASH_A, T0 + 180_000));
    expect(outbox.openShowings()).toEqual([]);
    outbox.setConnected(true);
    await outbox.flush();
    expect(sent(batches)).toEqual([
      [HASH_A, 0, 90_000, 2, 60_000],
      [HASH_A, 120_000, 150_000, 1, 30_000],
      [HASH_A, 180_000, 210_000, 1, 30_000],
    ]);
  });

  it('upgrades a kiosk’s first database and keeps its outbox', async () => {
    const indexedDB = new IDBFactory();
    const old = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('gongshi-kiosk:k1', 1);
      request.onupgradeneeded = () => {
        request.result.createObjectStore('state').put(2, 'nextSeq');
        request.result.createObjectStore('outbox', { keyPath: 'seq' }).add({ ...receipt(), seq: 1 });
        request.result.createObjectStore('quarantine', { keyPath: 'seq' });
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error ?? new Error('open failed'));
    });
    old.close();
    const storage = await openKioskStorage('k1', { indexedDB, legacy: memoryBackend() });
    expect(storage.receipts.size()).toBe(1);
    const outbox = createOutbox({ store: storage.receipts, send: fakeSend().send, newId, now: () => T0 });
    outbox.setConnected(true);
    await outbox.show(showing(HASH_A, T0));
    expect(outbox.openShowings()).toHaveLength(1);
  });
});
