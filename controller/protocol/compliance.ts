/**
 * The posting-period compliance report (公示期合规): for each notice whose
 * posting window overlaps a date range, was it shown on every targeted device
 * for the whole window, and where not, when and why.
 *
 * Rules (controller/reports/compute/compliance.ts applies them):
 * - A device counts as showing a version from one display record of that
 *   version to the next, as long as they are at most {@link SHOWING_JOIN_MS}
 *   apart and the device was not down in between: a kiosk or sign carries a
 *   notice in its playlist continuously, even while another card is on
 *   screen, and a slow rotation (many notices, long cards) brings it back
 *   only every hour or two. A silence across an outage (the device offline,
 *   its link down, the controller down) is never joined: that time is a gap
 *   with the outage's cause unless receipts prove the screen kept showing
 *   (a kiosk off the network still shows, and reports it later). A silence
 *   longer than {@link SHOWING_JOIN_MS} is a gap (`no_proof` unless another
 *   cause covers it). This keeps the runs the controller holds to about one
 *   per version × device × outage or long silence, not one per showing.
 * - Uncovered stretches shorter than {@link SHOWING_CONTINUITY_MS} are not
 *   reported as gaps (they still count against the shown time).
 * - Time outside a device's on-hours is not a violation: it is left out of
 *   what the device had to show and reported per device as `offHoursMs`.
 * - A correction (更正) or revision hands the window on to the new version:
 *   each version is checked for its own part of the window.
 */
import { z } from './zod.js';
import { isCivilDate, type CivilDate, type PostingRule } from './calendar.js';

/** Gaps shorter than this are not reported (a moment between two outages, a playlist being replaced). */
export const SHOWING_CONTINUITY_MS = 30 * 60_000;
/**
 * Showings of one version on one device at most this far apart, with no outage of the device between them, are one
 * continuous showing: several full cycles of the slowest playlist seen (12 notices × 10 minutes, the soak's), and
 * short enough that a notice dropped from a device's rotation shows as a gap the same morning.
 */
export const SHOWING_JOIN_MS = 4 * 60 * 60_000;

/**
 * Why a device did not show a notice during a gap, in the order a gap's time is
 * attributed: the controller being down (from its last sign of life before a
 * crash or stop to its restart) comes before the device's own outages; a
 * sign's own link being down (recorded, even if uploaded later by its node)
 * before its village node being offline with no display record uploaded for
 * that time (`node_offline`: the sign may have shown the notice from the
 * node's schedule, but nothing proves it).
 */
export const GAP_CAUSES = ['controller_down', 'offline', 'link_down', 'node_offline', 'old_version', 'no_proof'] as const;
export type GapCause = (typeof GAP_CAUSES)[number];

/** Why the window itself fell short of its planned length. */
export const CUT_CAUSES = ['withdrawn', 'approved_late'] as const;
export type CutCause = (typeof CUT_CAUSES)[number];

export const COMPLIANCE_LABELS: Record<GapCause | CutCause | 'no_devices', string> = {
  controller_down: '控制器停机（崩溃或重启）',
  offline: '设备离线',
  link_down: '屏幕线路中断',
  node_offline: '村级节点离线，且无补传的展示记录',
  old_version: '仍显示更正前旧版本',
  no_proof: '设备在线但无展示记录',
  withdrawn: '已撤回，公示期未满',
  approved_late: '签发晚于公示开始日',
  no_devices: '无目标设备',
};

/** Why the controller does not believe a kiosk display receipt's times (controller/reports/projection/receiptTime.ts). */
export const UNTRUSTED_REASONS = [
  'clock_unknown',
  'ends_after_arrival',
  'starts_before_approval',
  'starts_before_pairing',
  'after_withdrawal',
] as const;
export type UntrustedReason = (typeof UNTRUSTED_REASONS)[number];

export const UNTRUSTED_LABELS: Record<UntrustedReason, string> = {
  clock_unknown: '设备时钟不可信且偏差未知',
  ends_after_arrival: '结束时间晚于记录送达时间',
  starts_before_approval: '开始时间早于签发时间',
  starts_before_pairing: '开始时间早于设备配对时间',
  after_withdrawal: '全部在撤回之后',
};

/** Display receipts of one device left out of a report because their times are not believed, with the reason. */
export interface UntrustedShowings {
  reason: UntrustedReason;
  receipts: number;
  /** The time the receipts claim, as the kiosk sent it. */
  claimedMs: number;
}

export interface ComplianceGap {
  from: number;
  to: number;
  ms: number;
  cause: GapCause;
  /** The version that should have been on screen. */
  versionNumber: number;
}

export interface ComplianceDevice {
  deviceId: string;
  name: string;
  kind: 'kiosk' | 'led';
  villageId: string;
  village: string;
  /** Time within the window and the device's on-hours. */
  requiredMs: number;
  shownMs: number;
  /** Window time outside the device's on-hours: not required, not a gap. */
  offHoursMs: number;
  firstShownAt: number | null;
  lastShownAt: number | null;
  gaps: ComplianceGap[];
  /** Receipts for the window's versions left out (not counted as shown), with the reason. */
  untrusted: UntrustedShowings[];
  /**
   * A sign behind a village node: the time within the window and on-hours its node was offline (its uplink down),
   * and how much of that time the sign is proven to have shown the notice from the node's stored schedule, by
   * display intervals the node uploaded after it reconnected. The rest of that time is a `node_offline` gap: no
   * evidence either way. A `link_down` gap is different: the sign's own link was down (recorded by whoever drives
   * it, the node included). Null for kiosks and signs on the controller.
   */
  node: { id: string; offlineMs: number; shownWhileOfflineMs: number } | null;
}

/** One approved version's part of the window; the chain continues on the next. */
export interface ComplianceSegment {
  versionId: string;
  number: number;
  contentHash: string;
  from: number;
  to: number;
  /** How this part ended. */
  end: 'superseded' | 'corrected' | 'withdrawn' | 'expired' | 'window_end' | 'now' | 'report_end';
}

export interface ComplianceReason {
  code: GapCause | CutCause | 'no_devices';
  /** Devices with gaps of this cause (0 for notice-wide reasons). */
  devices: number;
  ms: number;
}

export interface ComplianceRow {
  noticeId: string;
  title: string;
  rule: PostingRule;
  /** Planned window from the notice's schedule: start of its first day, and the end of its last (null = long-term). */
  plannedFrom: number;
  plannedTo: number | null;
  /** The window checked: from approval or the planned start, to its end, withdrawal, the report's end or now. */
  from: number;
  to: number;
  /** Still being posted: checked up to now. */
  running: boolean;
  segments: ComplianceSegment[];
  /** Parts of the planned window the notice was not posted at all. */
  cuts: { from: number; to: number; ms: number; cause: CutCause }[];
  devices: ComplianceDevice[];
  compliant: boolean;
  /** Empty when compliant. */
  reasons: ComplianceReason[];
}

export interface ComplianceReport {
  from: CivilDate;
  to: CivilDate;
  villageId: string | null;
  generatedAt: number;
  continuityMs: number;
  rows: ComplianceRow[];
}

const civilDate = z.string().refine(isCivilDate, 'must be a date like 2026-11-26');
const villageId = z.string().trim().min(1, 'must not be empty').max(64, 'must be at most 64 characters');

/** `GET /api/reports/compliance?from&to&village` (`villageId` is accepted too, like the other reports). */
export const complianceQuery = z
  .strictObject({ from: civilDate, to: civilDate, village: villageId.optional(), villageId: villageId.optional() })
  .refine((q) => q.from <= q.to, { message: 'must not be before from', path: ['to'] })
  .refine((q) => !q.village || !q.villageId || q.village === q.villageId, { message: 'give the village once', path: ['village'] })
  .transform(({ from, to, village, villageId: id }) => ({ from, to, villageId: village ?? id }));
export type ComplianceQuery = z.input<typeof complianceQuery>;
