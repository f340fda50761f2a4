/**
 * A state write that fails midway, for account, village, device and settings changes
 * (revoking a device writes its state first, on purpose: see services/devices.ts)
 * (notice steps have their own case in review.test.ts): the request answers
 * 500, the state is what it was, and the ledger record written before the
 * state is voided by a record of its own, so the ledger never claims a change
 * that did not happen.
 */
import { mkdir, readFile, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaffUser } from '../../../controller/protocol/index.js';
import { ApiClient, type TestController, data, demoPassword, staff, startController } from '../../helpers/controller.js';

let t: TestController;
let clients: Awaited<ReturnType<typeof staff>>;
let editorId: string;

beforeAll(async () => {
  t = await startController();
  clients = await staff(t);
  editorId = data((await clients.editor.get<StaffUser>('/api/auth/me')).body).id;
});
afterAll(async () => {
  await t.dispose();
});

interface LedgerLine {
  seq: number;
  type: string;
  voids?: number;
}

async function ledger(): Promise<LedgerLine[]> {
  const dir = path.join(t.dataDir, 'ledger');
  return (await Promise.all((await readdir(dir)).sort().map((f) => readFile(path.join(dir, f), 'utf8'))))
    .join('')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as LedgerLine);
}

/** Runs `send` while the state file cannot be replaced (the atomic rename onto a directory fails; root ignores permissions). */
async function withBrokenStateFile<T>(send: () => Promise<T>): Promise<T> {
  const stateFile = path.join(t.dataDir, 'state.json');
  await rename(stateFile, `${stateFile}.bak`);
  await mkdir(stateFile);
  try {
    return await send();
  } finally {
    await rm(stateFile, { recursive: true });
    await rename(`${stateFile}.bak`, stateFile);
  }
}

const CASES: [string, string, (c: typeof clients) => Promise<{ status: number }>][] = [
  [
    'user.created',
    'POST /api/users',
    (c) => c.admin.post('/api/users', { username: 'lisi', displayName: '李四', roles: ['editor'], password: 'Lanhua-2026-qiu' }),
  ],
  ['user.updated', 'PATCH /api/users/:id', (c) => c.admin.request('PATCH', `/api/users/${editorId}`, { disabled: true })],
  [
    'user.password-reset',
    'POST /api/users/:id/reset-password',
    (c) => c.admin.post(`/api/users/${editorId}/reset-password`, { newPassword: 'Lanhua-2026-qiu' }),
  ],
  [
    'user.password-changed',
    'POST /api/auth/password',
    async (c) =>
      c.editor.post('/api/auth/password', { currentPassword: await demoPassword(t.dataDir, 'editor'), newPassword: 'Shuitian-8-dao!' }),
  ],
  ['village.created', 'POST /api/villages', (c) => c.admin.post('/api/villages', { name: '新建村' })],
  ['village.renamed', 'PATCH /api/villages/:id', (c) => c.admin.request('PATCH', '/api/villages/v2', { name: '改名村' })],
  [
    'settings.holidays',
    'PUT /api/settings/holidays',
    (c) => c.admin.request('PUT', '/api/settings/holidays', { holidays: ['2027-10-01'] }),
  ],
  [
    'settings.devices',
    'PUT /api/settings/devices',
    (c) => c.admin.request('PUT', '/api/settings/devices', { offlineAlertMinutes: 45, rotationBoundsSec: { min: 10, max: 60 } }),
  ],
  [
    'settings.emergency',
    'PUT /api/settings/emergency',
    (c) =>
      c.admin.request('PUT', '/api/settings/emergency', {
        emergencyTakeover: {
          red: { fullScreenMin: 10, againAfterMin: 15 },
          orange: { fullScreenMin: 10, againAfterMin: 20 },
          yellow: { fullScreenMin: 3, againAfterMin: 30 },
          blue: { fullScreenMin: 2, againAfterMin: 60 },
        },
      }),
  ],
  [
    'device.paired',
    'POST /api/devices',
    (c) => c.admin.post('/api/devices', { name: '新触摸屏', villageId: 'v1', location: '村委会门口', kind: 'kiosk' }),
  ],
  ['device.updated', 'PATCH /api/devices/:id', (c) => c.admin.request('PATCH', '/api/devices/demo-kiosk-v2', { name: '改名触摸屏' })],
];

describe('a state write that fails midway', () => {
  it.each(CASES)('%s (%s): answers 500, changes nothing, and voids its ledger record', async (type, _route, send) => {
    const stateFile = path.join(t.dataDir, 'state.json');
    const before = await readFile(stateFile, 'utf8');
    const seqBefore = (await ledger()).length;

    const res = await withBrokenStateFile(() => send(clients));
    expect(res.status).toBe(500);
    expect(await readFile(stateFile, 'utf8')).toBe(before);

    const written = (await ledger()).slice(seqBefore);
    const step = written.find((r) => r.type === type);
    expect(step, `a ${type} record`).toBeDefined();
    expect(written.filter((r) => r.type === 'ledger.void').map((r) => r.voids)).toEqual([step?.seq]);
  });

  it('left every account, session, village and setting as it was', async () => {
    const { admin, editor } = clients;
    const users = data((await admin.get<StaffUser[]>('/api/users')).body);
    expect(users.map((u) => u.username)).not.toContain('lisi');
    expect(users.find((u) => u.id === editorId)).toMatchObject({ disabled: false, mustChangePassword: false });
    // The editor's session survived the failed disable, reset and password change, and the old password still works.
    expect((await editor.get('/api/auth/me')).status).toBe(200);
    await new ApiClient(t.url).login('editor', await demoPassword(t.dataDir, 'editor'));

    const town = data((await admin.get<{ villages: { id: string; name: string }[] }>('/api/town')).body);
    expect(town.villages.map((v) => v.name)).not.toContain('新建村');
    expect(town.villages.find((v) => v.id === 'v2')?.name).toBe('张堂村');
    const settings = data(
      (await admin.get<{ holidayOverrides: { holidays: string[] }; offlineAlertMinutes?: number }>('/api/settings')).body,
    );
    expect(settings.holidayOverrides.holidays).toEqual([]);
    expect(settings.offlineAlertMinutes).not.toBe(45);
    const devices = data((await admin.get<{ id: string; name: string }[]>('/api/devices')).body);
    expect(devices.map((d) => d.name)).not.toContain('新触摸屏');
    expect(devices.find((d) => d.id === 'demo-kiosk-v2')?.name).not.toBe('改名触摸屏');
  });

  it('works again once the disk does', async () => {
    expect((await clients.admin.post('/api/villages', { name: '新建村' })).status).toBe(201);
    const types = (await ledger()).map((r) => r.type);
    expect(types.at(-1)).toBe('village.created');
  });
});
