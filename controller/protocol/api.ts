/** Shapes of the JSON API's answers that are not model types themselves. */
import type { Device, Town, Village } from './model.js';

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
