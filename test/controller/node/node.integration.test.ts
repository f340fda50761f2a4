/**
 * A village node end to end: the real node program as a child process, a
 * real controller, a BX sign emulator behind a real pty. Pairing by code,
 * the sign showing an approved notice, the node killed with SIGKILL and
 * restarted from its stored schedule, every proof interval in the ledger
 * exactly once, and revocation stopping the node at once.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeviceView, Notice, SignView } from '../../../controller/protocol/index.js';
import { type ApiClient, type TestController, data, staff, startController } from '../../helpers/controller.js';
import {
  type NodeProcess,
  type PtySign,
  allAcknowledged,
  expectEachOnceInLedger,
  ledgerRecords,
  nodeDataDir,
  nodeVillage,
  openPtySign,
  pairAsNode,
  poll,
  publishToVillage,
  saveNodeSign,
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
/** A village of its own, without the demo town's notices, so the sign's rotation holds only what a test publishes. */
let villageId = '';

const publish = (title: string, ledText: string): Promise<Notice> => publishToVillage(clients, villageId, { title, ledText });

/** Waits until the node has nothing left to send, then checks each of its records is in the ledger exactly once. */
async function expectExactlyOnce(): Promise<number> {
  await allAcknowledged(nodeDir, () => node?.output() ?? '', 30_000);
  const { records } = await expectEachOnceInLedger(nodeDir, t.dataDir, nodeId);
  return records.length;
}

describe.skipIf(!hasSocat())('a village node driving a sign on a pty', () => {
  beforeAll(async () => {
    t = await startController();
    clients = await staff(t);
    // The demo town's town-wide notices rotate on this sign too: short turns, so a new one comes round soon.
    villageId = await nodeVillage(clients.admin, '试点村');
    sign = await openPtySign();
    nodeDir = await nodeDataDir('pty');
  }, 60_000);

  afterAll(() => closeNodeRig({ node, t, sign, nodeDir }));

  it('pairs by code as a village node, and the sign attached to it shows an approved notice', async () => {
    node = startNodeProcess(t.url, nodeDir);
    const code = await node.code();
    nodeId = await pairAsNode(clients.admin, code, villageId, '试点村节点');
    await poll(async () => {
      const devices = data((await clients.admin.get<DeviceView[]>('/api/devices')).body);
      return devices.some((d) => d.id === nodeId && d.kind === 'node' && d.online);
    }, 'the node never came online');
    expect((await stat(path.join(nodeDir, 'node-token.json'))).mode & 0o777).toBe(0o600);

    const saved = await saveNodeSign(clients.admin, 'node-sign', {
      name: '张堂村村口屏',
      villageId,
      nodeId,
      port: { path: sign.pair.host, baudRate: 57600 },
    });
    expect(saved.status).toBe(200);
    await sign.emu.waitFor((e) => e.stats().commands.ping !== undefined, 15_000);
    await publish('张堂村停水通知', '张堂村本周六停水一天');
    await sign.emu.waitFor((e) => e.texts().some((x) => x.startsWith('张堂村本周六停水一天')), 60_000);

    // The signs page lists it behind its node, with what it shows.
    await poll(async () => {
      const signs = data((await clients.editor.get<SignView[]>('/api/signs')).body);
      const view = signs.find((s) => s.id === 'node-sign');
      return view?.nodeId === nodeId && (view.showing?.text.startsWith('张堂村本周六停水一天') ?? false);
    }, 'the signs page never showed what the node’s sign shows');

    // A profile naming something that is not a node is refused with the field named, and nothing changes.
    const wrong = await clients.admin.request('PUT', '/api/signs/node-sign/profile', {
      ...(saved.body.ok ? (saved.body.data as object) : {}),
      node: 'no-such-node',
    });
    expect(wrong.status).toBe(400);
    expect((wrong.body as { fields?: Record<string, string> }).fields).toHaveProperty('node');
  }, 150_000);

  it('keeps showing from its stored schedule after SIGKILL, and uploads every proof interval exactly once', async () => {
    const second = await publish('张堂村医保缴费通知', '医保缴费截止本月底');
    await sign.emu.waitFor((e) => e.texts().some((x) => x.startsWith('医保缴费截止本月底')), 60_000);
    expect(second.id).toBeTruthy();
    await node?.kill9();
    // The controller is out of reach for the restarted node: it drives the sign from its stored schedule alone.
    await t.stop();
    const framesBefore = sign.emu.stats().framesForMe;
    node = startNodeProcess(t.url, nodeDir);
    await sign.emu.waitFor((e) => e.stats().framesForMe > framesBefore + 3 && e.texts().length > 0, 30_000);
    expect(sign.emu.texts().join('')).toMatch(/张堂村本周六停水一天|医保缴费截止本月底/);

    const restarted = await startController({ dataDir: t.dataDir, args: ['--port', String(t.controller.port)] });
    t = restarted;
    clients = await staff(t);
    const n = await expectExactlyOnce();
    const types = new Set((await ledgerRecords(t.dataDir)).filter((r) => r.nodeId === nodeId).map((r) => r.type));
    expect(types).toContain('sign.display');
    expect(types).toContain('node.uplink-outage');
    expect(n).toBeGreaterThan(2);
  }, 150_000);

  it('stops driving the sign the moment it is revoked, and shows a new pairing code', async () => {
    const printed = node?.output().length ?? 0;
    data((await clients.admin.post(`/api/devices/${nodeId}/revoke`, { reason: '设备丢失' })).body);
    const code = await node!.code(printed);
    expect(code).toMatch(/^\d{6}$/);
    const frames = sign.emu.stats().framesReceived;
    await publish('张堂村防火通知', '秋冬季节注意防火');
    await new Promise((r) => setTimeout(r, 3000));
    expect(sign.emu.stats().framesReceived).toBe(frames);
    expect(sign.emu.texts().join('')).not.toMatch(/秋冬季节注意防火/);
    await expect(stat(path.join(nodeDir, 'node-token.json'))).rejects.toThrow();
    await expect(stat(path.join(nodeDir, 'schedule.json'))).rejects.toThrow();
  }, 60_000);
});
