/**
 * When a day is closed (civil date in China of the newest record's time, less
 * one day) and what leaves memory then.
 */
import { describe, expect, it } from 'vitest';
import { applyRecord, emptyAggregates } from '../../../controller/reports/projection/aggregates.js';
import { ClosedDayClock, putBack, sumCells, takeClosedDays } from '../../../controller/reports/projection/cells.js';
import type { LedgerRecord } from '../../../controller/store/ledger.js';

const display = (seq: number, startedAt: number, deviceId = 'k1'): LedgerRecord =>
  ({
    seq,
    hash: String(seq),
    ts: startedAt,
    type: 'display.kiosk',
    noticeId: 'n1',
    deviceId,
    villageId: 'v1',
    startedAt,
    endedAt: startedAt + 1000,
  }) as unknown as LedgerRecord;

describe('closed days', () => {
  it('close the day before yesterday at midnight in Beijing, not at midnight UTC', () => {
    const clock = new ClosedDayClock();
    expect(clock.beforeDay()).toBeNull();
    expect(clock.observe(Date.parse('2026-03-31T15:59:59.999Z'))).toBe(true); // 23:59 on 03-31 in Beijing
    expect(clock.beforeDay()).toBe('2026-03-30');
    expect(clock.observe(Date.parse('2026-03-31T01:00:00Z'))).toBe(false); // same civil day
    expect(clock.observe(Date.parse('2026-03-31T16:00:00Z'))).toBe(true); // 00:00 on 04-01
    expect(clock.beforeDay()).toBe('2026-03-31');
  });

  it('take the closed days out of the aggregates, and put them back summed if they could not be archived', () => {
    const agg = emptyAggregates();
    const d1 = Date.parse('2026-03-29T02:00:00Z');
    const d3 = Date.parse('2026-03-31T02:00:00Z');
    for (const [i, at] of [d1, d1 + 60_000, d3].entries()) applyRecord(agg, display(i + 1, at));
    const taken = takeClosedDays(agg, '2026-03-30');
    expect(taken.map((c) => [c.day, c.v[0]])).toEqual([['2026-03-29', 2]]);
    expect([...agg.cells.values()].map((c) => c.day)).toEqual(['2026-03-31']);
    // A late record for the closed day makes a new cell; putting the taken one back sums them.
    applyRecord(agg, display(4, d1 + 120_000));
    putBack(agg, taken);
    expect(sumCells(agg.cells.values(), '2026-03-29', '2026-03-29')).toEqual([
      { noticeId: 'n1', villageId: 'v1', v: [3, 3000, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0] },
    ]);
  });
});
