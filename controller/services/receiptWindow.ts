/**
 * What the controller keeps per kiosk to record each receipt exactly once,
 * in bounded memory (issue 7 point 4).
 *
 * A kiosk numbers its receipts 1, 2, … (`seq`, `receiptSeq` in the ledger).
 * Per device the controller keeps the highest number seen, the numbers
 * missing below it (at most {@link MAX_TRACKED_GAP}) and the ids of the last
 * {@link RECEIPT_ID_WINDOW} receipts it recorded or refused, 16 bytes each in
 * a ring allocated once per device. A receipt is then:
 *
 * - already answered when its id is in the window (the same answer again);
 * - new when its number is above the highest, or one of the missing (late);
 * - otherwise (a number at or below the highest, not missing, an id not in
 *   the window) from a kiosk whose storage was reset and which counts from 1
 *   again with new ids: it is recorded, after a `device.receipt-seq-reset`
 *   record that re-bases the device's numbering;
 * - without a number (kiosk builds before sequence numbers): new unless its
 *   id is in the window.
 *
 * Why the window is enough: the kiosk's outbox (kiosk/outbox.ts) sends its
 * oldest unacknowledged receipts, one batch at a time (at most
 * `OUTBOX_BATCH_SIZE`, 100; a report holds at most 500), and forgets one only
 * when the controller answered it. So while a receipt may still be resent,
 * the controller can have recorded at most that one batch of the device's
 * receipts after it: any id resent is within the last 500 of its device, and
 * the window holds twice that. No age limit is needed (none exists: a kiosk
 * resends for as long as it takes), which is why the window counts receipts,
 * not time.
 */
import { createHash } from 'node:crypto';

/** Receipt ids remembered per device (see the module comment for why this is enough). */
export const RECEIPT_ID_WINDOW = 1024;
/** Missing sequence numbers remembered per device; a device that lost more than this is reported as such. */
export const MAX_TRACKED_GAP = 10_000;
/** Written before the first receipt of a kiosk that numbers from 1 again; replayed at start to re-base it. */
export const RECEIPT_SEQ_RESET_TYPE = 'device.receipt-seq-reset';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** 16 bytes standing for a receipt id: a lowercase UUID's own bytes, any other string's MD5. */
export function receiptIdKey(id: string): Buffer {
  return UUID.test(id) ? Buffer.from(id.replaceAll('-', ''), 'hex') : createHash('md5').update(id).digest();
}

export type SeqVerdict = 'new' | 'late' | 'reset';

export class DeviceReceipts {
  highest = 0;
  readonly missing = new Set<number>();
  private readonly ids = Buffer.alloc(RECEIPT_ID_WINDOW * 16);
  /** The first 4 bytes of each slot's id, scanned before comparing whole ids. */
  private readonly heads = new Int32Array(RECEIPT_ID_WINDOW);
  /** Slot → why the receipt in it was refused (absent: recorded). */
  private readonly reasons = new Map<number, string>();
  private next = 0;
  private filled = 0;

  /** Ids held (at most {@link RECEIPT_ID_WINDOW}). */
  get size(): number {
    return this.filled;
  }

  /** The earlier answer for this receipt id: null if it was recorded, the reason if refused, undefined if not in the window. */
  find(id: string): string | null | undefined {
    const key = receiptIdKey(id);
    const head = key.readInt32LE(0);
    for (let i = 0; i < this.filled; i++) {
      if (this.heads[i] === head && key.compare(this.ids, i * 16, i * 16 + 16) === 0) return this.reasons.get(i) ?? null;
    }
    return undefined;
  }

  /** Remembers a receipt recorded (reason null) or refused, forgetting the oldest beyond the window. */
  add(id: string, reason: string | null): void {
    const slot = this.next;
    const key = receiptIdKey(id);
    key.copy(this.ids, slot * 16);
    this.heads[slot] = key.readInt32LE(0);
    if (reason === null) this.reasons.delete(slot);
    else this.reasons.set(slot, reason);
    this.next = (slot + 1) % RECEIPT_ID_WINDOW;
    this.filled = Math.min(this.filled + 1, RECEIPT_ID_WINDOW);
  }

  /** What a receipt with this number, and an id not in the window, is. */
  verdict(seq: number): SeqVerdict {
    if (seq > this.highest) return 'new';
    return this.missing.has(seq) ? 'late' : 'reset';
  }

  /** Notes a number received (recorded or refused). */
  noteSeq(seq: unknown): void {
    if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 1) return;
    if (seq > this.highest) {
      for (let n = Math.max(this.highest + 1, seq - MAX_TRACKED_GAP); n < seq; n++) this.missing.add(n);
      this.highest = seq;
    } else {
      this.missing.delete(seq);
    }
  }

  /** The kiosk counts from 1 again: forget its old numbering (its ids stay in the window). */
  rebase(): void {
    this.highest = 0;
    this.missing.clear();
  }
}
