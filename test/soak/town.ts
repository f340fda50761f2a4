/**
 * The soak's town, written before the first start: ten villages, 200 kiosks
 * spread over them, two staff accounts (one drafts, one reviews: nobody
 * approves their own notice), and 20 LED signs (two per village, BX and EQ
 * alternating) whose "ports" are files the soak's in-memory serial binding
 * answers for (test/soak/signs.ts).
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { hashPassword } from '../../controller/auth/passwords.js';
import { sha256Hex } from '../../controller/domain/canonical.js';
import { parseSignProfile } from '../../controller/protocol/signProfile.js';
import { CURRENT_SCHEMA_VERSION } from '../../controller/store/migrations.js';
import type { DeviceRecord, State, UserRecord } from '../../controller/store/state.js';

export const SOAK_STAFF = { editor: 'soak-editor', reviewer: 'soak-reviewer', password: 'Soak-staff-pass-2026' } as const;
export const SOAK_TOKEN_PREFIX = 'soak-token-';

export const villageId = (i: number): string => `v${i + 1}`;
export const kioskId = (i: number): string => `soak-kiosk-${i}`;

export interface SoakSign {
  id: string;
  path: string;
  emulated: 'bx' | 'eq';
  address: number;
  width: number;
  height: number;
}

export function soakSigns(count: number, dir: string): SoakSign[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `soak-sign-${i}`,
    path: path.join(dir, `sign-${i}`),
    emulated: i % 2 === 0 ? 'bx' : 'eq',
    address: 1,
    width: 192,
    height: 32,
  }));
}

export async function writeSoakTown(
  dataDir: string,
  options: { villages: number; kiosks: number; signs: readonly SoakSign[]; now: number },
): Promise<void> {
  const passwordHash = await hashPassword(SOAK_STAFF.password);
  const user = (username: string, role: 'editor' | 'reviewer'): UserRecord => ({
    id: `u-${username}`,
    username,
    displayName: username,
    roles: [role],
    villageIds: [],
    passwordHash,
    disabled: false,
    mustChangePassword: false,
    createdAt: options.now,
  });
  const devices: DeviceRecord[] = Array.from({ length: options.kiosks }, (_, i) => ({
    id: kioskId(i),
    kind: 'kiosk',
    name: `${i + 1} 号屏`,
    villageId: villageId(i % options.villages),
    demo: false,
    lastSeenAt: null,
    tokenHash: sha256Hex(`${SOAK_TOKEN_PREFIX}${i}`),
    createdAt: options.now,
  }));
  const state: State = {
    schemaVersion: CURRENT_SCHEMA_VERSION,
    createdAt: options.now,
    town: { name: '彪角镇', issuer: '彪角镇人民政府' },
    villages: Array.from({ length: options.villages }, (_, i) => ({ id: villageId(i), name: `第${i + 1}村` })),
    users: [user(SOAK_STAFF.editor, 'editor'), user(SOAK_STAFF.reviewer, 'reviewer')],
    sessions: [],
    devices,
    notices: [],
    settings: { holidayOverrides: { holidays: [], workdays: [] } },
  };
  await writeFile(path.join(dataDir, 'state.json'), `${JSON.stringify(state)}\n`);
  const profiles = options.signs.map((s, i) =>
    parseSignProfile({
      id: s.id,
      name: `第${(i % options.villages) + 1}村 ${i + 1} 号屏`,
      villageId: villageId(i % options.villages),
      protocol: s.emulated === 'bx' ? 'bx5k' : 'eq2013',
      port: { path: s.path, baudRate: 57_600 },
      address: s.address,
      widthPx: s.width,
      heightPx: s.height,
      charset: 'gbk',
    }),
  );
  await writeFile(path.join(dataDir, 'signs.json'), `${JSON.stringify({ schemaVersion: 1, profiles })}\n`);
}
