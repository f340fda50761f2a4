import { type Ack, type DisplayReportResult, type KioskReceipt, displayReport, invalidPayload } from '@protocol';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { type ReceiptInput, type ScheduleFn, createOutbox } from '../../kiosk/outbox';
import { type KioskStorage, legacyKey, openKioskStorage } from '../../kiosk/storage';
import { HASH_A, memoryBackend, receipt } from './fixtures';

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
