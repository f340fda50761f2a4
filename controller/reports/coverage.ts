/**
 * What the compliance report needs from the ledger, folded one record at a
 * time like the other aggregates (and part of their snapshot):
 *
 * - per version (content hash) × device: the runs of time it was on screen,
 *   showings less than {@link SHOWING_CONTINUITY_MS} apart merged into one run;
 * - per device: its outages, kiosks from `device.offline` to `device.online`,
 *   signs from `sign.link-down` (an outage in progress) or `sign.link-outage`
 *   (its end; older ledgers have only these);
 * - the times the controller itself was down (`controller.restarted`), which
 *   hold for every device;
 * - what a restart needs to close the intervals a crash left open: the kiosks
 *   online in the record and each device's last record (see restart.ts).
 *
 * Merging is order-independent (a run is a connected stretch of showings), so
 * receipts a kiosk sends late, after an offline spell, land where they belong.
 */
import type { LedgerRecord } from '../store/ledger.js';
import { SHOWING_CONTINUITY_MS } from '../protocol/index.js';

export type Run = [from: number, to: number];

export interface Shown {
  contentHash: string;
  deviceId: string;
  runs: Run[];
}

export interface Outage {
  cause: 'offline' | 'link_down' | 'controller_down';
  from: number;
  /** null while a kiosk is still offline. */
  to: number | null;
}

export interface Coverage {
  /** `contentHash\0deviceId` → runs, sorted and disjoint. */
  shown: Map<string, Shown>;
  /** Device → outages, sorted by start. */
  outages: Map<string, Outage[]>;
  /** When the controller was down (from its last sign of life to its restart), for every device; sorted. */
  controllerDown: Run[];
  /** Kiosk → ts of its `device.online` not yet followed by a `device.offline`. */
  online: Map<string, number>;
  /** Device or sign → ts of the last record naming it. */
  lastAt: Map<string, number>;
  /** ts of the last record folded in. */
  lastTs: number;
}

export const emptyCoverage = (): Coverage => ({
  shown: new Map(),
  outages: new Map(),
  controllerDown: [],
  online: new Map(),
  lastAt: new Map(),
  lastTs: 0,
});

export const shownKey = (contentHash: string, deviceId: string): string => `${contentHash}\u0000${deviceId}`;

/**
 * Adds [from, to] to sorted disjoint runs, joining every run within `gap` of it.
 * @example
 * const runs: Run[] = [[0, 10]];
 * addRun(runs, 15, 20, 10); // runs is now [[0, 20]]
 */
export function addRun(runs: Run[], from: number, to: number, gap: number): void {
  let lo = 0;
  let hi = runs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (runs[mid]![1] + gap < from) lo = mid + 1;
    else hi = mid;
  }
  let start = from;
  let end = to;
  let j = lo;
  while (j < runs.length && runs[j]![0] - gap <= end) {
    start = Math.min(start, runs[j]![0]);
    end = Math.max(end, runs[j]![1]);
    j++;
  }
  runs.splice(lo, j - lo, [start, end]);
}

const str = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);
const num = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);

function insertOutage(list: Outage[], outage: Outage): void {
  let i = list.length;
  while (i > 0 && list[i - 1]!.from > outage.from) i--;
  list.splice(i, 0, outage);
}

function outagesOf(cov: Coverage, deviceId: string): Outage[] {
  let list = cov.outages.get(deviceId);
  if (!list) cov.outages.set(deviceId, (list = []));
  return list;
}

/** The open outage of this cause on a device, if any. */
const openOutage = (list: readonly Outage[], cause: Outage['cause']): Outage | undefined =>
  list.findLast((o) => o.cause === cause && o.to === null);

function foldDeviceEvent(cov: Coverage, record: LedgerRecord, deviceId: string): void {
  const list = outagesOf(cov, deviceId);
  const open = openOutage(list, 'offline');
  if (record.type === 'device.online') {
    cov.online.set(deviceId, record.ts);
    if (open) open.to = Math.max(open.from, record.ts);
    return;
  }
  cov.online.delete(deviceId);
  // Written at a restart for a kiosk the crash left online: offline since the controller's last sign of life.
  const from = Math.min(num(record.at) ?? record.ts, record.ts);
  if (!open) insertOutage(list, { cause: 'offline', from, to: null });
}

function foldLinkOutage(cov: Coverage, record: LedgerRecord, signId: string): void {
  const list = outagesOf(cov, signId);
  const open = openOutage(list, 'link_down');
  if (record.type === 'sign.link-down') {
    const from = num(record.at) ?? record.ts;
    if (!open) insertOutage(list, { cause: 'link_down', from, to: null });
    return;
  }
  const from = num(record.start);
  const to = num(record.end);
  if (from === null || to === null || to < from) return;
  // The end of the outage a `sign.link-down` opened, or (older ledgers) the whole outage at once.
  if (open && open.from <= to) {
    open.from = Math.min(open.from, from);
    open.to = to;
  } else insertOutage(list, { cause: 'link_down', from, to });
}

/** Folds one record into the coverage (records of other types are ignored). */
export function applyCoverage(cov: Coverage, record: LedgerRecord): void {
  const type = record.type;
  cov.lastTs = Math.max(cov.lastTs, record.ts);
  const named = str(record.deviceId) ?? str(record.signId);
  if (named) cov.lastAt.set(named, Math.max(cov.lastAt.get(named) ?? 0, record.ts));
  if (type.startsWith('display.') || type === 'sign.display') {
    const contentHash = str(record.contentHash);
    const from = num(record.startedAt) ?? num(record.start);
    const to = num(record.endedAt) ?? num(record.end);
    if (!contentHash || !named || from === null || to === null || to < from) return;
    const key = shownKey(contentHash, named);
    let shown = cov.shown.get(key);
    if (!shown) cov.shown.set(key, (shown = { contentHash, deviceId: named, runs: [] }));
    addRun(shown.runs, from, to, SHOWING_CONTINUITY_MS);
    return;
  }
  if (type === 'device.offline' || type === 'device.online') {
    const deviceId = str(record.deviceId);
    if (deviceId) foldDeviceEvent(cov, record, deviceId);
    return;
  }
  if (type === 'sign.link-outage' || type === 'sign.link-down') {
    const signId = str(record.signId);
    if (signId) foldLinkOutage(cov, record, signId);
    return;
  }
  if (type === 'controller.restarted') {
    const from = num(record.lastAliveAt);
    if (from !== null && from < record.ts) addRun(cov.controllerDown, from, record.ts, 0);
  }
}

export interface CoverageSnapshot {
  shown: [contentHash: string, deviceId: string, runs: Run[]][];
  outages: [deviceId: string, outages: Outage[]][];
  controllerDown: Run[];
  online: [deviceId: string, since: number][];
  lastAt: [deviceId: string, ts: number][];
  lastTs: number;
}

export function coverageSnapshot(cov: Coverage): CoverageSnapshot {
  return {
    shown: [...cov.shown.values()].map((s) => [s.contentHash, s.deviceId, s.runs]),
    outages: [...cov.outages.entries()],
    controllerDown: cov.controllerDown,
    online: [...cov.online.entries()],
    lastAt: [...cov.lastAt.entries()],
    lastTs: cov.lastTs,
  };
}

export function coverageFromSnapshot(snapshot: CoverageSnapshot): Coverage {
  const cov = emptyCoverage();
  for (const [contentHash, deviceId, runs] of snapshot.shown) {
    cov.shown.set(shownKey(contentHash, deviceId), { contentHash, deviceId, runs: runs.map(([a, b]) => [a, b]) });
  }
  for (const [deviceId, list] of snapshot.outages)
    cov.outages.set(
      deviceId,
      list.map((o) => ({ ...o })),
    );
  cov.controllerDown = snapshot.controllerDown.map(([a, b]) => [a, b]);
  cov.online = new Map(snapshot.online);
  cov.lastAt = new Map(snapshot.lastAt);
  cov.lastTs = snapshot.lastTs;
  return cov;
}
