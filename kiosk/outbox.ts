/**
 * The receipt outbox: every receipt (display, interaction, emergency
 * acknowledgement) is stored with the device's next sequence number before it
 * is sent, and forgotten only when the controller says it has recorded (or can
 * never record) it, so receipts survive reloads, power cuts, network cuts and
 * controller restarts. Delivery is at-least-once; the controller deduplicates
 * by receipt id. A batch the controller refuses as malformed is narrowed down
 * to the receipts at fault, which go to a kept quarantine; the rest flows on.
 *
 * Showings (a card on screen) are not sent one by one: the outbox coalesces
 * the showings of one notice version into an interval per period of controller
 * time (four hours, protocol/showings.ts), kept open in the same storage and turned into
 * one receipt when its period is over, its version leaves the playlist, a
 * warning takes the screen or the link goes down. While the link is down each
 * showing is its own receipt: the controller must not join showings across
 * an outage.
 */
import {
  type Ack,
  type DisplayReportResult,
  type Failure,
  type KioskReceipt,
  type OpenInterval,
  type Showing,
  SHOWING_INTERVAL_MS,
  closedInterval,
  controllerTime,
  intervalDue,
} from '@protocol';
import type { IntervalReceipt, ReceiptStore, Refusal, StoredReceipt } from './receiptStore';
import { randomId } from './uuid';

export const OUTBOX_BATCH_SIZE = 100;
export const OUTBOX_RETRY_MS = 5_000;
/** This kiosk's showings, as the coalescer keys them (the store is the device's own). */
const SELF = 'self';
/** How soon after a period ends its intervals are closed. */
const HOUR_CHECK_SLACK_MS = 1_000;

type WithoutIdentity<T> = T extends unknown ? Omit<T, 'receiptId' | 'seq'> : never;
/** What the app hands the outbox: a receipt without its id and sequence number, which the outbox fills in. */
export type ReceiptInput = WithoutIdentity<KioskReceipt>;

export type SendReceipts = (receipts: KioskReceipt[]) => Promise<Ack<DisplayReportResult>>;
/** Runs `fn` after `ms`; returns a function that cancels it. */
export type ScheduleFn = (fn: () => void, ms: number) => () => void;

export interface OutboxDeps {
  store: ReceiptStore;
  send: SendReceipts;
  newId?: () => string;
  now?: () => number;
  batchSize?: number;
  retryMs?: number;
  schedule?: ScheduleFn;
}

export interface Outbox {
  /** Stores the receipt with a new id and sequence number and, when connected, sends it. Resolves with it once stored, or null if storage failed. */
  add: (input: ReceiptInput) => Promise<KioskReceipt | null>;
  /**
   * Adds a showing to its version's open interval; resolves with the receipts that closed (an interval whose
   * showings cannot take this one, or, offline or `alone`, the showing itself), or null if storage failed.
   */
  show: (showing: Showing, options?: { alone?: boolean }) => Promise<KioskReceipt[] | null>;
  /** Closes the open intervals `which` picks (default: all) into receipts: a version left the playlist, a warning took the screen. */
  closeShowings: (which?: (open: OpenInterval) => boolean) => Promise<void>;
  /** Closes the intervals whose period is over. */
  closeDue: () => Promise<void>;
  /** Intervals still taking showings. */
  openShowings: () => readonly OpenInterval[];
  /** Sends everything pending, batch after batch; resolves when done or when a send failed (a retry is then scheduled). */
  flush: () => Promise<void>;
  /** Tell the outbox whether the link is up; going up sends what is pending. */
  setConnected: (connected: boolean) => void;
  /** Receipts stored and not yet acknowledged (for heartbeats). */
  pendingCount: () => number;
  /** Receipts the controller refused as malformed, kept for inspection (for heartbeats). */
  quarantinedCount: () => number;
  stop: () => void;
}

const defaultSchedule: ScheduleFn = (fn, ms) => {
  const handle = setTimeout(fn, ms);
  return () => clearTimeout(handle);
};

/**
 * The receipts a refusal names by position (`receipts.3.contentHash: …` in its
 * fields), each with the first message about it.
 */
function namedInRefusal(batch: readonly StoredReceipt[], refusal: Failure): { receipt: StoredReceipt; refusal: Refusal }[] {
  const named = new Map<number, string>();
  for (const [path, message] of Object.entries(refusal.fields ?? {})) {
    const index = /^receipts\.(\d+)(?:\.|$)/.exec(path)?.[1];
    if (index !== undefined && !named.has(Number(index))) named.set(Number(index), `${path}: ${message}`);
  }
  return [...named].flatMap(([index, message]) => {
    const receipt = batch[index];
    return receipt ? [{ receipt, refusal: { error: refusal.error, message } }] : [];
  });
}

/**
 * @example
 * const outbox = createOutbox({ store: storage.receipts, send: (receipts) => link.report(receipts) });
 * outbox.setConnected(true);
 * void outbox.add({ kind: 'display', noticeId, contentHash, startedAt, endedAt, clockTrusted: true });
 */
export function createOutbox(deps: OutboxDeps): Outbox {
  const batchSize = deps.batchSize ?? OUTBOX_BATCH_SIZE;
  const retryMs = deps.retryMs ?? OUTBOX_RETRY_MS;
  const schedule = deps.schedule ?? defaultSchedule;
  const newId = deps.newId ?? randomId;
  const now = deps.now ?? Date.now;
  const { store } = deps;
  /** Shrinks while a refused batch is narrowed down to its bad receipt; back to `batchSize` after a success. */
  let limit = batchSize;
  let connected = false;
  let sending: Promise<void> | null = null;
  let cancelRetry: (() => void) | null = null;
  let stopped = false;
  let cancelHourCheck: (() => void) | null = null;

  const toReceipt: IntervalReceipt = (closed) => ({ kind: 'showings', receiptId: newId(), ...closedInterval(closed) });
  /** The intervals due at the kiosk's `now`, each read in controller time through its own clock offset. */
  const isDue = (open: OpenInterval): boolean => intervalDue(open, controllerTime(now(), open.clockOffsetMs));

  const closeWhere = async (which: (open: OpenInterval) => boolean): Promise<void> => {
    try {
      const stored = await store.closeShowings(which, toReceipt);
      if (stored.length > 0) void flush();
    } catch (error) {
      console.error('gongshi: could not close showing intervals', error);
    }
  };
  /** Wakes up when the earliest open interval's period is over. */
  const planHourCheck = (): void => {
    if (stopped || cancelHourCheck) return;
    const open = store.openShowings();
    if (open.length === 0) return;
    const wait = Math.min(...open.map((o) => o.period + SHOWING_INTERVAL_MS - controllerTime(now(), o.clockOffsetMs)));
    cancelHourCheck = schedule(
      () => {
        cancelHourCheck = null;
        void closeWhere(isDue).finally(planHourCheck);
      },
      Math.max(0, wait) + HOUR_CHECK_SLACK_MS,
    );
  };

  const retryLater = (): void => {
    if (stopped || cancelRetry) return;
    cancelRetry = schedule(() => {
      cancelRetry = null;
      void flush();
    }, retryMs);
  };

  /** One batch; true when it made progress and more may follow, false to wait for a retry. */
  const sendBatch = async (batch: StoredReceipt[]): Promise<boolean> => {
    let ack: Ack<DisplayReportResult>;
    try {
      ack = await deps.send(batch);
    } catch {
      return false; // offline or timed out
    }
    if (ack.ok) {
      const done = new Set([...ack.data.recorded, ...ack.data.rejected.map((r) => r.receiptId)]);
      const seqs = batch.filter((r) => done.has(r.receiptId)).map((r) => r.seq);
      if (seqs.length === 0) return false;
      await store.remove(seqs);
      limit = batchSize;
      return true;
    }
    if (ack.error !== 'invalid_payload') return false; // busy, rate-limited or unauthorized: the same batch may pass later
    const named = namedInRefusal(batch, ack);
    if (named.length > 0) {
      await store.quarantine(named, now());
    } else if (batch.length > 1) {
      limit = Math.ceil(batch.length / 2);
    } else {
      await store.quarantine(
        batch.map((receipt) => ({ receipt, refusal: { error: ack.error, message: ack.message } })),
        now(),
      );
    }
    return true;
  };

  const run = async (): Promise<void> => {
    while (connected && !stopped) {
      const batch = await store.oldest(limit);
      if (batch.length === 0) return;
      let progressed: boolean;
      try {
        progressed = await sendBatch(batch);
      } catch (error) {
        console.warn('gongshi: could not update the outbox; will retry', error);
        progressed = false;
      }
      if (!progressed) {
        retryLater();
        return;
      }
    }
  };

  function flush(): Promise<void> {
    if (!connected || stopped || store.size() === 0) return Promise.resolve();
    if (sending) return sending;
    sending = run()
      .catch((error: unknown) => {
        console.warn('gongshi: could not read the outbox; will retry', error);
        retryLater();
      })
      .finally(() => {
        sending = null;
        // A receipt stored just as the last batch finished would otherwise wait for the next trigger.
        if (connected && !stopped && !cancelRetry && store.size() > 0) void flush();
      });
    return sending;
  }

  return {
    async add(input) {
      try {
        const [stored] = await store.append([{ ...input, receiptId: newId() }]);
        void flush();
        return stored ?? null;
      } catch (error) {
        console.error('gongshi: could not store a receipt', error);
        return null;
      }
    },
    async show(showing, options = {}) {
      try {
        const stored = await store.show({ source: SELF, showing, alone: !connected || options.alone === true }, toReceipt);
        if (stored.length > 0) void flush();
        planHourCheck();
        return stored;
      } catch (error) {
        console.error('gongshi: could not store a showing', error);
        return null;
      }
    },
    closeShowings: (which = () => true) => closeWhere(which),
    closeDue: async () => {
      await closeWhere(isDue);
      planHourCheck();
    },
    openShowings: () => store.openShowings(),
    flush,
    setConnected(value) {
      const was = connected;
      connected = value;
      // Cut off: nothing shown from now on may be joined to what was shown before.
      if (was && !value) void closeWhere(() => true);
      if (value) void flush();
    },
    pendingCount: () => store.size(),
    quarantinedCount: () => store.quarantinedSize(),
    stop() {
      stopped = true;
      cancelRetry?.();
      cancelRetry = null;
      cancelHourCheck?.();
      cancelHourCheck = null;
    },
  };
}
