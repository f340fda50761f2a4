/**
 * The display-receipt outbox: receipts are stored before they are sent and
 * forgotten only when the controller says it has recorded (or can never
 * record) them, so a display survives reloads, crashes and days offline.
 * Delivery is at-least-once; the controller deduplicates by receipt id.
 */
import type { Ack, DisplayReceipt, DisplayReportResult } from '@protocol';
import type { KioskStorage } from './storage';

export const OUTBOX_BATCH_SIZE = 100;
export const OUTBOX_RETRY_MS = 5_000;

export type SendReceipts = (receipts: DisplayReceipt[]) => Promise<Ack<DisplayReportResult>>;
/** Runs `fn` after `ms`; returns a function that cancels it. */
export type ScheduleFn = (fn: () => void, ms: number) => () => void;

export interface OutboxDeps {
  store: Pick<KioskStorage, 'loadOutbox' | 'saveOutbox'>;
  send: SendReceipts;
  batchSize?: number;
  retryMs?: number;
  schedule?: ScheduleFn;
}

export interface Outbox {
  /** Stores a receipt and, when connected, sends it. */
  add: (receipt: DisplayReceipt) => void;
  /** Sends everything pending, batch after batch; resolves when done or when a send failed (a retry is then scheduled). */
  flush: () => Promise<void>;
  /** Tell the outbox whether the link is up; going up sends what is pending. */
  setConnected: (connected: boolean) => void;
  pending: () => readonly DisplayReceipt[];
  stop: () => void;
}

const defaultSchedule: ScheduleFn = (fn, ms) => {
  const handle = setTimeout(fn, ms);
  return () => clearTimeout(handle);
};

/**
 * @example
 * const outbox = createOutbox({ store: storage, send: (receipts) => link.report(receipts) });
 * outbox.setConnected(true);
 * outbox.add(receipt);
 */
export function createOutbox(deps: OutboxDeps): Outbox {
  const batchSize = deps.batchSize ?? OUTBOX_BATCH_SIZE;
  const retryMs = deps.retryMs ?? OUTBOX_RETRY_MS;
  const schedule = deps.schedule ?? defaultSchedule;
  let items: DisplayReceipt[] = deps.store.loadOutbox();
  let connected = false;
  let sending: Promise<void> | null = null;
  let cancelRetry: (() => void) | null = null;
  let stopped = false;

  const persist = (): void => deps.store.saveOutbox(items);

  const retryLater = (): void => {
    if (stopped || cancelRetry) return;
    cancelRetry = schedule(() => {
      cancelRetry = null;
      void flush();
    }, retryMs);
  };

  /** One batch; true when it made progress and more may follow. */
  const sendBatch = async (): Promise<boolean> => {
    const batch = items.slice(0, batchSize);
    let ack: Ack<DisplayReportResult>;
    try {
      ack = await deps.send(batch);
    } catch {
      return false;
    }
    if (!ack.ok) return false;
    const done = new Set([...ack.data.recorded, ...ack.data.rejected.map((r) => r.receiptId)]);
    const before = items.length;
    items = items.filter((r) => !done.has(r.receiptId));
    persist();
    return items.length < before;
  };

  const run = async (): Promise<void> => {
    while (connected && !stopped && items.length > 0) {
      if (!(await sendBatch())) {
        retryLater();
        return;
      }
    }
  };

  function flush(): Promise<void> {
    if (!connected || stopped || items.length === 0) return Promise.resolve();
    if (sending) return sending;
    sending = run().finally(() => {
      sending = null;
      // A receipt added just as the last batch finished would otherwise wait for the next trigger.
      if (connected && !stopped && !cancelRetry && items.length > 0) void flush();
    });
    return sending;
  }

  return {
    add(receipt) {
      items = [...items, receipt];
      persist();
      void flush();
    },
    flush,
    setConnected(value) {
      connected = value;
      if (value) void flush();
    },
    pending: () => items,
    stop() {
      stopped = true;
      cancelRetry?.();
      cancelRetry = null;
    },
  };
}
