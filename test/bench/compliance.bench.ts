/**
 * The posting-period compliance report (公示期合规) over a year of 20
 * villages: 460 notices with 7-day windows (one in ten town-wide), 40 kiosks
 * and 20 LED signs on 08:00–20:00, each showing every active notice every 20
 * minutes (about 1,000,000 display records), with one kiosk offline spell or
 * sign link outage per device cutting into the showings.
 *
 * Measured: the whole year's report from the coverage folded as records
 * arrive. Baseline: folding that coverage from the records first, which is
 * what every request would cost without it. Also: what the coverage adds to
 * the aggregates (fold time per record, snapshot size).
 */
import type { NoticeRecord } from '../../controller/domain/notices.js';
import type { LedgerRecord } from '../../controller/store/ledger.js';
import { type NoticeVersion, SHOWING_CONTINUITY_MS, startOfCivilDay } from '../../controller/protocol/index.js';
import { complianceRows, type ComplianceInputs, type TargetDevice } from '../../controller/reports/compute/compliance.js';
import { type Coverage, applyCoverage, coverageSnapshot, emptyCoverage } from '../../controller/reports/projection/coverage.js';
import { dailyOnHours } from '../../controller/reports/compute/intervals.js';
import type { BenchOptions, BenchResult } from './bench.js';
import { monotonicMs, summarise } from './stats.js';

export const name = 'compliance';

const YEAR = 2025;
const VILLAGES = 20;
const H = 3_600_000;
const DAY = 24 * H;
const YEAR_START = startOfCivilDay(`${YEAR}-01-01`);
const ON = dailyOnHours({ on: '08:00', off: '20:00' });

interface Plan {
  notices: NoticeRecord[];
  devices: TargetDevice[];
  /** Per device: [from, to) when it shows nothing (offline or link down). */
  outages: Map<string, [number, number, 'offline' | 'link']>;
}

const hashOf = (i: number): string => i.toString(16).padStart(64, '0');

function plan(noticeCount: number): Plan {
  const devices: TargetDevice[] = [];
  for (let v = 0; v < VILLAGES; v++) {
    for (let k = 0; k < 2; k++)
      devices.push({
        id: `k${v}-${k}`,
        name: `村${v}触摸屏${k}`,
        kind: 'kiosk',
        villageId: `v${v}`,
        onHours: ON,
        since: null,
        until: null,
      });
    devices.push({ id: `s${v}`, name: `村${v}门头屏`, kind: 'led', villageId: `v${v}`, onHours: ON, since: null, until: null });
  }
  const notices: NoticeRecord[] = [];
  for (let i = 0; i < noticeCount; i++) {
    const startsAt = YEAR_START + Math.floor((i * 358) / noticeCount) * DAY;
    const approvedAt = startsAt + 8 * H;
    const version = {
      id: `nv${i}`,
      noticeId: `n${i}`,
      number: 1,
      contentHash: hashOf(i),
      state: 'expired',
      revisionOf: null,
      correction: null,
      content: {
        title: `公示${i}`,
        target: i % 10 === 0 ? { scope: 'town' } : { scope: 'villages', villageIds: [`v${i % VILLAGES}`] },
        posting: { start: '', rule: { kind: 'calendar_days', days: 7 } },
        emergency: null,
      },
      review: { decision: 'approved', by: 'r', at: approvedAt, attestation: null, reason: '', privacyOverride: null },
      startsAt,
      endsAt: startsAt + 7 * DAY,
      endedAt: startsAt + 7 * DAY,
      withdrawal: null,
    } as unknown as NoticeVersion;
    notices.push({ id: `n${i}`, createdBy: 'e', createdAt: startsAt, versions: [version] });
  }
  // One spell per device: kiosks offline 3 h, signs' link down 2 h, on a day that depends on the device.
  const outages = new Map<string, [number, number, 'offline' | 'link']>();
  devices.forEach((d, i) => {
    const from = YEAR_START + ((i * 37) % 350) * DAY + 10 * H;
    outages.set(d.id, d.kind === 'kiosk' ? [from, from + 3 * H, 'offline'] : [from, from + 2 * H, 'link']);
  });
  return { notices, devices, outages };
}

/** The year's records in ledger order (by time), as the ledger would hold them. */
function* records(p: Plan): Generator<LedgerRecord> {
  let seq = 0;
  const queue: LedgerRecord[] = [];
  const rec = (fields: Record<string, unknown>, ts: number): LedgerRecord =>
    ({ seq: ++seq, ts, prevHash: '', hash: '', ...fields }) as unknown as LedgerRecord;
  const byVillage = new Map<string, NoticeRecord[]>();
  for (const n of p.notices) {
    const target = n.versions[0]!.content.target;
    for (const v of target.scope === 'town' ? [...Array(VILLAGES).keys()].map((x) => `v${x}`) : target.villageIds) {
      byVillage.set(v, [...(byVillage.get(v) ?? []), n]);
    }
  }
  for (let day = 0; day < 365; day++) {
    const morning = YEAR_START + day * DAY;
    for (const d of p.devices) {
      const [outFrom, outTo, cause] = p.outages.get(d.id)!;
      const active = (byVillage.get(d.villageId) ?? []).filter((n) => {
        const v = n.versions[0]!;
        return (v.startsAt ?? 0) < morning + DAY && (v.endsAt ?? 0) > morning;
      });
      for (let slot = 0; slot < 36; slot++) {
        const at = morning + 8 * H + slot * 20 * 60_000;
        if (at >= outFrom && at < outTo) continue;
        for (const [k, n] of active.entries()) {
          const v = n.versions[0]!;
          const start = at + k * 30_000;
          if (start < (v.review?.at ?? 0) || start >= (v.endsAt ?? 0)) continue;
          const shown =
            d.kind === 'kiosk'
              ? { type: 'display.kiosk', deviceId: d.id, villageId: d.villageId, noticeId: n.id, startedAt: start, endedAt: start + 30_000 }
              : { type: 'sign.display', signId: d.id, villageId: d.villageId, start, end: start + 30_000, proof: 'acknowledged' };
          queue.push(rec({ ...shown, contentHash: v.contentHash }, start + 30_000));
        }
      }
      if (outFrom >= morning && outFrom < morning + DAY) {
        if (cause === 'offline') {
          queue.push(rec({ type: 'device.offline', deviceId: d.id }, outFrom), rec({ type: 'device.online', deviceId: d.id }, outTo));
        } else {
          queue.push(rec({ type: 'sign.link-outage', signId: d.id, start: outFrom, end: outTo, cause: 'link' }, outTo));
        }
      }
      yield* queue;
      queue.length = 0;
    }
  }
}
function fold(all: readonly LedgerRecord[]): Coverage {
  const cov = emptyCoverage();
  for (const r of all) applyCoverage(cov, r);
  return cov;
}

export function run(options: BenchOptions): Promise<BenchResult[]> {
  const p = plan(options.quick ? 100 : 460);
  const g0 = monotonicMs();
  const all = [...records(p)];
  options.log(`  generated ${all.length.toLocaleString('en-US')} records in ${((monotonicMs() - g0) / 1000).toFixed(1)} s`);
  const rounds = options.quick ? 1 : 5;

  const foldMs: number[] = [];
  let coverage = emptyCoverage();
  for (let i = 0; i < Math.min(rounds, 3); i++) {
    const f0 = monotonicMs();
    coverage = fold(all);
    foldMs.push(monotonicMs() - f0);
  }
  const input: ComplianceInputs = {
    coverage,
    notices: p.notices,
    devices: p.devices,
    villages: Array.from({ length: VILLAGES }, (_, v) => ({ id: `v${v}`, name: `村${v}` })),
    continuityMs: SHOWING_CONTINUITY_MS,
    now: startOfCivilDay(`${YEAR + 1}-01-15`),
  };
  const from = startOfCivilDay(`${YEAR}-01-01`);
  const to = startOfCivilDay(`${YEAR + 1}-01-01`);
  const reportMs: number[] = [];
  let summary = '';
  for (let i = 0; i < rounds + 1; i++) {
    const r0 = monotonicMs();
    const rows = complianceRows(input, from, to);
    if (i > 0) reportMs.push(monotonicMs() - r0);
    const gaps = rows.flatMap((r) => r.devices.flatMap((d) => d.gaps));
    const causes = new Map<string, number>();
    for (const g of gaps) causes.set(g.cause, (causes.get(g.cause) ?? 0) + 1);
    summary = `${rows.length} notices, ${rows.reduce((n, r) => n + r.devices.length, 0).toLocaleString('en-US')} notice × device checks, ${rows.filter((r) => !r.compliant).length} not compliant, gaps ${[...causes].map(([c, n]) => `${c} ${n}`).join(', ')}`;
  }
  const runs = [...coverage.shown.values()].reduce((n, s) => n + s.runs.length, 0);
  const snapshotBytes = Buffer.byteLength(JSON.stringify(coverageSnapshot(coverage)));
  const baseline = foldMs.map((f, i) => f + (reportMs[i] ?? reportMs[0] ?? 0));
  return Promise.resolve([
    {
      benchmark: 'compliance report, a year of 20 villages',
      n: all.length,
      rounds: reportMs.length,
      payloadBytes: 0,
      measured: summarise(reportMs),
      baseline: {
        name: 'fold the coverage from the records, then the report (each request without the aggregates)',
        ...summarise(baseline),
      },
      notes: [
        `report: ${summary}`,
        `coverage: ${coverage.shown.size.toLocaleString('en-US')} version × device entries, ${runs.toLocaleString('en-US')} runs, snapshot part ${(snapshotBytes / 1024).toFixed(0)} KB`,
        `folding the coverage alone: p50 ${(summarise(foldMs).p50 / 1000).toFixed(2)} s for ${all.length.toLocaleString('en-US')} records (${((summarise(foldMs).p50 * 1000) / all.length).toFixed(2)} µs per record)`,
      ],
    },
  ]);
}
