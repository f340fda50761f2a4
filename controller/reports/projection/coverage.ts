/**
 * What the compliance report needs from the ledger, folded one record at a
 * time like the other aggregates (and part of their snapshot):
 *
 * - per version (content hash) × device: the runs of time it was on screen,
 *   showings at most {@link SHOWING_JOIN_MS} apart, with no outage of the
 *   device or the controller between them, merged into one run (the rule is
 *   in protocol/compliance.ts), so a device holds about one run per version
 *   per outage or long silence, however slowly it rotates;
 * - per device: its outages, kiosks from `device.offline` (its `at`: the outage
 *   began when the connection closed; a reconnect within the grace writes
 *   nothing, services/devices.ts) to `device.online`,
 *   signs from `sign.link-down` (an outage in progress) or `sign.link-outage`
 *   (its end; older ledgers have only these);
 * - the times the controller itself was down (`controller.restarted`), which
 *   hold for every device;
 * - which village node each sign stands behind: the node's offline spells
 *   (`device.offline` of the node, `node.uplink-outage`) are outages of its
 *   signs for joining, and the report tells them from the sign's own link;
 * - what a restart needs to close the intervals a crash left open: the kiosks
 *   online in the record and each device's last record (see ops/restart.ts).
 *
 * Merging is order-independent given the outages (a run is a connected
 * stretch of showings), so receipts a kiosk sends late, after an offline
 * spell, land where they belong. An outage is in the ledger before any
 * showing that could be joined across it (it is written as it begins, or at
 * the restart before kiosks reconnect); one folded after a run already
 * spanning it does not split that run.
 */
import { LEDGER_TAIL_CUT_TYPE, type LedgerRecord } from '../../store/ledger.js';
import { SHOWING_JOIN_MS } from '../../protocol/index.js';
import type { ReceiptTime } from './receiptTime.js';

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
  /**
   * Sign → the village node it is attached to, from the sign's profile records (`attachedTo`) and the records a
   * node files for it (`nodeId`). The node's offline spells (`device.offline` as the controller saw it,
   * `node.uplink-outage` as the node kept it) are outages of its signs too: showings are not joined across them.
   */
  signNode: Map<string, string>;
}

export const emptyCoverage = (): Coverage => ({
  shown: new Map(),
  outages: new Map(),
  controllerDown: [],
  online: new Map(),
  lastAt: new Map(),
  lastTs: 0,
  signNode: new Map(),
});

export const shownKey = (contentHash: string, deviceId: string): string => `${contentHash}\u0000${deviceId}`;

/**
 * Adds [from, to] to sorted disjoint runs, merging the runs it overlaps and
 * joining each neighbour at most `gap` away, unless `canJoin` says the time
 * between them may not be joined (the device was down then).
 * @example
 * const runs: Run[] = [[0, 10]];
 * addRun(runs, 15, 20, 10); // runs is now [[0, 20]]
 * addRun(runs, 25, 30, 10, () => false); // [[0, 20], [25, 30]]
 */
export function addRun(
  runs: Run[],
  from: number,
  to: number,
  gap: number,
  canJoin: (from: number, to: number) => boolean = () => true,
): void {
  let lo = 0;
  let hi = runs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (runs[mid]![1] < from) lo = mid + 1;
    else hi = mid;
  }
  let start = from;
  let end = to;
  hi = lo;
  while (hi < runs.length && runs[hi]![0] <= end) {
    start = Math.min(start, runs[hi]![0]);
    end = Math.max(end, runs[hi]![1]);
    hi++;
  }
  while (lo > 0 && start - runs[lo - 1]![1] <= gap && canJoin(runs[lo - 1]![1], start)) start = runs[--lo]![0];
  while (hi < runs.length && runs[hi]![0] - end <= gap && canJoin(end, runs[hi]![0])) end = runs[hi++]![1];
  runs.splice(lo, hi - lo, [start, end]);
}

/** Whether the device (or the village node of a sign), or the controller, was down at some time between `from` and `to`. */
function downBetween(cov: Coverage, deviceId: string, from: number, to: number): boolean {
  for (const [a, b] of cov.controllerDown) if (a < to && b > from) return true;
  const node = cov.signNode.get(deviceId);
  for (const id of node === undefined ? [deviceId] : [deviceId, node]) {
    for (const o of cov.outages.get(id) ?? []) if (o.from < to && (o.to ?? Number.POSITIVE_INFINITY) > from) return true;
  }
  return false;
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
    else {
      // Its `device.offline` is not in this ledger (a restore, a lost write): the end names the start too.
      const since = num(record.offlineSince);
      if (since !== null && since < record.ts) insertOutage(list, { cause: 'offline', from: since, to: record.ts });
    }
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

/**
 * A village node's own account of its offline spell, uploaded when it is back (the controller's `device.offline`
 * may have missed part of it): `node.uplink-down` opens it, before any interval the node kept during it is
 * uploaded (the node's outbox is in order), so those are never joined across it; `node.uplink-outage` ends it.
 */
function foldNodeUplink(cov: Coverage, record: LedgerRecord, nodeId: string): void {
  const list = outagesOf(cov, nodeId);
  if (record.type === 'node.uplink-down') {
    const from = num(record.at);
    if (from !== null) insertOutage(list, { cause: 'offline', from, to: null });
    return;
  }
  const from = num(record.start);
  const to = num(record.end);
  if (from === null || to === null || to < from) return;
  const open = list.findLast((o) => o.cause === 'offline' && o.to === null && o.from >= from && o.from <= to);
  if (open) {
    open.from = from;
    open.to = to;
  } else insertOutage(list, { cause: 'offline', from, to });
}

/**
 * Folds one record into the coverage (records of other types are ignored). `believed` is what the reports believe
 * of a kiosk display receipt's times (receiptTime.ts): a receipt not believed shows nothing.
 */
export function applyCoverage(cov: Coverage, record: LedgerRecord, believed: ReceiptTime | null = null): void {
  const type = record.type;
  // A torn line cut at start is recorded at the start's time: it is no sign that the controller was alive before it.
  if (type !== LEDGER_TAIL_CUT_TYPE) cov.lastTs = Math.max(cov.lastTs, record.ts);
  const named = str(record.deviceId) ?? str(record.signId);
  if (named) cov.lastAt.set(named, Math.max(cov.lastAt.get(named) ?? 0, record.ts));
  const signId = str(record.signId);
  if (signId !== null) {
    // A staff change names where the sign is attached (null: the controller); a node's record names the node.
    if ('attachedTo' in record) {
      const node = str(record.attachedTo);
      if (node === null) cov.signNode.delete(signId);
      else cov.signNode.set(signId, node);
    } else {
      const node = str(record.nodeId);
      if (node !== null) cov.signNode.set(signId, node);
    }
  }
  if (type.startsWith('display.') || type === 'sign.display') {
    const contentHash = str(record.contentHash);
    if (believed?.trusted === false) return;
    const from = believed ? believed.from : (num(record.startedAt) ?? num(record.start));
    const to = believed ? believed.to : (num(record.endedAt) ?? num(record.end));
    if (!contentHash || !named || from === null || to === null || to < from) return;
    const key = shownKey(contentHash, named);
    let shown = cov.shown.get(key);
    if (!shown) cov.shown.set(key, (shown = { contentHash, deviceId: named, runs: [] }));
    addRun(shown.runs, from, to, SHOWING_JOIN_MS, (a, b) => !downBetween(cov, named, a, b));
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
  if (type === 'node.uplink-down' || type === 'node.uplink-outage') {
    const nodeId = str(record.nodeId);
    if (nodeId) foldNodeUplink(cov, record, nodeId);
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
  /** Absent in snapshots written before signs could stand behind village nodes. */
  signNode?: [signId: string, nodeId: string][];
}

export function coverageSnapshot(cov: Coverage): CoverageSnapshot {
  return {
    shown: [...cov.shown.values()].map((s) => [s.contentHash, s.deviceId, s.runs]),
    outages: [...cov.outages.entries()],
    controllerDown: cov.controllerDown,
    online: [...cov.online.entries()],
    lastAt: [...cov.lastAt.entries()],
    lastTs: cov.lastTs,
    signNode: [...cov.signNode.entries()],
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
  cov.signNode = new Map(snapshot.signNode ?? []);
  return cov;
}
