/**
 * The signs on a real controller (demo town: one emulated GB2312 sign per
 * village): the LED text checked against the fonts of the signs a notice
 * targets, and the signs page's live view pushed over socket.io instead of
 * polled — coalesced to one push a second per sign, only to watching staff.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ack, SignFrameView, SignTextCheck, SignView, SignsSnapshot } from '../../../controller/protocol/index.js';
import { SIGN_PUSH_MS } from '../../../controller/realtime/signsLive.js';
import {
  type AdminClient,
  type ApiClient,
  type TestController,
  connectAdmin,
  data,
  nextEvent,
  staff,
  startController,
} from '../../helpers/controller.js';

let t: TestController;
let clients: { admin: ApiClient; editor: ApiClient; reviewer: ApiClient };
const sockets: AdminClient[] = [];

beforeAll(async () => {
  t = await startController();
  clients = await staff(t);
}, 60_000);

afterAll(async () => {
  for (const s of sockets) s.close();
  await t?.dispose();
});

async function watcher(): Promise<{ socket: AdminClient; snapshot: SignsSnapshot }> {
  const socket = connectAdmin(t.url, clients.admin.cookie);
  sockets.push(socket);
  await nextEvent(socket, 'connect');
  const ack: Ack<SignsSnapshot> = await socket.timeout(5000).emitWithAck('signs:watch', {});
  return { socket, snapshot: data(ack) };
}

describe('LED text against the fonts of the targeted signs', () => {
  it('lists, per targeted sign, each character its font lacks by position; other villages are not checked', async () => {
    const signs = data((await clients.editor.get<SignView[]>('/api/signs')).body);
    const v1 = signs.filter((s) => s.villageId === 'v1');
    expect(v1.length).toBeGreaterThan(0);
    // A GBK sign for village v1 as well: it has 堃 and 喆, the GB2312 ones do not.
    const created = await clients.admin.post('/api/signs', {
      id: 'gbk-sign',
      name: 'GBK 屏',
      villageId: 'v1',
      protocol: 'bx5k',
      port: { path: 'emulated:gbk-sign', baudRate: 57600 },
      address: 1,
      widthPx: 192,
      heightPx: 32,
      charset: 'gbk',
      emulated: true,
    });
    expect(created.status).toBe(201);

    const text = '请村民王堃、李喆于周五前到村委会领取补贴';
    const res = await clients.editor.post<SignTextCheck[]>('/api/signs/check-text', {
      text,
      target: { scope: 'villages', villageIds: ['v1'] },
    });
    const checks = data(res.body);
    expect(checks.map((c) => c.villageId)).toEqual(checks.map(() => 'v1'));
    const gbk = checks.find((c) => c.id === 'gbk-sign');
    expect(gbk).toMatchObject({ charset: 'gbk', unsupported: [], packet: { max: 1024 } });
    expect(gbk!.packet!.bytes).toBeLessThan(1024);
    const gb = checks.filter((c) => c.charset === 'gb2312');
    expect(gb).toHaveLength(v1.length);
    for (const c of gb)
      expect(c.unsupported).toEqual([
        { index: 4, char: '堃', codePoint: 0x5803 },
        { index: 7, char: '喆', codePoint: 0x5586 },
      ]);

    const town = data((await clients.editor.post<SignTextCheck[]>('/api/signs/check-text', { text, target: { scope: 'town' } })).body);
    expect(town).toHaveLength(signs.length + 1);
    expect(
      data((await clients.editor.post<SignTextCheck[]>('/api/signs/check-text', { text: '通知', target: { scope: 'town' } })).body).every(
        (c) => c.unsupported.length === 0,
      ),
    ).toBe(true);
    // Longer than one 1 KB packet of a BX card: found now, at notice time.
    const long = data(
      (await clients.editor.post<SignTextCheck[]>('/api/signs/check-text', { text: '公'.repeat(600), target: { scope: 'town' } })).body,
    );
    expect(long.every((c) => c.packet !== null && c.packet.bytes > c.packet.max)).toBe(true);
  });

  it('refuses a malformed request, naming the field', async () => {
    const res = await clients.editor.post('/api/signs/check-text', { text: '通知', target: { scope: 'villages', villageIds: [] } });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ ok: false, error: 'invalid_payload', fields: { 'target.villageIds': expect.any(String) } });
  });
});

describe('live sign view over /admin', () => {
  it('answers signs:watch with every sign and its dot matrix, then pushes a command’s effect without polling', async () => {
    const { socket, snapshot } = await watcher();
    const sign = snapshot.signs.find((s) => s.emulated)!;
    expect(snapshot.frames[sign.id]).toMatchObject({ width: sign.widthPx, height: sign.heightPx, source: 'emulator' });

    const statuses: { view: SignView; at: number }[] = [];
    const frames: SignFrameView[] = [];
    socket.on('sign:status-changed', (v) => {
      if (v.id === sign.id) statuses.push({ view: v, at: performance.now() });
    });
    socket.on('sign:frame-changed', (u) => {
      if (u.id === sign.id) frames.push(u.frame);
    });
    const showsPattern = nextEvent<[SignView]>(
      socket,
      'sign:status-changed',
      (v) => v.id === sign.id && v.showing?.key === 'system:test-pattern',
      5000,
    );
    expect(data((await clients.admin.post(`/api/signs/${sign.id}/test-pattern`)).body)).toMatchObject({ id: sign.id });
    const [pushed] = await nextEvent<[{ id: string; frame: SignFrameView }]>(
      socket,
      'sign:frame-changed',
      (u) => u.id === sign.id && u.frame.text.join('').includes('测试'),
      5000,
    );
    expect(pushed.frame.text.join('')).toContain('测试TEST');
    await showsPattern;
    // A second change right after a push: coalesced, it waits for the next second instead of going out at once.
    const cleared = nextEvent<[SignView]>(socket, 'sign:status-changed', (v) => v.id === sign.id && v.showing === null, 5000);
    data((await clients.admin.post(`/api/signs/${sign.id}/clear`)).body);
    await cleared;
    expect(statuses.map((s) => s.view.showing?.key ?? null)).toContain('system:test-pattern');
    expect(statuses.at(-1)?.view.showing).toBeNull();
    // Coalesced: the test pattern and the clear each caused several driver events, but pushes for one sign
    // are at least SIGN_PUSH_MS apart as the server sends them; the tolerance absorbs delivery jitter.
    const gaps = statuses.slice(1).map((s, i) => s.at - (statuses[i]?.at ?? 0));
    expect(gaps.length).toBeGreaterThan(0);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(SIGN_PUSH_MS - 400);
  });

  it('pushes nothing to a staff socket that does not watch, and stops after signs:unwatch', async () => {
    const idle = connectAdmin(t.url, clients.editor.cookie);
    sockets.push(idle);
    await nextEvent(idle, 'connect');
    const { socket, snapshot } = await watcher();
    const sign = snapshot.signs.find((s) => s.emulated)!;
    let idleGot = 0;
    idle.on('sign:status-changed', () => idleGot++);
    idle.on('sign:frame-changed', () => idleGot++);
    data((await clients.admin.post(`/api/signs/${sign.id}/clear`)).body);
    await nextEvent(socket, 'sign:status-changed', (v: SignView) => v.id === sign.id && v.showing === null, 5000);
    expect(idleGot).toBe(0);

    const unwatched: Ack<null> = await socket.timeout(5000).emitWithAck('signs:unwatch', {});
    expect(unwatched.ok).toBe(true);
    let after = 0;
    socket.on('sign:status-changed', () => after++);
    // Proof the change was pushed: a socket that still watches gets it; then a round trip on the unwatched
    // socket, whose answer would come after any push sent to it before.
    const { socket: still } = await watcher();
    const pushed = nextEvent(
      still,
      'sign:status-changed',
      (v: SignView) => v.id === sign.id && v.showing?.key === 'system:test-pattern',
      5000,
    );
    data((await clients.admin.post(`/api/signs/${sign.id}/test-pattern`)).body);
    await pushed;
    const again: Ack<null> = await socket.timeout(5000).emitWithAck('signs:unwatch', {});
    expect(again.ok).toBe(true);
    expect(after).toBe(0);
  });

  it('refuses signs:watch without a staff session', async () => {
    const stranger = connectAdmin(t.url, 'gongshi_session=not-a-session');
    sockets.push(stranger);
    const [error] = await nextEvent<[Error]>(stranger, 'connect_error');
    expect(error.message).toMatch(/unauthorized/);
  });
});
