/**
 * A sign's display intervals, coalesced. A sign rotating its playlist closes
 * a display interval at every card (10–45 s): one sign is some 5,000 a day,
 * a week of a village node's ten signs 350,000, which an uplink would have to
 * carry and the ledger keep (issue 13's upload, issue 12 point 12's growth).
 * The driver of the signs — a village node (node/node.ts) or the controller
 * for its own (signIntervals.ts) — folds each sign's cards of one content into
 * one record per period of the town's day with the protocol's coalescer
 * (protocol/showings.ts, as kiosks do): the first card's start, the last one's
 * end, how many cards and their time on screen together.
 *
 * An interval is what the driver itself witnessed as one unbroken rotation,
 * so it closes at every break in that witness:
 * - a card that ended otherwise than by the next card (`endReason` other than
 *   'replaced': the link lost, the sign silent or switched off, a clear, the
 *   node stopping, an unclean stop found at the next start) is the last of its
 *   interval;
 * - a card sent but not acknowledged does not join acknowledged ones (`proof`);
 * - a card of another period, written by another clock, too far from the last
 *   or making the interval span more than a receipt may, opens a new one
 *   (protocol/showings.ts `extendsInterval`, schemas.ts `INTERVAL_SPAN_MAX_MS`).
 * A node's own uplink to the town is no break: the signs run from the stored
 * schedule and the node records their links itself.
 *
 * Each interval gets its record id when it opens and keeps it while open in
 * the driver's durable note, so an interval closed at the next start after a
 * kill -9 is the same record, recorded once.
 */
import { randomUUID } from 'node:crypto';
import {
  INTERVAL_SPAN_MAX_MS,
  type OpenInterval,
  type Showing,
  extendInterval,
  extendsInterval,
  intervalDue,
  openInterval,
  showingKey,
  type NodeRecord,
} from '../protocol/index.js';
import type { LedgerEntryOf } from '../protocol/ledgerRecords.js';

/** One closed card of a sign, as its driver's signs service reports it. */
export type DisplayEntry = Omit<
  Extract<NodeRecord, { type: 'sign.display' }>,
  'recordId' | 'seq' | 'clockTrusted' | 'showings' | 'shownMs'
>;

/** The card a signs-service `sign.display` entry reports (services/signRecords.ts), in the record's own terms. */
export function displayCard(e: LedgerEntryOf<'sign.display'>): DisplayEntry {
  return {
    type: 'sign.display',
    signId: e.signId,
    contentHash: e.contentHash,
    start: e.start,
    end: e.end,
    proof: e.proof === 'sent' ? 'sent' : 'acknowledged',
    endReason: e.endReason as DisplayEntry['endReason'],
  };
}

/** An interval still taking cards: the coalescer's, plus the record id it will carry and what its cards share. */
export interface OpenSignInterval extends OpenInterval {
  recordId: string;
  proof: DisplayEntry['proof'];
  /** The last card's. */
  endReason: DisplayEntry['endReason'];
}

/** The fields of an interval's `sign.display` record: a single card is recorded as it always was, without counts. */
export function intervalFields(interval: OpenSignInterval) {
  const single = interval.showings === 1;
  return {
    type: 'sign.display' as const,
    signId: interval.source,
    contentHash: interval.contentHash,
    start: interval.startedAt,
    end: interval.endedAt,
    proof: interval.proof,
    endReason: interval.endReason,
    ...(single ? {} : { showings: interval.showings, shownMs: Math.min(interval.shownMs, interval.endedAt - interval.startedAt) }),
  };
}

export interface DisplayCoalescer {
  /** Folds one closed card in; returns the intervals that closed, to be recorded. */
  fold(card: DisplayEntry, clockTrusted: boolean): OpenSignInterval[];
  /** Closes the intervals whose period is over at `controllerNow`. */
  closeDue(controllerNow: number): OpenSignInterval[];
  /** Closes every interval (the node stops, or starts after a stop). */
  closeAll(): OpenSignInterval[];
  /** The intervals open now, for the alive note. */
  open(): OpenSignInterval[];
}

/**
 * @param noticeOf the notice a content hash belongs to, from the node's schedules (a card whose notice the node does
 *   not know is recorded on its own).
 */
export function createDisplayCoalescer(deps: {
  open?: readonly OpenSignInterval[];
  noticeOf: (contentHash: string) => string | undefined;
}): DisplayCoalescer {
  const open = new Map<string, OpenSignInterval>();
  for (const interval of deps.open ?? []) open.set(showingKey(interval.source, interval.contentHash), interval);

  const takeWhere = (which: (interval: OpenSignInterval) => boolean): OpenSignInterval[] => {
    const closed: OpenSignInterval[] = [];
    for (const [key, interval] of open) {
      if (!which(interval)) continue;
      open.delete(key);
      closed.push(interval);
    }
    return closed.sort((a, b) => a.startedAt - b.startedAt);
  };

  return {
    fold(card, clockTrusted) {
      const noticeId = deps.noticeOf(card.contentHash);
      const key = showingKey(card.signId, card.contentHash);
      const current = open.get(key);
      const closed: OpenSignInterval[] = [];
      const showing: Showing = {
        noticeId: noticeId ?? '',
        contentHash: card.contentHash,
        startedAt: card.start,
        endedAt: card.end,
        clockTrusted,
      };
      const joins =
        current !== undefined &&
        noticeId !== undefined &&
        current.proof === card.proof &&
        extendsInterval(current, card.signId, showing) &&
        Math.max(current.endedAt, card.end) - current.startedAt <= INTERVAL_SPAN_MAX_MS;
      if (current && !joins) closed.push(current);
      const next: OpenSignInterval = joins
        ? { ...current, ...extendInterval(current, showing), endReason: card.endReason }
        : { ...openInterval(card.signId, showing), recordId: randomUUID(), proof: card.proof, endReason: card.endReason };
      if (card.endReason === 'replaced' && noticeId !== undefined) open.set(key, next);
      else {
        open.delete(key);
        closed.push(next);
      }
      return closed;
    },
    closeDue: (controllerNow) => takeWhere((interval) => intervalDue(interval, controllerNow)),
    closeAll: () => takeWhere(() => true),
    open: () => [...open.values()],
  };
}
