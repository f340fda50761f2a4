/**
 * How much of a kiosk's display receipt the reports believe (issue 12 point 5).
 *
 * A receipt's `startedAt`/`endedAt` are read off the kiosk's clock, which may
 * be a day off, and its numbers are whatever the kiosk sent. The controller
 * knows better about some things: when the receipt arrived (nothing ends
 * after that), when the version was approved (nothing of it was shown
 * before) and withdrawn, when the device was paired, and often how far the
 * kiosk's clock is off (both sides measure it at each heartbeat). So:
 *
 * 1. the interval is moved back by the clock offset when one is known and it
 *    is past the trust limit ({@link CLOCK_TOLERANCE_MS}, the kiosk's own);
 *    a kiosk that says its clock is not trusted and gives no offset is not
 *    believed (`clock_unknown`);
 * 2. an interval that contradicts what the controller knows by more than the
 *    tolerance is not believed: it ends after it arrived
 *    (`ends_after_arrival`), starts before the version was approved
 *    (`starts_before_approval`), before the device was paired
 *    (`starts_before_pairing`) or after the version was withdrawn
 *    (`after_withdrawal`: an offline kiosk may show a withdrawn notice until
 *    it hears of it, but that is no disclosure);
 * 3. within the tolerance it is believed as sent (corrected): the reports
 *    clip showings to each version's window themselves.
 *
 * Receipts not believed stay in the ledger as the kiosk sent them; the
 * reports leave them out of showings, timeliness and compliance, and count
 * them apart with the reason.
 */

import { CLOCK_TOLERANCE_MS, type UntrustedReason, clockCorrection } from '../../protocol/index.js';

export { CLOCK_TOLERANCE_MS, UNTRUSTED_LABELS, UNTRUSTED_REASONS, type UntrustedReason } from '../../protocol/index.js';

/** What the controller knows when it judges a receipt. */
export interface ReceiptTimeFacts {
  /** When the receipt reached the controller (its ledger record's `ts`). */
  arrivedAt: number;
  /** When the version named was approved, if known. */
  approvedAt: number | null;
  /** When it was withdrawn, if it was. */
  withdrawnAt: number | null;
  /** When the device was paired, if known. */
  pairedAt: number | null;
  /** Device clock minus controller clock, if measured. */
  clockOffsetMs: number | null;
  /** Whether the kiosk trusted its clock when it wrote the receipt. */
  clockTrusted: boolean;
}

export type ReceiptTime = { trusted: true; from: number; to: number } | { trusted: false; reason: UntrustedReason };

/**
 * The part of [startedAt, endedAt] (kiosk clock) the reports believe, in controller time.
 *
 * @example
 * judgeInterval(0, 8.64e15, { arrivedAt: now, approvedAt, withdrawnAt: null, pairedAt: null, clockOffsetMs: null, clockTrusted: true });
 * // → { trusted: false, reason: 'ends_after_arrival' }
 */
export function judgeInterval(startedAt: number, endedAt: number, facts: ReceiptTimeFacts): ReceiptTime {
  const measured = facts.clockOffsetMs;
  if (measured === null && !facts.clockTrusted) return { trusted: false, reason: 'clock_unknown' };
  // The same correction a coalescing producer cut its hours by (protocol/showings.ts).
  const offset = clockCorrection(measured);
  const from = startedAt - offset;
  const to = endedAt - offset;
  if (to > facts.arrivedAt + CLOCK_TOLERANCE_MS) return { trusted: false, reason: 'ends_after_arrival' };
  if (facts.approvedAt !== null && from < facts.approvedAt - CLOCK_TOLERANCE_MS)
    return { trusted: false, reason: 'starts_before_approval' };
  if (facts.pairedAt !== null && from < facts.pairedAt - CLOCK_TOLERANCE_MS) return { trusted: false, reason: 'starts_before_pairing' };
  if (facts.withdrawnAt !== null && from > facts.withdrawnAt + CLOCK_TOLERANCE_MS) return { trusted: false, reason: 'after_withdrawal' };
  return { trusted: true, from, to };
}
