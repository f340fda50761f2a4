/**
 * The shapes of the world as the controller publishes them to its clients.
 * Times are epoch milliseconds (UTC); ids are opaque strings.
 */

export type Role = 'admin' | 'reviewer' | 'editor';

export interface StaffUser {
  id: string;
  username: string;
  displayName: string;
  roles: Role[];
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

export type DeviceKind = 'kiosk' | 'led';

export interface Device {
  id: string;
  kind: DeviceKind;
  name: string;
  villageId: string;
  /** Demo devices exist only in demo mode and may be opened from the controller's own machine without pairing. */
  demo: boolean;
  online: boolean;
  lastSeenAt: number | null;
}

export const NOTICE_STATES = ['draft', 'pending_review', 'approved', 'rejected', 'withdrawn', 'expired'] as const;
export type NoticeState = (typeof NOTICE_STATES)[number];

/** Where a notice is shown: the whole town, or the listed villages. */
export type NoticeTarget = { scope: 'town' } | { scope: 'villages'; villageIds: string[] };

export interface Notice {
  id: string;
  title: string;
  /** Plain text; paragraphs separated by blank lines. Never HTML. */
  body: string;
  issuer: string;
  target: NoticeTarget;
  state: NoticeState;
  /** SHA-256 (hex) of the displayed content; fixed once approved. */
  contentHash: string;
  createdBy: string;
  createdAt: number;
  updatedAt: number;
  submittedAt: number | null;
  approvedBy: string | null;
  approvedAt: number | null;
  /** Posting window: shown from `startsAt` until `endsAt` (null = long-term). */
  startsAt: number | null;
  endsAt: number | null;
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
}
