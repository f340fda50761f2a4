/**
 * What the compliance report needs from the ledger, folded one record at a
 * time like the other aggregates (and part of their snapshot):
 *
 * - per version (content hash) × device: the runs of time it was on screen,
 *   showings less than {@link SHOWING_CONTINUITY_MS} apart merged into one run;
 * - per device: its outages, kiosks from `device.offline` to `device.online`,
 *   signs from their `sign.link-outage` records.
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
  cause: 'offline' | 'link_down';
  from: number;
  /** null while a kiosk is still offline. */
  to: number | null;
}

export interface Coverage {
  /** `contentHash\0deviceId` → runs, sorted and disjoint. */
  shown: Map<string, Shown>;
  /** Device → outages, sorted by start. */
  outages: Map<string, Outage[]>;
}

export const emptyCoverage = (): Coverage => ({ shown: new Map(), outages: new Map() });

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

/** Folds one record into the coverage (records of other types are ignored). */
export function applyCoverage(cov: Coverage, record: LedgerRecord): void {
  const type = record.type;
  if (type.startsWith('display.') || type === 'sign.display') {
    const contentHash = str(record.contentHash);
    const deviceId = str(record.deviceId) ?? str(record.signId);
    const from = num(record.startedAt) ?? num(record.start);
    const to = num(record.endedAt) ?? num(record.end);
    if (!contentHash || !deviceId || from === null || to === null || to < from) return;
    const key = shownKey(contentHash, deviceId);
    let shown = cov.shown.get(key);
    if (!shown) cov.shown.set(key, (shown = { contentHash, deviceId, runs: [] }));
    addRun(shown.runs, from, to, SHOWING_CONTINUITY_MS);
    return;
  }
  if (type === 'device.offline' || type === 'device.online') {
    const deviceId = str(record.deviceId);
    if (!deviceId) return;
    const list = outagesOf(cov, deviceId);
    const open = list.findLast((o) => o.cause === 'offline' && o.to === null);
    if (type === 'device.offline' && !open) list.push({ cause: 'offline', from: record.ts, to: null });
    if (type === 'device.online' && open) open.to = Math.max(open.from, record.ts);
    return;
  }
  if (type === 'sign.link-outage') {
    const signId = str(record.signId);
    const from = num(record.start);
    const to = num(record.end);
    if (!signId || from === null || to === null || to < from) return;
    insertOutage(outagesOf(cov, signId), { cause: 'link_down', from, to });
  }
}

export interface CoverageSnapshot {
  shown: [contentHash: string, deviceId: string, runs: Run[]][];
  outages: [deviceId: string, outages: Outage[]][];
}

export function coverageSnapshot(cov: Coverage): CoverageSnapshot {
  return {
    shown: [...cov.shown.values()].map((s) => [s.contentHash, s.deviceId, s.runs]),
    outages: [...cov.outages.entries()],
  };
}

export function coverageFromSnapshot(snapshot: CoverageSnapshot): Coverage {
  const cov = emptyCoverage();
  for (const [contentHash, deviceId, runs] of snapshot.shown) {
    cov.shown.set(shownKey(contentHash, deviceId), { contentHash, deviceId, runs: runs.map(([a, b]) => [a, b]) });
  }
  for (const [deviceId, list] of snapshot.outages) cov.outages.set(deviceId, list.map((o) => ({ ...o })));
  return cov;
}
