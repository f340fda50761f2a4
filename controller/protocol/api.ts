/** Shapes of the JSON API's answers that are not model types themselves. */
import type { CivilDate } from './calendar.js';
import type { Device, Notice, Role, Town, Village } from './model.js';
import type { EmergencyTakeover } from './playlist.js';

/** `GET /api/health` */
export interface Health {
  /** `degraded`: running, but something needs the operator (see `problems`). */
  status: 'ok' | 'degraded';
  /** What is wrong, e.g. `disk_full` with a Chinese + English message; absent when `ok`. */
  problems?: { code: 'disk_full'; message: string; since: number }[];
  version: string;
  protocol: number;
  build: string;
  uptimeSec: number;
}

/** `GET /api/town` */
export interface TownInfo {
  town: Town;
  villages: Village[];
}

/** A device as `GET /api/devices` lists it, with the address its kiosk app opens. */
export type DeviceView = Device & { kioskUrl: string };

/** `POST /api/devices`: the token and the pairing link are shown this once. */
export interface PairedDevice {
  device: Device;
  token: string;
  pairingUrl: string;
}

/** `GET /api/devices/public-url`: the address QR codes and kiosk links carry, and whether phones can open it. */
export interface PublicUrlCheck {
  /** The base URL in use now. */
  url: string;
  /** `--public-url` (configured), the address a kiosk on this machine's network used (derived), or the listening address (default). */
  source: 'configured' | 'derived' | 'default';
  /** `url` is this machine only (localhost, 127.x, ::1): phones and other machines cannot open QR codes or kiosk links. */
  loopback: boolean;
  /** Paired kiosks that connected from other machines while the address was a loopback one (newest first, at most 5). */
  remoteKiosks: { deviceId: string; address: string }[];
  /** The option to start the controller with (`--public-url …`), when it should be set; null when all is well. */
  option: string | null;
}

/** `GET /api/notices` */
export interface NoticePage {
  items: Notice[];
  total: number;
  page: number;
  pageSize: number;
}

/** `GET /api/settings` */
export interface TownSettings {
  /** Holiday schedule changes the built-in calendar does not know yet (e.g. next year's, published in November). */
  holidayOverrides: { holidays: CivilDate[]; workdays: CivilDate[] };
  /** A device offline longer than this many minutes is flagged in the admin (default {@link DEFAULT_OFFLINE_ALERT_MINUTES}). */
  offlineAlertMinutes?: number;
  /**
   * A device back within this many seconds of losing its connection was not offline as far as the record goes
   * (a flaky link's reconnects write nothing); one away longer is one outage (default {@link DEFAULT_OUTAGE_GRACE_SECONDS}).
   */
  outageGraceSeconds?: number;
  /** Bounds of a kiosk card's time on screen in rotation (default {@link DEFAULT_ROTATION_BOUNDS_SEC}). */
  rotationBoundsSec?: { min: number; max: number };
  /**
   * The longest an emergency warning one reviewer approves alone (the fast path) may run, from its approval to its
   * expiry, in hours (default {@link DEFAULT_FAST_PATH_MAX_HOURS}; from 1 hour to {@link FAST_PATH_MAX_HOURS_LIMIT}).
   */
  fastPathMaxHours?: number;
  /** A 其他渠道 entry claiming a day more than this many days ago needs a reviewer (default 30, `DEFAULT_MANUAL_LATE_DAYS`). */
  manualLateDays?: number;
  /** How long a warning holds a kiosk's whole screen, and when it takes it again, by level (default `DEFAULT_EMERGENCY_TAKEOVER`). */
  emergencyTakeover?: EmergencyTakeover;
}

export const DEFAULT_ROTATION_BOUNDS_SEC = { min: 10, max: 45 } as const;

export const DEFAULT_OFFLINE_ALERT_MINUTES = 30;

export const DEFAULT_OUTAGE_GRACE_SECONDS = 60;

/** Three days: long enough for a storm or a flood warning, short enough that a second reviewer must look soon. */
export const DEFAULT_FAST_PATH_MAX_HOURS = 72;
/** No town may let one reviewer publish alone for more than a week. */
export const FAST_PATH_MAX_HOURS_LIMIT = 168;

/** `GET /api/fast-path/pending`: a warning one reviewer published alone, waiting for a second reviewer's confirmation. */
export interface PendingConfirmation {
  noticeId: string;
  versionId: string;
  versionNumber: number;
  title: string;
  /** Who approved it alone, and when. */
  approvedBy: string;
  approvedAt: number;
  /** When the warning leaves the screens. */
  expiresAt: number;
  /** The version's state now: approved (on screen), expired or superseded (still to be confirmed). */
  state: string;
}

/** `POST /api/pairing`: what a new kiosk shows, and the secret it claims its token with. */
export interface PairingOffer {
  /** Six digits, shown in large type for staff to type into the admin. */
  code: string;
  claim: string;
  expiresAt: number;
}

/** `POST /api/pairing/claim` */
export type PairingClaimResult = { status: 'pending'; expiresAt: number } | { status: 'paired'; deviceId: string; token: string };

/** `GET /api/notices/:id/emergency-acks`: which targeted kiosks have put the warning on screen. */
export interface EmergencyAckView {
  noticeId: string;
  contentHash: string;
  devices: { deviceId: string; name: string; villageId: string; online: boolean; acknowledgedAt: number | null }[];
}

/** `GET /api/staff`: who is who, for showing names next to actions. */
export interface StaffMember {
  id: string;
  displayName: string;
  roles: Role[];
}
