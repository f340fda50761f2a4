/**
 * The town of a fault run, written into the data directory before the first
 * start (as the fan-out benchmark does): one village with the fleet's kiosks
 * and two staff accounts (test/bench/fanout/town.ts), and four LED signs —
 * BX-5K, BX-6K, EQ2013 and EQ2023 — each on its own serial line.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { EmulatedProtocol } from '../../../controller/led/emulator/signEmulator.js';
import { type SignProfile, parseSignProfile } from '../../../controller/protocol/signProfile.js';
import { VILLAGE_ID, writeTownState } from '../../bench/fanout/town.js';

export { BENCH_STAFF as STAFF, VILLAGE_ID } from '../../bench/fanout/town.js';
export { deviceId } from '../../bench/fanout/ipc.js';

export const TOKEN_PREFIX = 'fault-token-';

export interface FaultSign {
  id: string;
  protocol: SignProfile['protocol'];
  emulated: EmulatedProtocol;
  address: number;
  width: number;
  height: number;
}

export const FAULT_SIGNS: readonly FaultSign[] = [
  { id: 'sign-bx5k', protocol: 'bx5k', emulated: 'bx', address: 1, width: 192, height: 32 },
  { id: 'sign-bx6k', protocol: 'bx6k', emulated: 'bx', address: 2, width: 256, height: 32 },
  { id: 'sign-eq2013', protocol: 'eq2013', emulated: 'eq2013', address: 1, width: 128, height: 32 },
  { id: 'sign-eq2023', protocol: 'eq2023', emulated: 'eq2023', address: 3, width: 160, height: 32 },
];

export const SIGN_BAUD = 57_600;

/** Writes state.json and signs.json; `portOf(sign)` is the host end of the sign's line. */
export async function writeFaultTown(dataDir: string, kiosks: number, portOf: (sign: FaultSign) => string): Promise<void> {
  await writeTownState(dataDir, kiosks, TOKEN_PREFIX, Date.now());
  const profiles = FAULT_SIGNS.map((s) =>
    parseSignProfile({
      id: s.id,
      name: `张堂村 ${s.protocol} 屏`,
      villageId: VILLAGE_ID,
      protocol: s.protocol,
      port: { path: portOf(s), baudRate: SIGN_BAUD },
      address: s.address,
      widthPx: s.width,
      heightPx: s.height,
      charset: 'gb2312',
      // Night dimming would add brightness commands at random moments of the run; keep the screen steady.
      brightness: { day: 12, night: 12, nightFrom: '19:00', nightTo: '06:30' },
    }),
  );
  await writeFile(path.join(dataDir, 'signs.json'), `${JSON.stringify({ schemaVersion: 1, profiles }, null, 2)}\n`);
}
