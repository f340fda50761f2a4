/**
 * Intervals a run leaves open: a sign outage still in progress is reported as
 * the link being down up to now (not as missing proof), and a start after a
 * crash closes the kiosks the ledger still has online and the sign outages it
 * still has open, so the report names the controller's downtime, once.
 * The folding is checked against a real ledger and the aggregate store (live,
 * rebuilt and from the snapshot alike).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NoticeRecord } from '../../../controller/domain/notices.js';
import { createLogger } from '../../../controller/logger.js';
import { type NoticeVersion, SHOWING_CONTINUITY_MS, startOfCivilDay } from '../../../controller/protocol/index.js';
import { rebuildAggregates, toSnapshot } from '../../../controller/reports/projection/aggregates.js';
import { type TargetDevice, complianceRows } from '../../../controller/reports/compute/compliance.js';
import { type Coverage, applyCoverage, emptyCoverage } from '../../../controller/reports/projection/coverage.js';
import { recordRestart, restartEntries } from '../../../controller/ops/restart.js';
import { createAggregateStore } from '../../../controller/reports/projection/store.js';
import { observeLedger } from '../../../controller/reports/projection/tap.js';
import { LEDGER_TAIL_CUT_TYPE, createLedger } from '../../../controller/store/ledger.js';

const logger = createLogger({ level: 'silent' });
const H = 3_600_000;
const M = 60_000;
const T0 = Date.parse('2026-03-02T00:00:00Z'); // 08:00 in China, a Monday
const HASH = 'c'.repeat(64);
let dir: string;
let clock = T0;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'gongshi-open-'));
  clock = T0;
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function open() {
  const ledger = observeLedger(createLedger({ dataDir: dir, logger, now: () => clock }));
  await ledger.start();
  const store = createAggregateStore({ dataDir: dir, ledger, logger });
  await store.start();
  return { ledger, store };
}

function notice(): NoticeRecord {
  const v = {
    id: 'nv1',
    noticeId: 'n1',
    number: 1,
    contentHash: HASH,
    state: 'approved',
    revisionOf: null,
    correction: null,
    content: {
      title: '低保公示',
      target: { scope: 'town' },
      posting: { start: '2026-03-02', rule: { kind: 'calendar_days', days: 5 } },
      emergency: null,
    },
    review: { decision: 'approved', by: 'r', at: T0 - H, attestation: null, reason: '', privacyOverride: null },
    startsAt: startOfCivilDay('2026-03-02'),
    endsAt: startOfCivilDay('2026-03-07'),
    endedAt: null,
    withdrawal: null,
  } as NoticeVersion;
  return { id: 'n1', createdBy: 'e', createdAt: T0 - 2 * H, versions: [v] };
}

const device = (id: string, kind: 'kiosk' | 'led'): TargetDevice => ({
  id,
  name: id,
  kind,
  villageId: 'v1',
  onHours: null,
  since: null,
  until: null,
});

function report(coverage: Coverage, now: number) {
  const [row] = complianceRows(
    {
      coverage,
      notices: [notice()],
      devices: [device('k1', 'kiosk'), device('s1', 'led')],
      villages: [{ id: 'v1', name: '彪角村' }],
      continuityMs: SHOWING_CONTINUITY_MS,
      now,
    },
    startOfCivilDay('2026-03-01'),
    startOfCivilDay('2026-03-08'),
  );
  if (!row) throw new Error('no row');
  const gaps = (id: string) => row.devices.find((d) => d.deviceId === id)?.gaps.map(({ from, to, cause }) => ({ from, to, cause })) ?? [];
  return { row, gaps };
}

const kioskShowing = (from: number, to: number) => ({
  type: 'display.kiosk',
  deviceId: 'k1',
  villageId: 'v1',
  noticeId: 'n1',
  contentHash: HASH,
  startedAt: from,
  endedAt: to,
  clockTrusted: true,
});
const signShowing = (from: number, to: number) => ({
  type: 'sign.display',
  signId: 's1',
  villageId: 'v1',
  contentHash: HASH,
  start: from,
  end: to,
  proof: 'sent',
});
const linkDown = (at: number) => ({ type: 'sign.link-down', signId: 's1', villageId: 'v1', portPath: '/dev/ttyUSB0', at, cause: 'link' });
const linkOutage = (start: number, end: number, cause = 'link') => ({
  type: 'sign.link-outage',
  signId: 's1',
  villageId: 'v1',
  portPath: '/dev/ttyUSB0',
  start,
  end,
  cause,
});

describe('a sign outage in progress', () => {
  it('is link_down up to now while it lasts, and one outage once its end is recorded', async () => {
    const { ledger, store } = await open();
    const start = startOfCivilDay('2026-03-02');
    clock = T0 + 2 * H;
    await ledger.append([signShowing(start, T0 + 2 * H), linkDown(T0 + 2 * H)]);
    clock = T0 + 5 * H;
    const during = report(store.current().coverage, clock);
    expect(during.gaps('s1')).toEqual([{ from: T0 + 2 * H, to: T0 + 5 * H, cause: 'link_down' }]);
    expect(during.row.reasons.find((r) => r.code === 'link_down')).toEqual({ code: 'link_down', devices: 1, ms: 3 * H });

    await ledger.append([linkOutage(T0 + 2 * H, T0 + 6 * H), signShowing(T0 + 6 * H, T0 + 8 * H)]);
    expect(store.current().coverage.outages.get('s1')).toEqual([{ cause: 'link_down', from: T0 + 2 * H, to: T0 + 6 * H }]);
    const after = report(store.current().coverage, T0 + 8 * H);
    expect(after.gaps('s1')).toEqual([{ from: T0 + 2 * H, to: T0 + 6 * H, cause: 'link_down' }]);
    // The same from a rebuild of the ledger alone.
    expect(toSnapshot(await rebuildAggregates(ledger.records())).coverage).toEqual(toSnapshot(store.current()).coverage);
    await store.stop();
    await ledger.stop();
  });
});

describe('a start after a crash', () => {
  it('closes the kiosks left online and the sign outage left open, and the report names the controller down', async () => {
    const { ledger, store } = await open();
    const start = startOfCivilDay('2026-03-02');
    clock = start + H;
    await ledger.append([{ type: 'device.online', deviceId: 'k1' }, kioskShowing(start, start + H)]);
    clock = T0 + H;
    await ledger.append([kioskShowing(start + H, T0 + H), signShowing(start, T0), linkDown(T0)]);
    // kill -9 at about T0 + 1 h: no device.offline, no end of the outage. The saved last-seen time is later than the last record.
    const lastSeen = T0 + H + 20 * M;
    await store.stop();
    await ledger.stop();

    clock = T0 + 4 * H;
    const again = await open();
    const entries = restartEntries(again.store.current().coverage, [{ id: 'k1', lastSeenAt: lastSeen }], clock);
    expect(entries).toEqual([
      { type: 'controller.restarted', lastAliveAt: lastSeen, downMs: clock - lastSeen, openKiosks: 1, openSignOutages: 1 },
      { type: 'device.offline', deviceId: 'k1', reason: 'controller-restart', at: lastSeen, lastRecordAt: T0 + H },
      { type: 'sign.link-outage', signId: 's1', start: T0, end: lastSeen, cause: 'controller-restart' },
    ]);
    await recordRestart({
      ledger: again.ledger,
      coverage: again.store.current().coverage,
      devices: [{ id: 'k1', lastSeenAt: lastSeen }],
      now: clock,
      logger,
    });
    // Nothing is left open, so a second start closes nothing twice.
    expect(restartEntries(again.store.current().coverage, [], clock).slice(1)).toEqual([]);

    clock = T0 + 4 * H + 5 * M;
    await again.ledger.append([{ type: 'device.online', deviceId: 'k1' }]);
    // The showing is reported once it has ended: a receipt that ends after it arrived is not believed.
    clock = T0 + 6 * H;
    await again.ledger.append([kioskShowing(T0 + 4 * H + 5 * M, T0 + 6 * H)]);
    const { gaps, row } = report(again.store.current().coverage, T0 + 6 * H);
    expect(gaps('k1')).toEqual([{ from: lastSeen, to: T0 + 4 * H, cause: 'controller_down' }]);
    expect(gaps('s1')).toEqual([
      { from: T0, to: lastSeen, cause: 'link_down' },
      { from: lastSeen, to: T0 + 4 * H, cause: 'controller_down' },
      { from: T0 + 4 * H, to: T0 + 6 * H, cause: 'no_proof' },
    ]);
    expect(row.reasons.find((r) => r.code === 'controller_down')).toEqual({
      code: 'controller_down',
      devices: 2,
      ms: 2 * (T0 + 4 * H - lastSeen),
    });
    expect(again.store.current().coverage.online.get('k1')).toBe(T0 + 4 * H + 5 * M);

    // Live, rebuilt and from the snapshot: the same coverage.
    const rebuilt = toSnapshot(await rebuildAggregates(again.ledger.records())).coverage;
    expect(rebuilt).toEqual(toSnapshot(again.store.current()).coverage);
    await again.store.stop();
    const third = createAggregateStore({ dataDir: dir, ledger: again.ledger, logger });
    await third.start();
    expect(third.startedFrom().replayed).toBe(0);
    expect(toSnapshot(third.current()).coverage).toEqual(rebuilt);
    expect(third.current().coverage.lastAt.get('k1')).toBe(T0 + 6 * H);
    await third.stop();
    await again.ledger.stop();
  });

  it('dates the downtime from the last record before a torn line was cut, not from the cut', () => {
    const cov = emptyCoverage();
    const base = { seq: 1, prevHash: '', hash: '' };
    applyCoverage(cov, { ...base, type: 'device.online', ts: T0, deviceId: 'k1' });
    // The crash tore a line; the start cut it and recorded the cut at its own time.
    applyCoverage(cov, {
      ...base,
      seq: 2,
      type: LEDGER_TAIL_CUT_TYPE,
      ts: T0 + 4 * H,
      segment: '2026-03.jsonl',
      offset: 0,
      bytes: 9,
      sha256: '',
    });
    const [restarted, offline] = restartEntries(cov, [], T0 + 4 * H);
    expect(restarted).toMatchObject({ type: 'controller.restarted', lastAliveAt: T0, downMs: 4 * H });
    expect(offline).toMatchObject({ type: 'device.offline', deviceId: 'k1', at: T0 });
  });

  it('writes nothing for an empty ledger (a new installation)', () => {
    expect(restartEntries(emptyCoverage(), [{ id: 'k1', lastSeenAt: T0 }], T0 + H)).toEqual([]);
  });
});
