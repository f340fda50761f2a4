/**
 * The benchmark town, written as `state.json` before the controller starts:
 * there is no API yet to create villages, and pairing 1,000 kiosks through
 * `POST /api/devices` would only slow the set-up. The controller loads the
 * file as it would any existing data directory and adds the first admin.
 * Two bench accounts draft and approve: the four-eyes rule forbids one doing both.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { hashPassword } from '../../../controller/auth/passwords.js';
import { sha256Hex } from '../../../controller/domain/canonical.js';
import { CURRENT_SCHEMA_VERSION } from '../../../controller/store/migrations.js';
import type { DeviceRecord, State, UserRecord } from '../../../controller/store/state.js';
import { deviceId } from './ipc.js';

export const VILLAGE_ID = 'v1';

/** The bench's two staff accounts: nobody may approve their own notice, so one drafts and another approves. */
export const BENCH_STAFF = { editor: 'bench-editor', reviewer: 'bench-reviewer', password: `Bench-${process.pid}-pass` } as const;

export async function writeTownState(dataDir: string, kiosks: number, tokenPrefix: string, now: number): Promise<void> {
  const passwordHash = await hashPassword(BENCH_STAFF.password);
  const user = (username: string, role: 'editor' | 'reviewer'): UserRecord => ({
    id: `u-${username}`,
    username,
    displayName: username,
    roles: [role],
    villageIds: [],
    passwordHash,
    disabled: false,
    mustChangePassword: false,
    createdAt: now,
  });
  const devices: DeviceRecord[] = Array.from({ length: kiosks }, (_, i) => ({
    id: deviceId(i),
    kind: 'kiosk',
    name: `张堂村 ${i + 1} 号屏`,
    villageId: VILLAGE_ID,
    demo: false,
    lastSeenAt: null,
    tokenHash: sha256Hex(`${tokenPrefix}${i}`),
    createdAt: now,
  }));
  const state: State = {
    schemaVersion: CURRENT_SCHEMA_VERSION,
    createdAt: now,
    town: { name: '彪角镇', issuer: '彪角镇人民政府' },
    villages: [{ id: VILLAGE_ID, name: '张堂村' }],
    users: [user(BENCH_STAFF.editor, 'editor'), user(BENCH_STAFF.reviewer, 'reviewer')],
    sessions: [],
    devices,
    notices: [],
    settings: { holidayOverrides: { holidays: [], workdays: [] } },
  };
  await writeFile(path.join(dataDir, 'state.json'), `${JSON.stringify(state, null, 2)}\n`);
}

const PARAGRAPHS = [
  '根据《中华人民共和国村民委员会组织法》和《彪角镇村务公开实施办法》的有关规定，现将张堂村二〇二五年度农村最低生活保障对象评议结果予以公示，公示期为七天。',
  '本次评议经农户申请、村民代表会议民主评议、镇人民政府审核等程序，共确定保障对象十二户二十七人，其中新增三户七人，退出两户四人，保障标准为每人每月五百六十元。',
  '公示期间，如对公示对象的家庭收入、财产状况或评议程序有异议，请以书面或口头形式向村民委员会或镇民政办反映，反映情况应当实事求是，署真实姓名的将优先核查并及时回复。',
  '村内主干道维修工程同期开工，施工路段为村委会至东头桥一段，预计工期十天，施工期间请过往车辆和行人减速慢行、注意安全，给大家带来的不便敬请谅解。',
  '联系电话：镇民政办〇五三六一二三四五六七，村民委员会〇五三六七六五四三二一。监督电话：镇纪委〇五三六一一二二三三四。',
];

/**
 * About 540 characters of Chinese (≈1.6 KB of UTF-8), so that the playlist
 * carrying it is ≈2 KB on the wire, the payload of the published T1 figure.
 */
export function noticeBody(round: number): string {
  const text = `第${round + 1}期。${PARAGRAPHS.join('\n\n')}\n\n${PARAGRAPHS.join('\n\n')}`;
  return [...text].slice(0, 540).join('');
}
