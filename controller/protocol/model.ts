/**
 * The shapes of the world as the controller publishes them to its clients.
 * Times are epoch milliseconds (UTC); ids are opaque strings.
 */
import type { CivilDate, PostingRule } from './calendar.js';
import type { LateStartRecord } from './lateStart.js';
import type { CategoryCode, EmergencyLevel, KeyArea, RetentionClass } from './taxonomy.js';
import type { DeviceWitnessAlarm } from './witness.js';

export const ROLES = ['admin', 'reviewer', 'editor'] as const;
/** admin: users, villages, devices, settings · reviewer: 审核/签发 · editor: drafts, possibly limited to villages. */
export type Role = (typeof ROLES)[number];

export interface StaffUser {
  id: string;
  username: string;
  displayName: string;
  roles: Role[];
  /** Villages an editor may write for; empty = no limit (town-wide). */
  villageIds: string[];
  disabled: boolean;
  /** Set after an admin reset or for a generated first password: the app asks for a new one. */
  mustChangePassword: boolean;
  createdAt: number;
  /** Only in the answers to sign-in and `/api/auth/me`: failed sign-ins to this account before this session began. */
  failedSignIns?: FailedSignIns;
}

/** Failed sign-ins to one account since its previous successful sign-in (kept in memory: a restart forgets them). */
export interface FailedSignIns {
  count: number;
  lastAt: number;
  /** The addresses they came from, most recent first, at most ten. */
  addresses: string[];
}

export interface Village {
  id: string;
  /** e.g. 张堂村 */
  name: string;
}

export interface Town {
  /** e.g. 彪角镇 */
  name: string;
  /** The issuing body printed on notices, e.g. 彪角镇人民政府 */
  issuer: string;
}

/** `node`: a village node driving the LED signs attached to it (node.ts). */
export type DeviceKind = 'kiosk' | 'led' | 'node';

/**
 * When a device shows notices, in the town's local time: for each ISO weekday
 * (index 0 = Monday … 6 = Sunday) a list of [from, to) minutes after local
 * midnight. Emergencies ignore on-hours.
 */
export interface OnHours {
  /** Minutes east of UTC of the town's clock (China: 480). */
  utcOffsetMinutes: number;
  weekly: [number, number][][];
}

/** What a connected device last told the controller about itself (heartbeats). */
export interface DeviceStatus {
  /** Build id of the app the device runs. */
  build: string;
  /** The notice on screen at the last heartbeat, if any. */
  showing: { noticeId: string; contentHash: string; title: string | null } | null;
  /** Device clock minus controller clock, in ms, at the last heartbeat. */
  clockOffsetMs: number;
  /** Receipts waiting on the device to be sent. */
  queued: number;
  /** Receipts the controller refused whole and the device keeps for inspection. */
  quarantined: number;
  /** Whether it can sound the warning chime (`blocked`: the browser holds audio back; `none`: no audio); absent when it did not say. */
  sound?: 'ok' | 'blocked' | 'none';
  heartbeatAt: number;
}

export interface Device {
  id: string;
  kind: DeviceKind;
  name: string;
  villageId: string;
  /** Where it stands, e.g. 村委会大门东侧. */
  location: string;
  /** Demo devices exist only in demo mode and may be opened from the controller's own machine without pairing. */
  demo: boolean;
  online: boolean;
  lastSeenAt: number | null;
  /** Set when staff revoked the device: it cannot connect until paired again. */
  revokedAt: number | null;
  onHours: OnHours | null;
  /** Live figures from heartbeats; null until the device sends one after the controller started. */
  status: DeviceStatus | null;
  /** Receipt sequence numbers the device skipped: receipts lost on the device. */
  missingReceipts: number;
  /** Offline longer than the town's alert threshold. */
  offlineAlert: boolean;
  /**
   * The ledger witness alarm the device reports (protocol/witness.ts), as the controller last heard it; null when it
   * reported none, or has not connected since the controller started. Staff hear at once when it rises or clears.
   */
  witnessAlarm: DeviceWitnessAlarm | null;
}

/** States of one version of a notice. Versions are immutable once approved. */
export const VERSION_STATES = ['draft', 'pending_review', 'rejected', 'approved', 'superseded', 'withdrawn', 'expired'] as const;
export type VersionState = (typeof VERSION_STATES)[number];

/** The state a notice shows in lists: its live version's, else its newest version's. */
export const NOTICE_STATES = ['draft', 'pending_review', 'rejected', 'approved', 'withdrawn', 'expired'] as const;
export type NoticeState = (typeof NOTICE_STATES)[number];

/** Where a notice is shown: the whole town, or the listed villages. */
export type NoticeTarget = { scope: 'town' } | { scope: 'villages'; villageIds: string[] };

export interface Emergency {
  level: EmergencyLevel;
  /** Epoch ms; the warning leaves every screen then, whatever its posting rule says. */
  expiresAt: number;
}

/**
 * 文件类型 for table T2 of the annual report (disclosure-rules.md §1.9):
 * 规章, 行政规范性文件 (V2019: 规范性文件), or another document. A town cannot
 * make 规章, so one it republishes is not counted as its own.
 */
export const DOC_TYPES = ['regulation', 'normative', 'other'] as const;
export type DocType = (typeof DOC_TYPES)[number];

/** Everything staff write and villagers see: editing any of it after approval makes a new version. */
export interface NoticeContent {
  title: string;
  /** Plain text; paragraphs separated by blank lines. Never HTML. */
  body: string;
  /** The short text for LED signs. */
  ledText: string;
  category: CategoryCode;
  keyAreas: KeyArea[];
  /** 文号, e.g. 彪政〔2026〕12号 */
  docNumber: string | null;
  /** 文件类型; absent on notices written before it existed and on everyday notices. */
  docType?: DocType;
  /** 发布机构 */
  issuer: string;
  /** 信息形成日期: the Art. 26 clock (20 working days) starts here. */
  formedOn: CivilDate;
  target: NoticeTarget;
  posting: { start: CivilDate; rule: PostingRule };
  /** 0–9, higher first in rotation. */
  priority: number;
  emergency: Emergency | null;
  retention: RetentionClass;
}

/** The reviewer's 保密审查: each item confirmed, stored with the approval. */
export interface Attestation {
  noStateSecret: true;
  noCommercialSecret: true;
  noUnmaskedPersonalData: true;
  checkedAgainstSource: true;
  opinion: string;
}

/** A second reviewer read a warning one reviewer published alone and stands by it (确认快速签发). */
export interface FastPathConfirmation {
  by: string;
  at: number;
  opinion: string;
}

export interface Review {
  decision: 'approved' | 'rejected';
  by: string;
  at: number;
  attestation: Attestation | null;
  /** Rejection reason, or the reviewer's opinion. */
  reason: string;
  /** Set when the reviewer published despite personal-data hits, with the written reason. */
  privacyOverride: { reason: string } | null;
  /**
   * Set when an emergency was approved by one reviewer alone (the fast path): its expiry is bounded by the town's
   * `fastPathMaxHours`, and a second reviewer is asked to confirm it after the fact.
   */
  fastPath?: true;
  /** The second reviewer's confirmation of a fast-path approval, once given. */
  confirmation?: FastPathConfirmation;
  /** Set when the approval came after the planned start of the 公示期: days lost, 顺延 or the reason. */
  lateStart?: LateStartRecord;
}

export interface NoticeVersion {
  id: string;
  noticeId: string;
  /** 1, 2, … within the notice. */
  number: number;
  content: NoticeContent;
  /** SHA-256 (hex) of `content` in canonical JSON. */
  contentHash: string;
  state: VersionState;
  /** The approved version this one replaces, if it is a revision. */
  revisionOf: string | null;
  /** 更正: set when the revision corrects an error, with the reason shown to villagers. */
  correction: { reason: string } | null;
  createdBy: string;
  createdAt: number;
  updatedAt: number;
  /** Everyone who wrote this version: none of them may review it. */
  editors: string[];
  submittedBy: string | null;
  submittedAt: number | null;
  /** The submitter's reason for publishing personal data unmasked; the reviewer decides. */
  privacyOverrideRequest: string | null;
  review: Review | null;
  /** The posting window, fixed at submission from the posting rule. */
  startsAt: number | null;
  endsAt: number | null;
  withdrawal: { by: string; at: number; reason: string } | null;
  /** When an approved version stopped being live (superseded, withdrawn, expired). */
  endedAt: number | null;
}

export interface DeadlineInfo {
  deadline: CivilDate;
  workingDaysLeft: number;
  state: 'ok' | 'due_soon' | 'overdue';
}

/** A notice as the admin sees it: its versions and where it stands. */
export interface Notice {
  id: string;
  state: NoticeState;
  title: string;
  category: CategoryCode;
  target: NoticeTarget;
  createdBy: string;
  createdAt: number;
  updatedAt: number;
  /** The approved version on screens (or scheduled), if any. */
  live: NoticeVersion | null;
  /** The version being written or reviewed, if any. */
  working: NoticeVersion | null;
  versions: NoticeVersion[];
  /** Art. 26 timeliness while the notice has never been approved; null once it has. */
  deadline: DeadlineInfo | null;
  /**
   * Years its posting period or 公开时限 reaches whose holiday schedule is not
   * known (no State Council notice in the table, no town override): there the
   * working days count only the holidays fixed by law, and the 调休 may be missing.
   */
  unknownCalendarYears: number[];
}

/** Proof that a device showed a notice version from `startedAt` to `endedAt`. */
export interface DisplayRecord {
  /** Ledger sequence number. */
  seq: number;
  receiptId: string;
  deviceId: string;
  villageId: string;
  noticeId: string;
  contentHash: string;
  startedAt: number;
  endedAt: number;
  /** Whether the device believed its clock was correct when it recorded the display. */
  clockTrusted: boolean;
  recordedAt: number;
  /** An interval record (protocol/showings.ts): how many showings from `startedAt` to `endedAt`, and their time on screen; absent for one showing. */
  showings?: number;
  shownMs?: number;
}
