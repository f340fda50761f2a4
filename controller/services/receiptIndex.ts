/**
 * What the controller keeps per kiosk to record each receipt exactly once, at
 * any distance, in memory that grows with the gaps in a kiosk's numbering,
 * not with its receipts (issue 12 point 8).
 *
 * A kiosk numbers its receipts 1, 2, … (`seq`; `receiptSeq` in the ledger).
 * Per device the controller keeps:
 *
 * - the numbers it has answered (recorded or refused) as compact runs
 *   ({@link SeqRanges}: a kiosk that sends in order is one run, 16 bytes);
 * - where in the ledger each block of {@link LOCATOR_BLOCK} numbers was
 *   written (the lowest and highest ledger seq), so the ledger itself is the
 *   index of receipt ids: a question about an old number reads only the
 *   ledger between those two seqs;
 * - the ids of its last {@link RECEIPT_ID_WINDOW} receipts, so the everyday
 *   resend (an acknowledgement lost on the way back) is answered without
 *   reading anything.
 *
 * A receipt whose id is not in the window is then:
 *
 * - new when its number is not among the answered ones (above the highest,
 *   or a late one filling a gap);
 * - otherwise looked up in the ledger: found, it gets its earlier answer (a
 *   restored outbox or a clone resending an old receipt, at any distance);
 *   not found, the kiosk uses a number twice with a new id (its storage was
 *   wiped, or a clone or a restored outbox went on numbering). Then it is
 *   recorded after a `device.receipt-seq-reset` record that re-bases the
 *   device's numbering, so nothing is lost and no gap is invented.
 * - without a number (kiosk builds before sequence numbers): new unless its
 *   id is in the window.
 *
 * The kiosk sends its oldest receipts first (kiosk/outbox.ts), so a restored
 * outbox resends its old receipts (found: duplicates) before it reuses a
 * number (a re-base); after a re-base only the new numbering is asked about.
 */
import { createHash } from 'node:crypto';

/** Receipt ids remembered per device: the fast path for resends of recent reports (at most 500 receipts each). */
export const RECEIPT_ID_WINDOW = 1024;
/** Missing sequence numbers listed per device; a device that lost more than this is reported with this many. */
export const MAX_TRACKED_GAP = 10_000;
/** Receipt numbers per ledger locator (see the module comment). */
export const LOCATOR_BLOCK = 256;
/** Written before the first receipt of a kiosk that reuses its numbers; replayed at start to re-base it. */
export const RECEIPT_SEQ_RESET_TYPE = 'device.receipt-seq-reset';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * 16 bytes standing for a receipt id, written as a lowercase UUID: a UUID itself, any other string's MD5 (the
 * snapshot keeps the 32 hex digits).
 */
export function receiptIdKey(id: string): string {
  if (UUID.test(id)) return id;
  return uuidOfHex(createHash('md5').update(id).digest('hex'));
}
const uuidOfHex = (hex: string): string =>
  `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;

/**
 * A set of positive integers as sorted, disjoint, non-touching inclusive runs,
 * flat: `[from0, to0, from1, to1, …]`.
 */
export class SeqRanges {
  private runs: number[];

  constructor(runs: readonly number[] = []) {
    this.runs = [...runs];
  }

  /** The index of the first run whose end is ≥ n (the run count if none). */
  private find(n: number): number {
    let lo = 0;
    let hi = this.runs.length / 2;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.runs[mid * 2 + 1]! < n) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  has(n: number): boolean {
    const i = this.find(n);
    return i < this.runs.length / 2 && this.runs[i * 2]! <= n;
  }

  /** The last number of the run holding n (n − 1 when n is not held). */
  runEnd(n: number): number {
    const i = this.find(n);
    return i < this.runs.length / 2 && this.runs[i * 2]! <= n ? this.runs[i * 2 + 1]! : n - 1;
  }

  /** Adds n; false if it was held already. */
  add(n: number): boolean {
    const i = this.find(n);
    const r = this.runs;
    const count = r.length / 2;
    if (i < count && r[i * 2]! <= n) return false;
    const joinsPrevious = i > 0 && r[i * 2 - 1] === n - 1;
    const joinsNext = i < count && r[i * 2] === n + 1;
    if (joinsPrevious && joinsNext) r.splice(i * 2 - 1, 2);
    else if (joinsPrevious) r[i * 2 - 1] = n;
    else if (joinsNext) r[i * 2] = n;
    else r.splice(i * 2, 0, n, n);
    return true;
  }

  get highest(): number {
    return this.runs.at(-1) ?? 0;
  }

  /** Runs held (memory is two numbers per run). */
  get runCount(): number {
    return this.runs.length / 2;
  }

  /** Numbers from 1 to the highest that are not held, oldest first, at most `limit`. */
  missing(limit: number): number[] {
    const out: number[] = [];
    let next = 1;
    for (let i = 0; i < this.runs.length && out.length < limit; i += 2) {
      for (let n = next; n < this.runs[i]! && out.length < limit; n++) out.push(n);
      next = this.runs[i + 1]! + 1;
    }
    return out;
  }

  toJSON(): number[] {
    return [...this.runs];
  }
}

/** A {@link DeviceReceipts} as plain values, for the index snapshot (store/indexSnapshot.ts). */
export interface DeviceReceiptsSnapshot {
  seqs: number[];
  locators: [block: number, from: number, to: number][];
  /** The window's slots in use, 16 bytes each, as hex. */
  ids: string;
  /** Slot → why the receipt in it was refused. */
  reasons: [slot: number, reason: string][];
  next: number;
  filled: number;
}

export class DeviceReceipts {
  seqs = new SeqRanges();
  /** Block of receipt numbers → [lowest, highest] ledger seq holding one of them. */
  private locators = new Map<number, [number, number]>();
  /** Each slot's id key ({@link receiptIdKey}). */
  private readonly keys: string[] = [];
  /** Id key → its slot: a resend is found without scanning the window. */
  private readonly slots = new Map<string, number>();
  /** Slot → why the receipt in it was refused (absent: recorded). */
  private readonly reasons = new Map<number, string>();
  private next = 0;
  private filled = 0;

  /** Ids held (at most {@link RECEIPT_ID_WINDOW}). */
  get size(): number {
    return this.filled;
  }

  get highest(): number {
    return this.seqs.highest;
  }

  /** The earlier answer for this receipt id: null if it was recorded, the reason if refused, undefined if not in the window. */
  find(id: string): string | null | undefined {
    const slot = this.slots.get(receiptIdKey(id));
    return slot === undefined ? undefined : (this.reasons.get(slot) ?? null);
  }

  /** Remembers a receipt recorded (reason null) or refused, forgetting the oldest beyond the window. */
  add(id: string, reason: string | null): void {
    const slot = this.next;
    const key = receiptIdKey(id);
    const old = this.keys[slot];
    if (old !== undefined && this.slots.get(old) === slot) this.slots.delete(old);
    this.keys[slot] = key;
    this.slots.set(key, slot);
    if (reason === null) this.reasons.delete(slot);
    else this.reasons.set(slot, reason);
    this.next = (slot + 1) % RECEIPT_ID_WINDOW;
    this.filled = Math.min(this.filled + 1, RECEIPT_ID_WINDOW);
  }

  /** Notes a number answered (recorded or refused) in the ledger record `ledgerSeq`. */
  noteSeq(seq: unknown, ledgerSeq: number): void {
    if (!isReceiptSeq(seq)) return;
    this.seqs.add(seq);
    const block = Math.floor(seq / LOCATOR_BLOCK);
    const at = this.locators.get(block);
    if (!at) this.locators.set(block, [ledgerSeq, ledgerSeq]);
    else {
      at[0] = Math.min(at[0], ledgerSeq);
      at[1] = Math.max(at[1], ledgerSeq);
    }
  }

  /** The ledger seqs between which the receipts with these numbers were written, or null if none was. */
  whereAre(seqs: readonly number[]): { fromSeq: number; toSeq: number } | null {
    let fromSeq = Number.POSITIVE_INFINITY;
    let toSeq = 0;
    for (const seq of seqs) {
      const at = this.locators.get(Math.floor(seq / LOCATOR_BLOCK));
      if (!at) continue;
      fromSeq = Math.min(fromSeq, at[0]);
      toSeq = Math.max(toSeq, at[1]);
    }
    return toSeq === 0 ? null : { fromSeq, toSeq };
  }

  /** The kiosk reuses its numbers: forget its old numbering (its ids stay in the window). */
  rebase(): void {
    this.seqs = new SeqRanges();
    this.locators = new Map();
  }

  /** The numbering as plain values (for a snapshot). */
  numbering(): { seqs: number[]; locators: [block: number, from: number, to: number][] } {
    return { seqs: this.seqs.toJSON(), locators: [...this.locators].map(([b, [f, t]]) => [b, f, t]) };
  }

  toSnapshot(): DeviceReceiptsSnapshot {
    return {
      ...this.numbering(),
      ids: this.keys.slice(0, this.filled).join('').replaceAll('-', ''),
      reasons: [...this.reasons],
      next: this.next,
      filled: this.filled,
    };
  }

  static fromSnapshot(saved: DeviceReceiptsSnapshot): DeviceReceipts {
    const d = new DeviceReceipts();
    d.restoreNumbering(saved);
    const filled = Math.min(RECEIPT_ID_WINDOW, Math.max(0, Math.floor(saved.filled)));
    if (!/^(?:[0-9a-f]{2})*$/.test(saved.ids) || saved.ids.length !== filled * 32)
      throw new Error(`receipt index snapshot: ${saved.ids.length / 2} id bytes for ${filled} slots`);
    for (let i = 0; i < filled; i++) {
      const key = uuidOfHex(saved.ids.slice(i * 32, i * 32 + 32));
      d.keys[i] = key;
      d.slots.set(key, i);
    }
    for (const [slot, reason] of saved.reasons) d.reasons.set(slot, reason);
    d.next = Math.min(RECEIPT_ID_WINDOW - 1, Math.max(0, Math.floor(saved.next)));
    d.filled = filled;
    return d;
  }

  restoreNumbering(saved: { seqs: readonly number[]; locators: readonly (readonly [number, number, number])[] }): void {
    this.seqs = new SeqRanges(saved.seqs);
    this.locators = new Map(saved.locators.map(([b, f, t]) => [b, [f, t]]));
  }
}

export const isReceiptSeq = (seq: unknown): seq is number => typeof seq === 'number' && Number.isSafeInteger(seq) && seq >= 1;
