/** Shapes of the JSON API's answers that are not model types themselves. */
import type { CivilDate } from './calendar.js';
import type { Device, Notice, Role, Town, Village } from './model.js';

/** `GET /api/health` */
export interface Health {
  status: 'ok';
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
}

/** `GET /api/staff`: who is who, for showing names next to actions. */
export interface StaffMember {
  id: string;
  displayName: string;
  roles: Role[];
}
