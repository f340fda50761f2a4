/**
 * Where the outbox keeps receipts until the controller has acknowledged them:
 * each gets the device's next sequence number in the same write that stores
 * it, so numbers run 1, 2, … without gaps and are never reused, whatever
 * reloads or power cuts happen in between. Receipts the controller refused as
 * malformed are moved to a quarantine that is kept for inspection.
 */
import { type CoalesceStep, type KioskReceipt, type OpenInterval, type Showing, addShowing, closeIntervals, showingKey } from '@protocol';
import { transact } from './idb';

type WithoutSeq<T> = T extends unknown ? Omit<T, 'seq'> : never;
/** A receipt with its id but before the store numbered it. */
export type NewReceipt = WithoutSeq<KioskReceipt>;
export type StoredReceipt = KioskReceipt & { seq: number };

/** Why the controller refused a receipt: its error code and message. */
export interface Refusal {
  error: string;
  message: string;
}

export interface QuarantinedReceipt extends Refusal {
  seq: number;
  receipt: StoredReceipt;
  /** When the kiosk set it aside (device clock). */
  at: number;
}

/** Turns an interval the coalescer closed into the receipt that records it (the outbox adds its id). */
export type IntervalReceipt = (closed: OpenInterval) => NewReceipt;

/** Where a showing goes: `alone` when the kiosk is cut off from the controller (protocol/showings.ts). */
export interface ShowingInput {
  source: string;
  showing: Showing;
  alone: boolean;
}

export interface ReceiptStore {
  /**
   * Adds a showing to its open interval (protocol/showings.ts); the intervals it closes become receipts, numbered and
   * stored in the same write, so no showing is lost or counted twice whatever reload or power cut comes between.
   */
  show: (input: ShowingInput, toReceipt: IntervalReceipt) => Promise<StoredReceipt[]>;
  /** Closes the open intervals `which` picks (their period is over, their version left, a takeover) into receipts, in one write. */
  closeShowings: (which: (open: OpenInterval) => boolean, toReceipt: IntervalReceipt) => Promise<StoredReceipt[]>;
  /** Intervals still taking showings, as of the last completed write. */
  openShowings: () => readonly OpenInterval[];
  /** Stores receipts in order, numbering them; resolves with them as stored once durable. */
  append: (receipts: readonly NewReceipt[]) => Promise<StoredReceipt[]>;
  /** The `limit` oldest receipts not yet acknowledged. */
  oldest: (limit: number) => Promise<StoredReceipt[]>;
  /** Forgets acknowledged receipts. */
  remove: (seqs: readonly number[]) => Promise<void>;
  /** Moves receipts out of the outbox into the quarantine, each with its refusal; they are never sent again. */
  quarantine: (entries: readonly { receipt: StoredReceipt; refusal: Refusal }[], at: number) => Promise<void>;
  quarantined: () => Promise<QuarantinedReceipt[]>;
  /** Receipts waiting to be sent, as of the last completed write. */
  size: () => number;
  /** Receipts in the quarantine, as of the last completed write. */
  quarantinedSize: () => number;
}

export const STATE_STORE = 'state';
export const OUTBOX_STORE = 'outbox';
export const QUARANTINE_STORE = 'quarantine';
/** Open showing intervals, by `showingKey(source, contentHash)`. */
export const SHOWINGS_STORE = 'showings';
/** Key in the state store of the next sequence number to hand out. */
export const NEXT_SEQ_KEY = 'nextSeq';

/**
 * Inside a readwrite transaction over the state and outbox stores: numbers
 * `receipts` from the stored counter, adds them and advances the counter.
 */
export function addNumbered(tx: IDBTransaction, receipts: readonly NewReceipt[], done: (stored: StoredReceipt[]) => void): void {
  const state = tx.objectStore(STATE_STORE);
  const get = state.get(NEXT_SEQ_KEY);
  get.onsuccess = () => {
    let next = typeof get.result === 'number' ? get.result : 1;
    const stored = receipts.map((r) => ({ ...r, seq: next++ }));
    const outbox = tx.objectStore(OUTBOX_STORE);
    for (const receipt of stored) outbox.add(receipt);
    state.put(next, NEXT_SEQ_KEY);
    done(stored);
  };
}

/**
 * Inside a readwrite transaction over the state, outbox and showings stores: reads the open intervals, lets `step`
 * decide, stores the intervals it closed as numbered receipts and writes the open ones back.
 */
function coalesceIn(
  tx: IDBTransaction,
  step: (open: ReadonlyMap<string, OpenInterval>) => CoalesceStep,
  toReceipt: IntervalReceipt,
  done: (stored: StoredReceipt[], open: OpenInterval[]) => void,
): void {
  const showings = tx.objectStore(SHOWINGS_STORE);
  const all = showings.getAll();
  all.onsuccess = () => {
    const before = new Map((all.result as OpenInterval[]).map((o) => [showingKey(o.source, o.contentHash), o]));
    const { open, closed } = step(before);
    for (const key of before.keys()) if (!open.has(key)) showings.delete(key);
    for (const [key, interval] of open) if (before.get(key) !== interval) showings.put(interval, key);
    addNumbered(tx, closed.map(toReceipt), (stored) => done(stored, [...open.values()]));
  };
}

/** An IndexedDB-backed store; `initial` holds the outbox's and the quarantine's counts and the open intervals when the database was opened. */
export function createIdbReceiptStore(
  db: IDBDatabase,
  initial: { pending: number; quarantined: number; open?: readonly OpenInterval[] },
): ReceiptStore {
  let size = initial.pending;
  let quarantinedSize = initial.quarantined;
  let openNow: readonly OpenInterval[] = initial.open ?? [];
  const coalesce = (step: (open: ReadonlyMap<string, OpenInterval>) => CoalesceStep, toReceipt: IntervalReceipt) =>
    transact<StoredReceipt[]>(
      db,
      [STATE_STORE, OUTBOX_STORE, SHOWINGS_STORE],
      'readwrite',
      (tx, result) =>
        coalesceIn(tx, step, toReceipt, (stored, open) => {
          countInto(tx);
          tx.addEventListener('complete', () => (openNow = open));
          result(stored);
        }),
      'strict',
    );
  /** Every write ends by counting what is left, in the same transaction, so `size` never drifts. */
  const countInto = (tx: IDBTransaction): void => {
    const count = tx.objectStore(OUTBOX_STORE).count();
    count.onsuccess = () => {
      size = count.result;
    };
  };

  return {
    show: ({ source, showing, alone }, toReceipt) => coalesce((open) => addShowing(open, source, showing, { alone }), toReceipt),
    closeShowings: (which, toReceipt) => coalesce((open) => closeIntervals(open, which), toReceipt),
    openShowings: () => openNow,
    append: (receipts) =>
      transact<StoredReceipt[]>(
        db,
        [STATE_STORE, OUTBOX_STORE],
        'readwrite',
        (tx, result) =>
          addNumbered(tx, receipts, (stored) => {
            countInto(tx);
            result(stored);
          }),
        'strict',
      ),
    oldest: (limit) =>
      transact<StoredReceipt[]>(db, OUTBOX_STORE, 'readonly', (tx, result) => {
        const all = tx.objectStore(OUTBOX_STORE).getAll(null, limit);
        all.onsuccess = () => result(all.result as StoredReceipt[]);
      }),
    remove: (seqs) =>
      transact(db, OUTBOX_STORE, 'readwrite', (tx) => {
        const outbox = tx.objectStore(OUTBOX_STORE);
        for (const seq of seqs) outbox.delete(seq);
        countInto(tx);
      }),
    quarantine: (entries, at) =>
      transact(
        db,
        [OUTBOX_STORE, QUARANTINE_STORE],
        'readwrite',
        (tx) => {
          const outbox = tx.objectStore(OUTBOX_STORE);
          const kept = tx.objectStore(QUARANTINE_STORE);
          for (const { receipt, refusal } of entries) {
            kept.put({ seq: receipt.seq, receipt, error: refusal.error, message: refusal.message, at } satisfies QuarantinedReceipt);
            outbox.delete(receipt.seq);
          }
          countInto(tx);
          const count = kept.count();
          count.onsuccess = () => {
            quarantinedSize = count.result;
          };
        },
        'strict',
      ),
    quarantined: () =>
      transact<QuarantinedReceipt[]>(db, QUARANTINE_STORE, 'readonly', (tx, result) => {
        const all = tx.objectStore(QUARANTINE_STORE).getAll();
        all.onsuccess = () => result(all.result as QuarantinedReceipt[]);
      }),
    size: () => size,
    quarantinedSize: () => quarantinedSize,
  };
}

/** Everything a {@link createMemoryReceiptStore} holds, for saving it somewhere synchronous. */
export interface ReceiptSnapshot {
  nextSeq: number;
  pending: StoredReceipt[];
  quarantine: QuarantinedReceipt[];
  /** Open showing intervals (absent in what builds before coalescing saved). */
  open?: OpenInterval[];
}

export const emptyReceipts = (): ReceiptSnapshot => ({ nextSeq: 1, pending: [], quarantine: [], open: [] });

/**
 * The same contract in memory, handing every change to `persist` (the
 * localStorage fallback where IndexedDB cannot be opened, and tests).
 */
export function createMemoryReceiptStore(
  initial: ReceiptSnapshot = emptyReceipts(),
  persist: (s: ReceiptSnapshot) => void = () => {},
): ReceiptStore {
  let state = initial;
  const update = (next: ReceiptSnapshot): void => {
    state = next;
    persist(state);
  };
  const coalesce = (step: (open: ReadonlyMap<string, OpenInterval>) => CoalesceStep, toReceipt: IntervalReceipt) => {
    const before = new Map((state.open ?? []).map((o) => [showingKey(o.source, o.contentHash), o]));
    const { open, closed } = step(before);
    let next = state.nextSeq;
    const stored = closed.map((c) => ({ ...toReceipt(c), seq: next++ }));
    update({ ...state, nextSeq: next, pending: [...state.pending, ...stored], open: [...open.values()] });
    return Promise.resolve(stored);
  };
  return {
    show: ({ source, showing, alone }, toReceipt) => coalesce((open) => addShowing(open, source, showing, { alone }), toReceipt),
    closeShowings: (which, toReceipt) => coalesce((open) => closeIntervals(open, which), toReceipt),
    openShowings: () => state.open ?? [],
    append(receipts) {
      let next = state.nextSeq;
      const stored = receipts.map((r) => ({ ...r, seq: next++ }));
      update({ ...state, nextSeq: next, pending: [...state.pending, ...stored] });
      return Promise.resolve(stored);
    },
    oldest: (limit) => Promise.resolve(state.pending.slice(0, limit)),
    remove(seqs) {
      const gone = new Set(seqs);
      update({ ...state, pending: state.pending.filter((r) => !gone.has(r.seq)) });
      return Promise.resolve();
    },
    quarantine(entries, at) {
      const gone = new Set(entries.map((e) => e.receipt.seq));
      const kept = entries.map(({ receipt, refusal }) => ({ seq: receipt.seq, receipt, ...refusal, at }));
      update({ ...state, pending: state.pending.filter((r) => !gone.has(r.seq)), quarantine: [...state.quarantine, ...kept] });
      return Promise.resolve();
    },
    quarantined: () => Promise.resolve(state.quarantine),
    size: () => state.pending.length,
    quarantinedSize: () => state.quarantine.length,
  };
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/**
 * Receipts an older build left in its localStorage outbox: display receipts
 * from before receipts had a `kind` or a sequence number.
 */
export function legacyReceipts(value: unknown): NewReceipt[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter((r): r is Record<string, unknown> => isObject(r) && typeof r.receiptId === 'string' && typeof r.noticeId === 'string')
    .map((r) => {
      const { seq: _seq, ...rest } = r;
      return { kind: 'display', ...rest } as NewReceipt;
    });
}
