/**
 * Showings → interval records (issue 12 point 12): the evidence that a screen
 * showed a notice version grows with the hours it was shown, not with the
 * cards of its rotation.
 *
 * A kiosk (or a sign's rotation) shows a notice version for 10–45 s at a time,
 * among the other notices of its playlist. The reports only need, per version
 * × screen × civil day, how many showings there were and how long they were on
 * screen, the first showing (timeliness) and the stretches it was carried
 * (compliance: showings at most {@link SHOWING_JOIN_MS} apart, with no outage
 * between them, are one continuous showing). So the showings of one version on
 * one screen, within one period of controller time ({@link SHOWING_INTERVAL_MS},
 * four hours of the town's day) and written by one clock, are
 * merged into an interval: the first showing's start, the last showing's end,
 * how many showings and how many milliseconds on screen. Folded into the
 * reports, an interval gives the same answers as its showings one by one:
 *
 * - its showings all start in one period, hence on one civil day (periods
 *   divide the town's day), so the per-day cells are the same;
 * - the first start is the earliest showing (timeliness);
 * - within a period the showings are at most {@link SHOWING_JOIN_MS} apart,
 *   so compliance joins them into [first start, last end] too, as long as no
 *   outage of the screen falls between two of them: a producer that knows it
 *   is cut off (a kiosk offline) records each showing on its own
 *   (`addShowing(…, { alone: true })`), as it did before;
 * - the clock's trust and offset are part of the interval: a showing written
 *   by another clock (trust changed, offset measured, or moved by more than
 *   {@link OFFSET_STEP_MS}) starts a new interval, so the controller corrects
 *   and judges every showing of an interval alike (reports/projection/receiptTime.ts).
 *
 * Pure and keyed by screen (`source`: a kiosk's device id, a sign's id) and
 * content, so any producer can use it: the kiosk's outbox keeps its open
 * intervals in IndexedDB, a village node could keep its signs' the same way.
 */
import { TOWN_UTC_OFFSET_MINUTES } from './calendar.js';
import { SHOWING_JOIN_MS } from './compliance.js';

/**
 * Intervals are cut every four hours of the town's day (00:00, 04:00, …, 20:00, controller time). Chosen from the
 * size a town's ledger may reach (issue 12: a 100-kiosk year well under 1 GiB): cut every hour, a kiosk rotating 8
 * notices writes 96 interval records a day, 1.93 GiB a year for 100 kiosks (docs/BENCHMARKS.md, showings); every
 * four hours, 24. It divides a day, so a period never spans two civil days, and it is at most {@link SHOWING_JOIN_MS},
 * so the showings of a period are always close enough to be one continuous showing.
 */
export const SHOWING_INTERVAL_MS = 4 * 60 * 60_000;
const TOWN_OFFSET_MS = TOWN_UTC_OFFSET_MINUTES * 60_000;
/**
 * How far a device clock may be off and still be believed as it is: within it the controller takes a receipt's times
 * as sent, beyond it it moves them back by the measured offset (the kiosk's `CLOCK_TRUST_LIMIT_MS`).
 */
export const CLOCK_TOLERANCE_MS = 2 * 60_000;
/** A measured clock offset that moves by more than this starts a new interval (heartbeats measure it to a few ms). */
export const OFFSET_STEP_MS = 1_000;
/** A showing may start this much before the last one ended (rounding, a card redrawn) and still extend its interval. */
const OVERLAP_SLACK_MS = 1_000;

/** One showing of a notice version: on screen from `startedAt` to `endedAt`, by the device's clock. */
export interface Showing {
  noticeId: string;
  contentHash: string;
  startedAt: number;
  endedAt: number;
  /** Whether the device trusted its clock when it wrote the showing. */
  clockTrusted: boolean;
  /** Device clock minus controller clock, as last measured (absent: not measured). */
  clockOffsetMs?: number;
}

/** Showings of one version on one screen in one period of controller time, by one clock. */
export interface ShowingInterval {
  noticeId: string;
  contentHash: string;
  /** The first showing's start and the last showing's end (device clock). */
  startedAt: number;
  endedAt: number;
  /** How many showings, and their time on screen together. */
  showings: number;
  shownMs: number;
  clockTrusted: boolean;
  clockOffsetMs?: number;
}

/** An interval still taking showings, as a producer keeps it: with its screen and its period. */
export interface OpenInterval extends ShowingInterval {
  /** The screen that showed it (a kiosk's device id, a sign's id). */
  source: string;
  /** Start of the period its showings started in (controller time). */
  period: number;
}

/** The correction the controller applies to a device's times: the offset when past the tolerance, else nothing. */
export function clockCorrection(clockOffsetMs: number | null | undefined): number {
  return clockOffsetMs !== undefined && clockOffsetMs !== null && Math.abs(clockOffsetMs) > CLOCK_TOLERANCE_MS ? clockOffsetMs : 0;
}

/** A device time as the controller will read it. */
export const controllerTime = (deviceTime: number, clockOffsetMs: number | null | undefined): number =>
  deviceTime - clockCorrection(clockOffsetMs);

/** Start of the period ({@link SHOWING_INTERVAL_MS}, counted from the town's midnight) a showing started in, controller time. */
export function periodOf(showing: Pick<Showing, 'startedAt' | 'clockOffsetMs'>): number {
  const at = controllerTime(showing.startedAt, showing.clockOffsetMs) + TOWN_OFFSET_MS;
  return Math.floor(at / SHOWING_INTERVAL_MS) * SHOWING_INTERVAL_MS - TOWN_OFFSET_MS;
}

/** The key open intervals are kept by: one screen, one content. */
export const showingKey = (source: string, contentHash: string): string => `${source}\u0000${contentHash}`;

/** Whether two showings were written by the same clock, as far as the controller's judgement goes. */
export function sameClock(a: Pick<Showing, 'clockTrusted' | 'clockOffsetMs'>, b: Pick<Showing, 'clockTrusted' | 'clockOffsetMs'>): boolean {
  if (a.clockTrusted !== b.clockTrusted) return false;
  if ((a.clockOffsetMs === undefined) !== (b.clockOffsetMs === undefined)) return false;
  return Math.abs(clockCorrection(a.clockOffsetMs) - clockCorrection(b.clockOffsetMs)) <= OFFSET_STEP_MS;
}

/** Whether `showing` (of `source`) extends the open interval. */
export function extendsInterval(open: OpenInterval, source: string, showing: Showing): boolean {
  return (
    open.source === source &&
    open.noticeId === showing.noticeId &&
    open.contentHash === showing.contentHash &&
    periodOf(showing) === open.period &&
    sameClock(open, showing) &&
    showing.startedAt >= open.endedAt - OVERLAP_SLACK_MS &&
    showing.startedAt - open.endedAt <= SHOWING_JOIN_MS
  );
}

const shownMsOf = (showing: Showing): number => Math.max(0, showing.endedAt - showing.startedAt);

/** A new interval holding one showing. */
export function openInterval(source: string, showing: Showing): OpenInterval {
  return {
    source,
    period: periodOf(showing),
    noticeId: showing.noticeId,
    contentHash: showing.contentHash,
    startedAt: showing.startedAt,
    endedAt: showing.endedAt,
    showings: 1,
    shownMs: shownMsOf(showing),
    clockTrusted: showing.clockTrusted,
    ...(showing.clockOffsetMs === undefined ? {} : { clockOffsetMs: showing.clockOffsetMs }),
  };
}

/** The interval with one more showing (check {@link extendsInterval} first). */
export function extendInterval(open: OpenInterval, showing: Showing): OpenInterval {
  return {
    ...open,
    endedAt: Math.max(open.endedAt, showing.endedAt),
    showings: open.showings + 1,
    shownMs: open.shownMs + shownMsOf(showing),
  };
}

/** What a closed interval is sent and recorded as: without the producer's bookkeeping. */
export function closedInterval(open: OpenInterval): ShowingInterval {
  const { source: _source, period: _period, ...interval } = open;
  return interval;
}

/** Whether the open interval's period is over at `controllerNow` (controller time). */
export const intervalDue = (open: OpenInterval, controllerNow: number): boolean => controllerNow >= open.period + SHOWING_INTERVAL_MS;

export interface CoalesceStep {
  /** The open intervals now, by {@link showingKey}. */
  open: Map<string, OpenInterval>;
  /** Intervals this step closed, oldest first: to be recorded. */
  closed: OpenInterval[];
}

/**
 * Adds a showing: it extends its screen and content's open interval when it can; otherwise that interval closes and
 * the showing opens the next. `alone`: the producer is cut off from the controller, so the showing is recorded on its
 * own (its interval closes at once), as a showing across an outage must not be joined to its neighbours.
 *
 * @example
 * let open = new Map<string, OpenInterval>();
 * const step = addShowing(open, 'kiosk-1', { noticeId, contentHash, startedAt, endedAt, clockTrusted: true });
 * open = step.open; // step.closed: intervals to record now
 */
export function addShowing(
  open: ReadonlyMap<string, OpenInterval>,
  source: string,
  showing: Showing,
  options: { alone?: boolean } = {},
): CoalesceStep {
  const next = new Map(open);
  const closed: OpenInterval[] = [];
  const key = showingKey(source, showing.contentHash);
  const current = next.get(key);
  if (current && !options.alone && extendsInterval(current, source, showing)) {
    next.set(key, extendInterval(current, showing));
    return { open: next, closed };
  }
  if (current) closed.push(current);
  const fresh = openInterval(source, showing);
  if (options.alone) {
    next.delete(key);
    closed.push(fresh);
  } else next.set(key, fresh);
  return { open: next, closed };
}

/** Closes the open intervals `which` picks (default: all), oldest first. */
export function closeIntervals(open: ReadonlyMap<string, OpenInterval>, which: (open: OpenInterval) => boolean = () => true): CoalesceStep {
  const next = new Map(open);
  const closed: OpenInterval[] = [];
  for (const [key, interval] of open) {
    if (!which(interval)) continue;
    next.delete(key);
    closed.push(interval);
  }
  closed.sort((a, b) => a.startedAt - b.startedAt);
  return { open: next, closed };
}

/**
 * Coalesces a whole sequence of showings (in the order they were shown) into closed intervals, oldest first: the
 * reference for producers that keep their state elsewhere, and for tests and benchmarks.
 */
export function coalesceShowings(showings: Iterable<{ source: string; showing: Showing; alone?: boolean }>): OpenInterval[] {
  let open: ReadonlyMap<string, OpenInterval> = new Map();
  const out: OpenInterval[] = [];
  for (const { source, showing, alone } of showings) {
    const step = addShowing(open, source, showing, { alone: alone ?? false });
    open = step.open;
    out.push(...step.closed);
  }
  out.push(...closeIntervals(open).closed);
  return out.sort((a, b) => a.startedAt - b.startedAt);
}
