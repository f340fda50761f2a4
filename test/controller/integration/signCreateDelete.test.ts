/**
 * Adding and removing LED signs through the admin API: a new sign is
 * validated with every bad field named, starts at once, and its removal stops
 * its driver, closes what it was showing into the ledger and records who
 * removed it.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SignView } from '../../../controller/services/signs.js';
import { type ApiClient, type TestController, data, staff, startController } from '../../helpers/controller.js';

let t: TestController;
let clients: { admin: ApiClient; editor: ApiClient; reviewer: ApiClient };

const PROFILE = {
  id: 'sign-new-1',
  name: '新建测试屏',
  villageId: 'v1',
  protocol: 'bx5k',
  port: { path: 'emulated:sign-new-1', baudRate: 57600 },
  address: 1,
  widthPx: 192,
  heightPx: 32,
  charset: 'gb2312',
  emulated: true,
};

async function ledgerRecords(): Promise<Record<string, unknown>[]> {
  const dir = path.join(t.dataDir, 'ledger');
  const lines: Record<string, unknown>[] = [];
  for (const name of (await readdir(dir)).filter((n) => n.endsWith('.jsonl')).sort()) {
    for (const line of (await readFile(path.join(dir, name), 'utf8')).split('\n'))
      if (line) lines.push(JSON.parse(line) as Record<string, unknown>);
  }
  return lines;
}

async function poll(check: () => Promise<boolean>, failure: string, timeoutMs = 10_000): Promise<void> {
  for (const until = Date.now() + timeoutMs; Date.now() < until; await new Promise((r) => setTimeout(r, 200))) if (await check()) return;
  throw new Error(failure);
}

const signs = async () => data((await clients.editor.get<SignView[]>('/api/signs')).body);

describe('POST /api/signs and DELETE /api/signs/:id', () => {
  beforeAll(async () => {
    t = await startController();
    clients = await staff(t);
  }, 60_000);
  afterAll(async () => {
    await t?.dispose();
  });

  it('refuses a wrong new profile with every bad field named, and only admins may add', async () => {
    const res = await clients.admin.request('POST', '/api/signs', {
      ...PROFILE,
      id: 'Bad Id',
      port: { path: 'ttyUSB0', baudRate: 1234, parity: 'mark' },
      charset: 'big5',
      widthPx: 8,
    });
    expect(res.status).toBe(400);
    const fields = (res.body as { fields?: Record<string, string> }).fields ?? {};
    expect(Object.keys(fields).sort()).toEqual(['charset', 'id', 'port.baudRate', 'port.parity', 'port.path', 'widthPx']);
    expect(fields['port.baudRate']).toMatch(/9600/);
    expect((await clients.editor.request('POST', '/api/signs', PROFILE)).status).toBe(403);
    expect((await signs()).map((s) => s.id)).not.toContain('Bad Id');
  });

  it('adds a sign that starts at once, and refuses the same id twice', async () => {
    const res = await clients.admin.request('POST', '/api/signs', PROFILE);
    expect(res.status).toBe(201);
    expect(data(res.body)).toMatchObject({ id: 'sign-new-1', port: { dataBits: 8, parity: 'none' } });
    await poll(async () => (await signs()).find((s) => s.id === 'sign-new-1')?.link === 'up', 'the new sign never came up');
    const again = await clients.admin.request('POST', '/api/signs', PROFILE);
    expect(again.status).toBe(409);
    expect((again.body as { fields?: Record<string, string> }).fields).toHaveProperty('id');
    const saved = data((await clients.admin.get<{ id: string }[]>('/api/signs/profiles')).body);
    expect(saved.map((p) => p.id)).toEqual(['sign-new-1']);
  });

  it('records saving and moving a profile in the ledger, like every staff change', async () => {
    expect((await ledgerRecords()).find((r) => r.type === 'sign.profile-saved' && r.signId === 'sign-new-1')).toMatchObject({
      created: true,
      villageId: 'v1',
      portPath: 'emulated:sign-new-1',
      actorId: expect.any(String),
    });
    const moved = await clients.admin.request('PUT', '/api/signs/sign-new-1/profile', { ...PROFILE, villageId: 'v2', name: '搬到二村' });
    expect(moved.status).toBe(200);
    const records = await ledgerRecords();
    expect(records.filter((r) => r.type === 'sign.profile-saved' && r.signId === 'sign-new-1').at(-1)).toMatchObject({
      created: false,
      changed: ['name', 'villageId'],
      villageId: 'v2',
    });
    expect(records.find((r) => r.type === 'sign.moved')).toMatchObject({ signId: 'sign-new-1', fromVillageId: 'v1', toVillageId: 'v2' });
    // A refused profile is neither saved nor recorded.
    expect((await clients.admin.request('PUT', '/api/signs/sign-new-1/profile', { ...PROFILE, widthPx: 7 })).status).toBe(400);
    const profileRecords = (all: Record<string, unknown>[]) => all.filter((r) => String(r.type).startsWith('sign.profile')).length;
    expect(profileRecords(await ledgerRecords())).toBe(profileRecords(records));
    await clients.admin.request('PUT', '/api/signs/sign-new-1/profile', PROFILE);
  });

  it('removes a sign: its interval is closed into the ledger and the removal is recorded', async () => {
    await poll(async () => (await signs()).find((s) => s.id === 'sign-new-1')?.showing != null, 'the new sign never showed anything');
    expect((await clients.editor.request('DELETE', '/api/signs/sign-new-1')).status).toBe(403);
    const res = await clients.admin.request('DELETE', '/api/signs/sign-new-1');
    expect(res.status).toBe(200);
    expect((await signs()).map((s) => s.id)).not.toContain('sign-new-1');
    expect(data((await clients.admin.get<unknown[]>('/api/signs/profiles')).body)).toEqual([]);
    const records = await ledgerRecords();
    const shown = records.filter((r) => r.type === 'sign.display' && r.signId === 'sign-new-1');
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.at(-1)).toMatchObject({ villageId: 'v1', endReason: 'stopped' });
    expect(records.find((r) => r.type === 'sign.removed')).toMatchObject({
      signId: 'sign-new-1',
      villageId: 'v1',
      actorId: expect.any(String),
    });
    // The demo signs came back after the restart.
    expect((await signs()).filter((s) => s.emulated)).toHaveLength(4);
  });

  it('answers 404 for an unknown sign and 409 for a demo sign without a saved profile', async () => {
    expect((await clients.admin.request('DELETE', '/api/signs/no-such-sign')).status).toBe(404);
    const demo = (await signs()).find((s) => s.emulated)!;
    expect((await clients.admin.request('DELETE', `/api/signs/${demo.id}`)).status).toBe(409);
  });
});
