/**
 * The posting-period compliance report (公示期合规), a pure function of the
 * notices (their approved versions fix the window), the targeted devices and
 * the coverage folded from the ledger. Rules in protocol/compliance.ts.
 *
 * Emergencies are left out: they have no 公示期, and their reach is proven by
 * the devices' acknowledgements instead.
 */
import type { NoticeRecord } from '../../domain/notices.js';
import {
  type ComplianceDevice,
  type ComplianceGap,
  type ComplianceReason,
  type ComplianceRow,
  type ComplianceSegment,
  type CutCause,
  type GapCause,
  GAP_CAUSES,
  type NoticeVersion,
  type OnHours,
  type UntrustedShowings,
  type Village,
  civilDateOf,
} from '../../protocol/index.js';
import type { UntrustedTally } from '../projection/aggregates.js';
import { type Coverage, shownKey } from '../projection/coverage.js';
import { type Run, clip, intersect, normalise, onIntervals, subtract, total } from './intervals.js';

export interface TargetDevice {
  id: string;
  name: string;
  kind: 'kiosk' | 'led';
  villageId: string;
  onHours: OnHours | null;
  /** When it joined (paired); null = always known. */
  since: number | null;
  /** When it was revoked; null = still in service. */
  until: number | null;
  /** A sign: the village node it is attached to now (null: the controller; absent: not known here). */
  nodeId?: string | null;
}

export interface ComplianceInputs {
  coverage: Readonly<Coverage>;
  notices: readonly NoticeRecord[];
  devices: readonly TargetDevice[];
  villages: readonly Village[];
  /** Showings closer together than this are one continuous showing; shorter gaps are not reported. */
  continuityMs: number;
  now: number;
  /** Display receipts whose times are not believed (receiptTime.ts): shown apart, never as showings. */
  untrusted?: Iterable<UntrustedTally>;
}

interface Segment extends ComplianceSegment {
  version: NoticeVersion;
}

const approvedVersions = (notice: NoticeRecord): NoticeVersion[] =>
  notice.versions
    .filter((v) => v.review?.decision === 'approved' && v.startsAt !== null)
    .sort((a, b) => (a.review?.at ?? 0) - (b.review?.at ?? 0));

/** Each approved version's part of the window, up to `horizon`. */
function segmentsOf(versions: readonly NoticeVersion[], horizon: number, now: number): Segment[] {
  const out: Segment[] = [];
  versions.forEach((v, i) => {
    const from = Math.max(v.startsAt ?? 0, v.review?.at ?? 0);
    const planned = v.endsAt ?? Number.POSITIVE_INFINITY;
    const ended = v.endedAt ?? Number.POSITIVE_INFINITY;
    const to = Math.min(planned, ended, horizon);
    if (to <= from) return;
    let end: ComplianceSegment['end'];
    if (ended <= Math.min(planned, horizon) && v.state !== 'expired') {
      end = v.state === 'withdrawn' ? 'withdrawn' : versions[i + 1]?.correction ? 'corrected' : 'superseded';
    } else if (planned <= horizon) end = v.state === 'expired' ? 'expired' : 'window_end';
    else end = horizon >= now ? 'now' : 'report_end';
    out.push({ versionId: v.id, number: v.number, contentHash: v.contentHash, from, to, end, version: v });
  });
  return out;
}

function gapPieces(
  uncovered: readonly Run[],
  outages: readonly { cause: 'controller_down' | 'offline' | 'link_down' | 'node_offline'; run: Run }[],
  oldVersion: readonly Run[],
  minMs: number,
  versionNumber: number,
): ComplianceGap[] {
  const pieces: ComplianceGap[] = [];
  let rest: Run[] = [...uncovered];
  const take = (cause: GapCause, runs: readonly Run[]): void => {
    if (runs.length === 0 || rest.length === 0) return;
    const hit = intersect(rest, runs);
    for (const [from, to] of hit) pieces.push({ from, to, ms: to - from, cause, versionNumber });
    rest = subtract(rest, hit);
  };
  for (const cause of ['controller_down', 'offline', 'link_down', 'node_offline'] as const) {
    take(cause, normalise(outages.filter((o) => o.cause === cause).map((o) => o.run)));
  }
  take('old_version', oldVersion);
  take('no_proof', rest);
  return pieces.filter((p) => p.ms >= minMs).sort((a, b) => a.from - b.from);
}

/** Untrusted receipts by `shownKey(contentHash, deviceId)`. */
type UntrustedIndex = Map<string, UntrustedTally[]>;

function untrustedIndex(tallies: Iterable<UntrustedTally>): UntrustedIndex {
  const index: UntrustedIndex = new Map();
  for (const t of tallies) {
    const key = shownKey(t.contentHash, t.deviceId);
    index.set(key, [...(index.get(key) ?? []), t]);
  }
  return index;
}

function untrustedOf(index: UntrustedIndex, deviceId: string, segments: readonly Segment[]): UntrustedShowings[] {
  const byReason = new Map<UntrustedShowings['reason'], UntrustedShowings>();
  for (const hash of new Set(segments.map((s) => s.contentHash))) {
    for (const t of index.get(shownKey(hash, deviceId)) ?? []) {
      const sum = byReason.get(t.reason) ?? { reason: t.reason, receipts: 0, claimedMs: 0 };
      sum.receipts += t.receipts;
      sum.claimedMs += t.claimedMs;
      byReason.set(t.reason, sum);
    }
  }
  return [...byReason.values()];
}

function checkDevice(
  input: ComplianceInputs,
  device: TargetDevice,
  segments: readonly Segment[],
  horizon: number,
  untrusted: UntrustedIndex,
): ComplianceDevice {
  const village = input.villages.find((v) => v.id === device.villageId)?.name ?? device.villageId;
  // A sign behind a village node: the node's offline spells, told apart from the sign's own link outages.
  const nodeId = device.kind === 'led' ? (device.nodeId ?? input.coverage.signNode.get(device.id) ?? null) : null;
  const nodeDown: Run[] =
    nodeId === null ? [] : normalise((input.coverage.outages.get(nodeId) ?? []).map((o) => [o.from, o.to ?? horizon] as Run));
  const outages = [
    ...input.coverage.controllerDown.map((run) => ({ cause: 'controller_down' as const, run })),
    ...(input.coverage.outages.get(device.id) ?? []).map((o) => ({ cause: o.cause, run: [o.from, o.to ?? horizon] as Run })),
    ...nodeDown.map((run) => ({ cause: 'node_offline' as const, run })),
  ];
  const runsOf = (hash: string): Run[] => input.coverage.shown.get(shownKey(hash, device.id))?.runs ?? [];
  const result: ComplianceDevice = {
    deviceId: device.id,
    name: device.name,
    kind: device.kind,
    villageId: device.villageId,
    village,
    requiredMs: 0,
    shownMs: 0,
    offHoursMs: 0,
    firstShownAt: null,
    lastShownAt: null,
    gaps: [],
    untrusted: untrustedOf(untrusted, device.id, segments),
    node: nodeId === null ? null : { id: nodeId, offlineMs: 0, shownWhileOfflineMs: 0 },
  };
  segments.forEach((seg, i) => {
    const from = Math.max(seg.from, device.since ?? seg.from);
    const to = Math.min(seg.to, device.until ?? seg.to);
    if (from >= to) return;
    const on = onIntervals(device.onHours, from, to);
    result.offHoursMs += to - from - total(on);
    result.requiredMs += total(on);
    const shown = clip(runsOf(seg.contentHash), from, to);
    result.shownMs += total(intersect(on, shown));
    if (result.node) {
      const offline = intersect(on, clip(nodeDown, from, to));
      result.node.offlineMs += total(offline);
      result.node.shownWhileOfflineMs += total(intersect(offline, shown));
    }
    if (shown.length > 0) {
      result.firstShownAt = Math.min(result.firstShownAt ?? Number.POSITIVE_INFINITY, shown[0]![0]);
      result.lastShownAt = Math.max(result.lastShownAt ?? 0, shown.at(-1)![1]);
    }
    const older = normalise(segments.slice(0, i).flatMap((s) => runsOf(s.contentHash)));
    result.gaps.push(...gapPieces(subtract(on, shown), outages, older, input.continuityMs, seg.number));
  });
  return result;
}

function reasonsOf(devices: readonly ComplianceDevice[], cuts: ComplianceRow['cuts'], posted: boolean): ComplianceReason[] {
  const reasons: ComplianceReason[] = cuts.map((c) => ({ code: c.cause, devices: 0, ms: c.ms }));
  // A window cut away entirely (withdrawn before it began) has nothing left to show, so no device is missing.
  if (devices.length === 0 && posted) reasons.push({ code: 'no_devices', devices: 0, ms: 0 });
  for (const cause of GAP_CAUSES) {
    const hit = devices.filter((d) => d.gaps.some((g) => g.cause === cause));
    const ms = devices.reduce((sum, d) => sum + d.gaps.filter((g) => g.cause === cause).reduce((s, g) => s + g.ms, 0), 0);
    if (hit.length > 0) reasons.push({ code: cause, devices: hit.length, ms });
  }
  return reasons;
}

/**
 * One row per notice whose planned posting window overlaps [fromMs, toMs):
 * its window and versions, each targeted device's gaps, and the verdict.
 */
export function complianceRows(input: ComplianceInputs, fromMs: number, toMs: number, villageId?: string): ComplianceRow[] {
  const horizon = Math.min(input.now, toMs);
  const rows: ComplianceRow[] = [];
  const untrusted = untrustedIndex(input.untrusted ?? []);
  for (const notice of input.notices) {
    const versions = approvedVersions(notice);
    const first = versions[0];
    const last = versions.at(-1);
    if (!first || !last || last.content.emergency) continue;
    const plannedFrom = first.startsAt ?? 0;
    const plannedTo = last.endsAt;
    if (plannedFrom >= toMs || (plannedTo !== null && plannedTo <= fromMs) || plannedFrom >= input.now) continue;
    const target = last.content.target;
    if (villageId && target.scope === 'villages' && !target.villageIds.includes(villageId)) continue;
    const segments = segmentsOf(versions, horizon, input.now);
    const cuts: ComplianceRow['cuts'] = [];
    const cut = (from: number, to: number, cause: CutCause): void => {
      if (to > from) cuts.push({ from, to, ms: to - from, cause });
    };
    const approvedAt = first.review?.at ?? plannedFrom;
    if (civilDateOf(approvedAt) > civilDateOf(plannedFrom))
      cut(plannedFrom, Math.min(approvedAt, plannedTo ?? approvedAt), 'approved_late');
    if (last.state === 'withdrawn' && last.withdrawal && plannedTo !== null) cut(last.withdrawal.at, plannedTo, 'withdrawn');
    const devices = input.devices
      .filter((d) => (target.scope === 'town' || target.villageIds.includes(d.villageId)) && (!villageId || d.villageId === villageId))
      .map((d) => checkDevice(input, d, segments, horizon, untrusted))
      .filter((d) => d.requiredMs > 0 || d.offHoursMs > 0);
    const reasons = reasonsOf(devices, cuts, segments.length > 0);
    const lastSegment = segments.at(-1);
    rows.push({
      noticeId: notice.id,
      title: last.content.title,
      rule: last.content.posting.rule,
      plannedFrom,
      plannedTo,
      from: segments[0]?.from ?? plannedFrom,
      to: lastSegment?.to ?? plannedFrom,
      running: lastSegment?.end === 'now',
      segments: segments.map(({ version: _version, ...s }) => s),
      cuts,
      devices,
      compliant: reasons.length === 0,
      reasons,
    });
  }
  return rows.sort((a, b) => a.plannedFrom - b.plannedFrom || a.title.localeCompare(b.title));
}
