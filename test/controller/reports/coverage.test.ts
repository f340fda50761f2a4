/**
 * What the compliance report stands on: showing runs and device outages
 * folded from the ledger as records arrive (in any order) equal a rebuild from
 * the ledger alone; interval arithmetic; and the report's rules for on-hours
 * and for a notice approved days after its posting start.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NoticeRecord } from '../../../controller/domain/notices.js';
import { createLogger } from '../../../controller/logger.js';
import { type NoticeVersion, SHOWING_CONTINUITY_MS, SHOWING_JOIN_MS, startOfCivilDay } from '../../../controller/protocol/index.js';
import { rebuildAggregates, toSnapshot } from '../../../controller/reports/projection/aggregates.js';
import { complianceRows, type TargetDevice } from '../../../controller/reports/compute/compliance.js';
import { type Run, addRun, applyCoverage, emptyCoverage, shownKey } from '../../../controller/reports/projection/coverage.js';
import type { LedgerRecord } from '../../../controller/store/ledger.js';
import { dailyOnHours, intersect, onIntervals, subtract } from '../../../controller/reports/compute/intervals.js';
import { createAggregateStore } from '../../../controller/reports/projection/store.js';
import { observeLedger } from '../../../controller/reports/projection/tap.js';
import { createLedger } from '../../../controller/store/ledger.js';

const logger = createLogger({ level: 'silent' });
const H = 3_600_000;
const M = 60_000;
const T0 = Date.parse('2026-03-02T00:00:00Z'); // 08:00 in China, a Monday
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'gongshi-cov-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('showing runs', () => {
  it('join showings less than the continuity apart, whatever order they arrive in', () => {
    const showings: Run[] = [];
    for (let m = 0; m < 600; m += 7) if (m < 200 || m > 300) showings.push([T0 + m * M, T0 + m * M + 20_000]);
    const inOrder: Run[] = [];
    for (const [a, b] of showings) addRun(inOrder, a, b, SHOWING_CONTINUITY_MS);
    // A deterministic shuffle: late receipts from a kiosk that was offline.
    const shuffled = showings.map((r, i) => [(i * 7919) % showings.length, r] as const).sort((x, y) => x[0] - y[0]);
    const outOfOrder: Run[] = [];
    for (const [, [a, b]] of shuffled) addRun(outOfOrder, a, b, SHOWING_CONTINUITY_MS);
    const last = showings.at(-1)!;
    expect(inOrder).toEqual([
      [T0, T0 + 196 * M + 20_000],
      [T0 + 301 * M, last[1]],
    ]);
    expect(outOfOrder).toEqual(inOrder);
  });

  it('keep one run for a notice a slow rotation brings back every two hours, and split it only at an outage or a long silence', () => {
    const cov = emptyCoverage();
    let seq = 0;
    const fold = (entry: Record<string, unknown>, ts: number) =>
      applyCoverage(cov, { seq: ++seq, ts, ...entry } as unknown as LedgerRecord);
    const showing = (start: number) =>
      fold(
        { type: 'display.kiosk', contentHash: 'a'.repeat(64), deviceId: 'k1', startedAt: start, endedAt: start + 10 * M },
        start + 10 * M,
      );
    // A village with 12 notices at 10 minutes a card: each notice is back every 2 hours, for a day.
    for (let h = 0; h < 24; h += 2) showing(T0 + h * H);
    const runs = () => cov.shown.get(shownKey('a'.repeat(64), 'k1'))?.runs;
    expect(runs()).toEqual([[T0, T0 + 22 * H + 10 * M]]);
    // Offline 25:00–25:30, written as it happened: the showing after it does not join across it.
    fold({ type: 'device.offline', deviceId: 'k1' }, T0 + 25 * H);
    fold({ type: 'device.online', deviceId: 'k1' }, T0 + 25 * H + 30 * M);
    showing(T0 + 26 * H);
    // The controller down 27:00–27:10, for every device.
    fold({ type: 'controller.restarted', lastAliveAt: T0 + 27 * H }, T0 + 27 * H + 10 * M);
    showing(T0 + 28 * H);
    // Silent for longer than the bound: a gap, not rotation.
    showing(T0 + 28 * H + 10 * M + SHOWING_JOIN_MS + M);
    expect(runs()).toEqual([
      [T0, T0 + 22 * H + 10 * M],
      [T0 + 26 * H, T0 + 26 * H + 10 * M],
      [T0 + 28 * H, T0 + 28 * H + 10 * M],
      [T0 + 28 * H + 10 * M + SHOWING_JOIN_MS + M, T0 + 28 * H + 20 * M + SHOWING_JOIN_MS + M],
    ]);
    // A receipt sent late, shown while the kiosk was off the network, is proof: it stays, on its own.
    showing(T0 + 25 * H + 5 * M);
    expect(runs()).toHaveLength(5);
  });

  it('subtract, intersect and on-hours (overnight signs included)', () => {
    expect(
      subtract(
        [[0, 100]],
        [
          [10, 20],
          [50, 60],
          [90, 120],
        ],
      ),
    ).toEqual([
      [0, 10],
      [20, 50],
      [60, 90],
    ]);
    expect(
      intersect(
        [
          [0, 30],
          [40, 100],
        ],
        [[20, 50]],
      ),
    ).toEqual([
      [20, 30],
      [40, 50],
    ]);
    const day = onIntervals(dailyOnHours({ on: '07:00', off: '22:00' }), T0, T0 + 24 * H);
    // 08:00 → 22:00, then 07:00 → 08:00 the next morning (China time).
    expect(day).toEqual([
      [T0, T0 + 14 * H],
      [T0 + 23 * H, T0 + 24 * H],
    ]);
    const night = onIntervals(dailyOnHours({ on: '18:00', off: '06:00' }), T0, T0 + 24 * H);
    expect(night).toEqual([[T0 + 10 * H, T0 + 22 * H]]);
  });
});

describe('coverage in the aggregates', () => {
  it('follows the ledger live and equals a rebuild from it', async () => {
    const ledger = observeLedger(createLedger({ dataDir: dir, logger, now: () => T0 + 2 * H }));
    await ledger.start();
    const store = createAggregateStore({ dataDir: dir, ledger, logger });
    await store.start();
    const hash = 'a'.repeat(64);
    const kiosk = (start: number) => ({
      type: 'display.kiosk',
      receiptId: `r${start}`,
      noticeId: 'n1',
      contentHash: hash,
      deviceId: 'k1',
      villageId: 'v1',
      startedAt: start,
      endedAt: start + 30_000,
      clockTrusted: true,
    });
    await ledger.append([kiosk(T0), kiosk(T0 + 10 * M), { type: 'device.offline', deviceId: 'k1' }]);
    await ledger.append([{ type: 'device.online', deviceId: 'k1' }, kiosk(T0 + 20 * M)]);
    await ledger.append([
      { type: 'sign.display', signId: 's1', villageId: 'v1', contentHash: hash, start: T0, end: T0 + H, proof: 'sent' },
      { type: 'sign.link-outage', signId: 's1', villageId: 'v1', portPath: '/dev/ttyUSB0', start: T0 + H, end: T0 + 2 * H, cause: 'link' },
      kiosk(T0 - 5 * M),
    ]);
    const live = store.current().coverage;
    expect(live.shown.get(shownKey(hash, 'k1'))?.runs).toEqual([[T0 - 5 * M, T0 + 20 * M + 30_000]]);
    expect(live.outages.get('s1')).toEqual([{ cause: 'link_down', from: T0 + H, to: T0 + 2 * H }]);
    expect(live.outages.get('k1')).toEqual([{ cause: 'offline', from: T0 + 2 * H, to: T0 + 2 * H }]);

    const rebuilt = await rebuildAggregates(ledger.records());
    expect(toSnapshot(rebuilt).coverage).toEqual(toSnapshot(store.current()).coverage);
    await store.stop();
    // And from the snapshot on the next start.
    const again = createAggregateStore({ dataDir: dir, ledger, logger });
    await again.start();
    expect(again.startedFrom().replayed).toBe(0);
    expect(toSnapshot(again.current()).coverage).toEqual(toSnapshot(rebuilt).coverage);
    await again.stop();
    await ledger.stop();
  });
});

function notice(version: Partial<NoticeVersion>): NoticeRecord {
  const v = {
    id: 'nv1',
    noticeId: 'n1',
    number: 1,
    contentHash: 'b'.repeat(64),
    state: 'approved',
    revisionOf: null,
    correction: null,
    content: {
      title: '公示',
      target: { scope: 'town' },
      posting: { start: '2026-03-02', rule: { kind: 'calendar_days', days: 2 } },
      emergency: null,
    },
    review: { decision: 'approved', by: 'r', at: T0, attestation: null, reason: '', privacyOverride: null },
    startsAt: startOfCivilDay('2026-03-02'),
    endsAt: startOfCivilDay('2026-03-04'),
    endedAt: null,
    withdrawal: null,
    ...version,
  } as NoticeVersion;
  return { id: 'n1', createdBy: 'e', createdAt: T0, versions: [v] };
}

describe('compliance rules', () => {
  const hash = 'b'.repeat(64);
  const sign: TargetDevice = {
    id: 's1',
    name: '村口屏',
    kind: 'led',
    villageId: 'v1',
    onHours: dailyOnHours({ on: '08:00', off: '20:00' }),
    since: null,
    until: null,
  };

  it('leave off-hours out and find a sign shown through its on-hours compliant', () => {
    const coverage = emptyCoverage();
    const runs: Run[] = [
      [T0, T0 + 12 * H],
      [T0 + 24 * H, T0 + 36 * H],
    ];
    coverage.shown.set(shownKey(hash, 's1'), { contentHash: hash, deviceId: 's1', runs });
    const end = startOfCivilDay('2026-03-04');
    const [row] = complianceRows(
      { coverage, notices: [notice({})], devices: [sign], villages: [], continuityMs: SHOWING_CONTINUITY_MS, now: end + H },
      startOfCivilDay('2026-03-01'),
      end,
    );
    expect(row).toMatchObject({ from: T0, to: end, compliant: true, reasons: [], cuts: [], running: false });
    expect(row?.devices[0]).toMatchObject({ requiredMs: 24 * H, shownMs: 24 * H, offHoursMs: 40 * H - 24 * H, gaps: [] });
  });

  it('cut the days before a late approval, and call a sign never heard from unproven', () => {
    const approvedAt = startOfCivilDay('2026-03-03') + 2 * H;
    const end = startOfCivilDay('2026-03-04');
    const [row] = complianceRows(
      {
        coverage: emptyCoverage(),
        notices: [
          notice({ review: { decision: 'approved', by: 'r', at: approvedAt, attestation: null, reason: '', privacyOverride: null } }),
        ],
        devices: [{ ...sign, onHours: null }],
        villages: [{ id: 'v1', name: '彪角村' }],
        continuityMs: SHOWING_CONTINUITY_MS,
        now: end + H,
      },
      startOfCivilDay('2026-03-01'),
      end,
    );
    expect(row?.cuts).toEqual([
      { from: startOfCivilDay('2026-03-02'), to: approvedAt, ms: approvedAt - startOfCivilDay('2026-03-02'), cause: 'approved_late' },
    ]);
    expect(row?.devices[0]?.gaps).toEqual([{ from: approvedAt, to: end, ms: end - approvedAt, cause: 'no_proof', versionNumber: 1 }]);
    expect(row?.compliant).toBe(false);
    expect(row?.reasons.map((r) => r.code)).toEqual(['approved_late', 'no_proof']);
  });
});

describe('compliance without devices', () => {
  it('calls a posted notice with no targeted device not compliant, naming why', () => {
    const end = startOfCivilDay('2026-03-04');
    const [row] = complianceRows(
      { coverage: emptyCoverage(), notices: [notice({})], devices: [], villages: [], continuityMs: SHOWING_CONTINUITY_MS, now: end + H },
      startOfCivilDay('2026-03-01'),
      end,
    );
    expect(row).toMatchObject({ compliant: false, reasons: [{ code: 'no_devices', devices: 0, ms: 0 }], devices: [] });
  });
});
