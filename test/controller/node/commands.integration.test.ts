/**
 * Staff's buttons for a sign behind a village node: the real node program as
 * a child process, a real controller, a BX sign emulator behind a real pty.
 * Test pattern, brightness, on/off, clear and re-send go from the admin's
 * API over `/node` to the node, which runs them with the same signs service
 * and answers the sign's state; a bad argument is refused naming the field
 * and reaches nothing; the clear is a ledger record (the interval it ends),
 * as for a sign on the controller; an offline node is refused at once; a node
 * that does not answer, or answers nonsense, is refused with a clear reason.
 */
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NODE_COMMAND_TIMEOUT_MS, type NodeSignCommand, type Notice, type SignView } from '../../../controller/protocol/index.js';
import {
  ATTESTATION,
  type ApiClient,
  type NodeClient,
  type TestController,
  connectNode,
  data,
  nextEvent,
  pairDevice,
  staff,
  startController,
} from '../../helpers/controller.js';
import {
  type NodeProcess,
  type PtySign,
  ledgerRecords,
  openPtySign,
  pairAsNode,
  poll,
  startNodeProcess,
  closeNodeRig,
} from '../../helpers/node.js';
import { hasSocat } from '../../helpers/pty.js';

let t: TestController;
let clients: { admin: ApiClient; editor: ApiClient; reviewer: ApiClient };
let sign: PtySign;
let nodeDir: string;
let node: NodeProcess | null = null;
let nodeId = '';
let villageId = '';
const SIGN = 'node-cmd-sign';
const TEXT = '李庄村本周日义诊';

const PROFILE = {
  name: '李庄村村口屏',
  protocol: 'bx5k',
  address: 1,
  widthPx: 192,
  heightPx: 32,
  charset: 'gb2312',
};

describe.skipIf(!hasSocat())('staff commands for a sign behind a village node', () => {
  beforeAll(async () => {
    t = await startController();
    clients = await staff(t);
    villageId = data((await clients.admin.post<{ id: string }>('/api/villages', { name: '李庄村' })).body).id;
    sign = await openPtySign();
    nodeDir = await mkdtemp(path.join(os.tmpdir(), 'gongshi-node-cmd-'));
    node = startNodeProcess(t.url, nodeDir);
    nodeId = await pairAsNode(clients.admin, await node.code(), villageId, '李庄村节点');
    data(
      (
        await clients.admin.request('PUT', `/api/signs/${SIGN}/profile`, {
          ...PROFILE,
          villageId,
          port: { path: sign.pair.host, baudRate: 57600 },
          node: nodeId,
        })
      ).body,
    );
    const draft = data(
      (
        await clients.editor.post<Notice>('/api/notices', {
          target: { scope: 'villages', villageIds: [villageId] },
          title: '李庄村义诊通知',
          body: '本周日上午在村委会义诊。',
          ledText: TEXT,
        })
      ).body,
    );
    data((await clients.editor.post(`/api/notices/${draft.id}/submit`)).body);
    data((await clients.reviewer.post(`/api/notices/${draft.id}/approve`, { attestation: ATTESTATION })).body);
    await sign.emu.waitFor((e) => e.texts().some((x) => x.startsWith(TEXT)), 60_000);
  }, 120_000);

  afterAll(() => closeNodeRig({ node, t, sign, nodeDir }));

  it('runs the test pattern, brightness, on/off, clear and re-send on the node, and answers the sign as it is then', async () => {
    const pattern = await clients.admin.post<SignView>(`/api/signs/${SIGN}/test-pattern`);
    expect(pattern.status).toBe(200);
    expect(data(pattern.body)).toMatchObject({ id: SIGN, nodeId, showing: { key: 'system:test-pattern', proof: 'acknowledged' } });
    expect(sign.emu.texts().join('')).toMatch(/测试TEST/);

    const dim = data((await clients.admin.post<SignView>(`/api/signs/${SIGN}/brightness`, { level: 3 })).body);
    expect(dim.brightness).toBe(3);
    expect(sign.emu.state().brightness).toBe(3);

    const off = data((await clients.admin.post<SignView>(`/api/signs/${SIGN}/power`, { on: false })).body);
    expect(off.power).toBe(false);
    expect(sign.emu.state().power).toBe(false);
    const on = data((await clients.admin.post<SignView>(`/api/signs/${SIGN}/power`, { on: true })).body);
    expect(on.power).toBe(true);
    expect(sign.emu.state().power).toBe(true);

    // Re-send: rotation resumes at once, the notice is back.
    data((await clients.admin.post<SignView>(`/api/signs/${SIGN}/resend`)).body);
    await sign.emu.waitFor((e) => e.texts().some((x) => x.startsWith(TEXT)), 20_000);

    // The signs list says what the node answered.
    const listed = data((await clients.editor.get<SignView[]>('/api/signs')).body).find((s) => s.id === SIGN);
    expect(listed).toMatchObject({ nodeId, power: true, brightness: 3 });
  }, 90_000);

  it('refuses a bad argument naming the field, and nothing reaches the sign', async () => {
    const frames = sign.emu.stats().framesForMe;
    const bad = await clients.admin.post(`/api/signs/${SIGN}/brightness`, { level: 99 });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ ok: false, error: 'invalid_payload', fields: { level: expect.any(String) } });
    const extra = await clients.admin.post(`/api/signs/${SIGN}/clear`, { force: true });
    expect(extra.status).toBe(400);
    // Only the node's own pings may pass meanwhile; no command went out.
    await new Promise((r) => setTimeout(r, 1500));
    expect(sign.emu.stats().framesForMe - frames).toBeLessThanOrEqual(1);
    expect(sign.emu.state().brightness).toBe(3);
    expect(sign.emu.texts().some((x) => x.startsWith(TEXT))).toBe(true);
  }, 30_000);

  it('clears the sign, and the ledger holds the interval the clear ended, filed by the node', async () => {
    const cleared = data((await clients.admin.post<SignView>(`/api/signs/${SIGN}/clear`)).body);
    expect(cleared.showing).toBeNull();
    expect(sign.emu.texts().join('')).toBe('');
    await poll(
      async () =>
        (await ledgerRecords(t.dataDir)).some(
          (r) => r.type === 'sign.display' && r.signId === SIGN && r.nodeId === nodeId && r.endReason === 'cleared',
        ),
      'the cleared interval never reached the ledger',
      30_000,
    );
  }, 60_000);

  it('refuses at once, in Chinese and English, when the node is offline', async () => {
    await node?.kill9();
    node = null;
    await poll(async () => {
      const view = data((await clients.editor.get<SignView[]>('/api/signs')).body).find((s) => s.id === SIGN);
      return view !== undefined && !(await isOnline());
    }, 'the node never went offline');
    const started = Date.now();
    const refused = await clients.admin.post(`/api/signs/${SIGN}/test-pattern`);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(refused.status).toBe(503);
    expect(refused.body).toMatchObject({ ok: false, error: 'unavailable', message: expect.stringMatching(/离线[\s\S]*offline/) });
    expect((refused.body as { message: string }).message).toContain('李庄村节点');
  }, 60_000);

  it('refuses a node that does not answer, or answers nonsense, without believing it', async () => {
    // A node of its own that a test drives by hand: paired, with a sign attached, connected as the node program would be.
    const other = await pairDevice(clients.admin, { villageId, name: '测试节点', kind: 'node' });
    data(
      (
        await clients.admin.request('PUT', '/api/signs/silent-sign/profile', {
          ...PROFILE,
          villageId,
          port: { path: '/dev/ttyUSB9', baudRate: 9600 },
          node: other.deviceId,
        })
      ).body,
    );
    const socket: NodeClient = connectNode(t.url, other);
    try {
      await nextEvent(socket, 'server:hello');
      const seen: NodeSignCommand[] = [];
      let mode: 'silent' | 'nonsense' = 'silent';
      socket.on('sign:command', (request, ack) => {
        seen.push(request);
        if (mode === 'nonsense') (ack as (a: unknown) => void)({ ok: true, data: { id: 'silent-sign', power: 'yes' } });
      });
      const started = Date.now();
      const silent = await clients.admin.post('/api/signs/silent-sign/brightness', { level: 5 });
      expect(Date.now() - started).toBeGreaterThanOrEqual(NODE_COMMAND_TIMEOUT_MS - 500);
      expect(silent.status).toBe(503);
      expect(silent.body).toMatchObject({ error: 'unavailable', message: expect.stringMatching(/没有回答[\s\S]*did not answer/) });
      expect(seen).toEqual([{ signId: 'silent-sign', command: { type: 'brightness', level: 5 } }]);

      mode = 'nonsense';
      const nonsense = await clients.admin.post('/api/signs/silent-sign/power', { on: false });
      expect(nonsense.status).toBe(503);
      expect(nonsense.body).toMatchObject({ error: 'unavailable', message: expect.stringMatching(/无法识别[\s\S]*could not be read/) });
      const view = data((await clients.editor.get<SignView[]>('/api/signs')).body).find((s) => s.id === 'silent-sign');
      expect(view?.power).toBe(true);
    } finally {
      socket.close();
    }
  }, 60_000);
});

async function isOnline(): Promise<boolean> {
  const devices = data((await clients.admin.get<{ id: string; online: boolean }[]>('/api/devices')).body);
  return devices.find((d) => d.id === nodeId)?.online ?? false;
}
