import type { Ack, DisplayReceipt, DisplayReportResult } from '@protocol';
import { describe, expect, it } from 'vitest';
import { type ScheduleFn, createOutbox } from '../../kiosk/outbox';
import { createKioskStorage } from '../../kiosk/storage';
import { memoryBackend, receipt } from './fixtures';

/** A send function that records each batch and answers from a script (default: records everything). */
function fakeSend(answer: (batch: DisplayReceipt[]) => Ack<DisplayReportResult> | Promise<Ack<DisplayReportResult>> = recordAll) {
  const batches: DisplayReceipt[][] = [];
  const send = async (batch: DisplayReceipt[]): Promise<Ack<DisplayReportResult>> => {
    batches.push(batch);
    return answer(batch);
  };
  return { batches, send };
}

function recordAll(batch: DisplayReceipt[]): Ack<DisplayReportResult> {
  return { ok: true, data: { recorded: batch.map((r) => r.receiptId), rejected: [] } };
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

const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

describe('outbox', () => {
  it('keeps receipts while offline and sends them when the link comes up', async () => {
    const store = createKioskStorage('k1', memoryBackend());
    const { batches, send } = fakeSend();
    const outbox = createOutbox({ store, send });
    outbox.add(receipt());
    outbox.add(receipt());
    await tick();
    expect(batches).toHaveLength(0);
    expect(outbox.pending()).toHaveLength(2);

    outbox.setConnected(true);
    await outbox.flush();
    expect(batches).toHaveLength(1);
    expect(batches[0]).toHaveLength(2);
    expect(outbox.pending()).toHaveLength(0);
    expect(store.loadOutbox()).toEqual([]);
  });

  it('sends at most 100 receipts per report, oldest first', async () => {
    const store = createKioskStorage('k1', memoryBackend());
    const all = Array.from({ length: 230 }, () => receipt());
    store.saveOutbox(all);
    const { batches, send } = fakeSend();
    const outbox = createOutbox({ store, send });
    outbox.setConnected(true);
    await outbox.flush();
    expect(batches.map((b) => b.length)).toEqual([100, 100, 30]);
    expect(batches[0]?.[0]?.receiptId).toBe(all[0]?.receiptId);
    expect(outbox.pending()).toHaveLength(0);
  });

  it('forgets exactly the recorded and rejected ids and keeps the rest', async () => {
    const store = createKioskStorage('k1', memoryBackend());
    const [a, b, c] = [receipt(), receipt(), receipt()];
    store.saveOutbox([a, b, c]);
    const { schedule } = manualSchedule();
    const { send } = fakeSend(() => ({
      ok: true,
      data: { recorded: [a.receiptId], rejected: [{ receiptId: c.receiptId, reason: 'unknown notice' }] },
    }));
    const outbox = createOutbox({ store, send, schedule });
    outbox.setConnected(true);
    await outbox.flush();
    expect(outbox.pending().map((r) => r.receiptId)).toEqual([b.receiptId]);
    expect(store.loadOutbox().map((r) => r.receiptId)).toEqual([b.receiptId]);
  });

  it('keeps everything when the controller refuses or the send fails, and retries later', async () => {
    const store = createKioskStorage('k1', memoryBackend());
    const timers = manualSchedule();
    let mode: 'refuse' | 'throw' | 'ok' = 'refuse';
    const { batches, send } = fakeSend((batch) => {
      if (mode === 'throw') throw new Error('timeout');
      return mode === 'refuse' ? { ok: false, error: 'internal', message: 'try again' } : recordAll(batch);
    });
    const outbox = createOutbox({ store, send, schedule: timers.schedule, retryMs: 5_000 });
    outbox.setConnected(true);
    outbox.add(receipt());
    await tick();
    expect(outbox.pending()).toHaveLength(1);
    expect(timers.pending.map((p) => p.ms)).toEqual([5_000]);

    mode = 'throw';
    timers.fire();
    await tick();
    expect(batches).toHaveLength(2);
    expect(outbox.pending()).toHaveLength(1);
    expect(timers.pending).toHaveLength(1);

    mode = 'ok';
    timers.fire();
    await tick();
    expect(batches).toHaveLength(3);
    expect(outbox.pending()).toHaveLength(0);
    expect(timers.pending).toHaveLength(0);
  });

  it('does not send the same receipts twice while a report is in flight', async () => {
    const store = createKioskStorage('k1', memoryBackend());
    const answers: (() => void)[] = [];
    const { batches, send } = fakeSend((batch) => new Promise((resolve) => answers.push(() => resolve(recordAll(batch)))));
    const outbox = createOutbox({ store, send });
    outbox.setConnected(true);
    const first = receipt();
    outbox.add(first);
    const second = receipt();
    outbox.add(second); // arrives while the first report is unanswered
    await tick();
    expect(batches).toEqual([[first]]);

    answers.shift()?.();
    await tick();
    expect(batches).toEqual([[first], [second]]);
    answers.shift()?.();
    await tick();
    expect(outbox.pending()).toHaveLength(0);
  });

  it('survives a reload: a new outbox on the same storage still holds unsent receipts', async () => {
    const backend = memoryBackend();
    const before = createOutbox({ store: createKioskStorage('k1', backend), send: fakeSend().send });
    const kept = receipt();
    before.add(kept);
    before.stop();

    const { batches, send } = fakeSend();
    const after = createOutbox({ store: createKioskStorage('k1', backend), send });
    expect(after.pending()).toEqual([kept]);
    after.setConnected(true);
    await after.flush();
    expect(batches).toEqual([[kept]]);
    // Another device's outbox in the same browser is separate.
    expect(createKioskStorage('k2', backend).loadOutbox()).toEqual([]);
  });
});
