/**
 * The showings coalescer (protocol/showings.ts): expected intervals are worked out by hand from the showings.
 * 2026-12-07T02:00:00Z is 10:00 in the town (UTC+8); periods run 08:00–12:00, 12:00–16:00, …
 */
import { describe, expect, it } from 'vitest';
import {
  type OpenInterval,
  type Showing,
  addShowing,
  closeIntervals,
  coalesceShowings,
  periodOf,
  intervalDue,
  showingsReceipt,
} from '../../controller/protocol/index.js';

const H = 3_600_000;
const T0 = Date.parse('2026-12-07T02:00:00Z');
const A = 'a'.repeat(64);
const B = 'b'.repeat(64);
const show = (contentHash: string, startedAt: number, ms: number, extra: Partial<Showing> = {}): Showing => ({
  noticeId: contentHash === A ? 'n-a' : 'n-b',
  contentHash,
  startedAt,
  endedAt: startedAt + ms,
  clockTrusted: true,
  ...extra,
});

describe('coalesceShowings', () => {
  it('merges one version on one screen into one interval per four-hour period of the town’s day, keeping rotation partners apart', () => {
    const seq = [];
    const T1 = T0 + H;
    // A 30 s, B 30 s, repeated for 90 minutes from 11:00: A starts at 0, 60 s, 120 s, …; the period ends at 12:00.
    for (let t = 0; t < 90 * 60_000; t += 60_000) {
      seq.push({ source: 'k1', showing: show(A, T1 + t, 30_000) });
      seq.push({ source: 'k1', showing: show(B, T1 + t + 30_000, 30_000) });
    }
    const out = coalesceShowings(seq);
    expect(out.map((i) => [i.contentHash, i.startedAt - T1, i.endedAt - T1, i.showings, i.shownMs])).toEqual([
      [A, 0, 59 * 60_000 + 30_000, 60, 60 * 30_000],
      [B, 30_000, 60 * 60_000, 60, 60 * 30_000],
      [A, H, H + 29 * 60_000 + 30_000, 30, 30 * 30_000],
      [B, H + 30_000, H + 30 * 60_000, 30, 30 * 30_000],
    ]);
  });

  it('keeps screens apart, and a showing written by another clock starts a new interval', () => {
    const out = coalesceShowings([
      { source: 'k1', showing: show(A, T0, 10_000) },
      { source: 'k2', showing: show(A, T0 + 5_000, 10_000) },
      { source: 'k1', showing: show(A, T0 + 20_000, 10_000) },
      { source: 'k1', showing: show(A, T0 + 40_000, 10_000, { clockTrusted: false }) },
      { source: 'k1', showing: show(A, T0 + 60_000, 10_000, { clockTrusted: false }) },
    ]);
    expect(out.map((i) => [i.startedAt - T0, i.showings, i.clockTrusted])).toEqual([
      [0, 2, true],
      [5_000, 1, true],
      [40_000, 2, false],
    ]);
  });

  it('cuts periods by controller time: a clock an hour and a half ahead is corrected by its offset first', () => {
    const ahead = 90 * 60_000;
    // Device 11:30 and 12:10 are controller 10:00 and 10:40: one period.
    const out = coalesceShowings([
      { source: 'k1', showing: show(A, T0 + ahead, 10_000, { clockTrusted: false, clockOffsetMs: ahead }) },
      { source: 'k1', showing: show(A, T0 + ahead + 40 * 60_000, 10_000, { clockTrusted: false, clockOffsetMs: ahead + 30 }) },
    ]);
    expect(out).toHaveLength(1);
    expect(periodOf(out[0]!)).toBe(T0 - 2 * H);
    // A small offset (within the tolerance) is not corrected, by the controller either.
    expect(periodOf({ startedAt: T0 + 2 * H - 1, clockOffsetMs: -60_000 })).toBe(T0 - 2 * H);
    // Periods start at the town's midnight: 00:00, 04:00, 08:00 …
    expect(periodOf({ startedAt: T0 - 7 * H })).toBe(T0 - 10 * H);
  });

  it('records a showing alone when its screen is cut off, closing what was open', () => {
    let open: ReadonlyMap<string, OpenInterval> = new Map();
    const first = addShowing(open, 'k1', show(A, T0, 10_000));
    open = first.open;
    const offline = addShowing(open, 'k1', show(A, T0 + 20_000, 10_000), { alone: true });
    expect(offline.closed.map((i) => [i.startedAt - T0, i.showings])).toEqual([
      [0, 1],
      [20_000, 1],
    ]);
    expect(offline.open.size).toBe(0);
  });

  it('says when a period is over, and closes what is due', () => {
    const { open } = addShowing(new Map(), 'k1', show(A, T0 + H + 59 * 60_000, 30_000));
    const [interval] = open.values();
    expect(intervalDue(interval!, T0 + 2 * H - 1)).toBe(false);
    expect(intervalDue(interval!, T0 + 2 * H)).toBe(true);
    expect(closeIntervals(open, (i) => intervalDue(i, T0 + 2 * H)).closed).toHaveLength(1);
  });
});

describe('showingsReceipt', () => {
  const base = {
    kind: 'showings' as const,
    receiptId: '6f1c1c1e-5d1b-4d47-9a53-2b1f1f1f1f1f',
    clockTrusted: true,
    noticeId: 'n-a',
    contentHash: A,
    startedAt: T0,
    endedAt: T0 + 60_000,
    showings: 2,
    shownMs: 60_000,
  };
  it('takes an interval and names the field at fault', () => {
    expect(showingsReceipt.safeParse(base).success).toBe(true);
    const tooMuch = showingsReceipt.safeParse({ ...base, shownMs: 60_001 });
    expect(tooMuch.error?.issues[0]?.path).toEqual(['shownMs']);
    const none = showingsReceipt.safeParse({ ...base, showings: 0 });
    expect(none.error?.issues[0]?.path).toEqual(['showings']);
    const long = showingsReceipt.safeParse({ ...base, endedAt: T0 + 9 * H, shownMs: 0 });
    expect(long.error?.issues[0]?.path).toEqual(['endedAt']);
  });
});
