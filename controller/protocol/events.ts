/**
 * Typed socket.io event maps, one pair per namespace. Server broadcasts are in
 * the past tense (`playlist:updated`); requests are `resource:verb` and carry
 * an {@link AckCallback} as their last argument.
 */
import type { AckCallback } from './ack.js';
import type { Device, DisplayRecord, Notice, Role, Town, Village } from './model.js';
import type { Playlist } from './playlist.js';
import type { DisplayReport, Heartbeat } from './schemas.js';
import type { SignFrameView, SignView } from './signProfile.js';
import type { LedgerProof, ProofRequest, WitnessAlarm } from './witness.js';

export const KIOSK_NAMESPACE = '/kiosk';
export const ADMIN_NAMESPACE = '/admin';

export interface ServerHello {
  protocol: number;
  /** Build id of the web apps the controller serves; a client on another build reloads. */
  build: string;
}

export interface KioskWelcome {
  device: Device;
  village: Village;
  town: Town;
  /**
   * Minutes east of UTC of the town's clock: the kiosk shows every date and time in it, whatever zone its own
   * machine is set to (kiosk PCs are often mis-set). Absent from a welcome stored by an older build.
   */
  utcOffsetMinutes?: number;
}

export interface DisplayReportResult {
  /** Receipt ids now durably recorded (including ones recorded earlier). The kiosk may forget exactly these. */
  recorded: string[];
  /** Receipts that can never be recorded (e.g. naming an unknown notice), with the reason. The kiosk may forget these too. */
  rejected: { receiptId: string; reason: string }[];
}

export interface KioskServerToClientEvents {
  'server:hello': (hello: ServerHello & KioskWelcome) => void;
  'playlist:updated': (playlist: Playlist) => void;
  /** Staff revoked this device: forget the token and show the pairing screen. */
  'device:revoked': (notice: { reason: string }) => void;
}

export interface HeartbeatAnswer {
  /** The controller's clock, for the device to judge its own. */
  serverTime: number;
}

export interface KioskClientToServerEvents {
  'display:report': (report: DisplayReport, ack: AckCallback<DisplayReportResult>) => void;
  'device:heartbeat': (beat: Heartbeat, ack: AckCallback<HeartbeatAnswer>) => void;
  /** The device as witness: prove the ledger extends the checkpoint it holds (protocol/witness.ts). */
  'ledger:prove': (request: ProofRequest, ack: AckCallback<LedgerProof>) => void;
  /** The device found that it does not; it says so on every connect while its alarm stands, and null once none does. */
  'ledger:witness-alarm': (alarm: WitnessAlarm | null, ack: AckCallback<null>) => void;
}

/**
 * Display records the ledger took since the last batch, oldest first: staff sockets get at most one batch a
 * second instead of one event per display. `dropped` counts older records of that second left out to bound the
 * batch; when it is not 0 the list is incomplete and should be fetched again.
 */
export interface DisplaysRecorded {
  records: DisplayRecord[];
  dropped: number;
}

/**
 * Why a staff session ended while its admin sockets were open: signed out (in another tab), ended by a newer
 * sign-in beyond the per-user limit, the account disabled, its password reset by an admin or changed elsewhere, or
 * its time was up (a session lasts 12 hours from its sign-in).
 */
export const SESSION_END_REASONS = ['signed_out', 'replaced', 'disabled', 'password_reset', 'password_changed', 'expired'] as const;
export type SessionEndReason = (typeof SESSION_END_REASONS)[number];

export interface AdminServerToClientEvents {
  'server:hello': (hello: ServerHello) => void;
  'notice:changed': (notice: Notice) => void;
  'displays:recorded': (batch: DisplaysRecorded) => void;
  'device:status-changed': (device: Device) => void;
  /** To sockets watching the signs: a sign's link, counters or content changed (at most once a second per sign, the newest). */
  'sign:status-changed': (sign: SignView) => void;
  /** To sockets watching the signs: what a sign shows changed (a page turned, new content), at most once a second per sign. */
  'sign:frame-changed': (update: { id: string; frame: SignFrameView }) => void;
  /** To sockets watching the signs: a sign was removed or its profile changed its id. */
  'sign:removed': (update: { id: string }) => void;
  /**
   * To the staff member's own sockets: an admin changed their roles or villages. The socket already gets only
   * what the new access allows; the app fetches its lists again.
   */
  'access:changed': (access: { roles: Role[]; villageIds: string[] }) => void;
  /**
   * To each socket of a session that just ended, right before the controller closes it: why, so the app signs
   * out and says so instead of showing a dead link.
   */
  'session:ended': (why: { reason: SessionEndReason }) => void;
}

/** What `signs:watch` answers: every sign and what it shows now; pushes follow. */
export interface SignsSnapshot {
  signs: SignView[];
  frames: Record<string, SignFrameView>;
}

export interface AdminClientToServerEvents {
  'devices:list': (query: Record<string, never>, ack: AckCallback<Device[]>) => void;
  /** Start receiving the sign:* pushes (the signs page is open); answers with the current state. */
  'signs:watch': (query: Record<string, never>, ack: AckCallback<SignsSnapshot>) => void;
  /** Stop receiving them (the signs page closed). */
  'signs:unwatch': (query: Record<string, never>, ack: AckCallback<null>) => void;
}
