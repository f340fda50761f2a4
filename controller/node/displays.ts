/**
 * A coalesced display interval as a village node puts it in its outbox
 * (services/signDisplays.ts coalesces): the record fields, the id it was
 * given when it opened, and the clock trust of its cards.
 */
import { type DisplayEntry, type OpenSignInterval, intervalFields } from '../services/signDisplays.js';

export type IntervalRecord = DisplayEntry & { recordId: string; clockTrusted: boolean; showings?: number; shownMs?: number };

export const intervalRecord = (interval: OpenSignInterval): IntervalRecord => ({
  ...intervalFields(interval),
  recordId: interval.recordId,
  clockTrusted: interval.clockTrusted,
});
