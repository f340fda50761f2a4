/**
 * `npm start` in demo mode runs one village node in-process (controller/demoNode.ts): the demo town's last
 * village's emulated sign hangs off it, so the signs page shows a sign behind a node on a fresh install. The
 * node is the real one: it connects over `/node` without a token (a demo device, from this machine), drives
 * its sign from its own schedule, and its display intervals reach the ledger from its outbox.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { DeviceView, SignView } from '../../../controller/protocol/index.js';
import { type ApiClient, type TestController, data, staff, startController } from '../../helpers/controller.js';
import { ledgerRecords, poll } from '../../helpers/node.js';

let t: TestController;
let admin: ApiClient;

beforeAll(async () => {
  t = await startController();
  ({ admin } = await staff(t));
}, 120_000);
afterAll(() => t?.dispose());

it('runs the demo village node, online, with the demo sign of its village behind it showing a notice', async () => {
  const devices = data((await admin.get<DeviceView[]>('/api/devices')).body);
  const node = devices.find((d) => d.kind === 'node');
  expect(node).toMatchObject({ id: 'demo-node-v4', villageId: 'v4', demo: true, revokedAt: null });
  // The start banner lists the demo kiosks' pages; the node has none.
  expect(t.controller.kioskUrls.map((k) => k.url).filter((u) => u.includes('demo-node'))).toEqual([]);
  expect(t.controller.kioskUrls).toHaveLength(4);
  await poll(
    async () => data((await admin.get<DeviceView[]>('/api/devices')).body).some((d) => d.id === node?.id && d.online && d.status !== null),
    'the demo node never came online with a heartbeat',
    60_000,
  );
  await poll(
    async () => {
      const sign = data((await admin.get<SignView[]>('/api/signs')).body).find((s) => s.id === 'demo-sign-4');
      return sign?.nodeId === 'demo-node-v4' && sign.link === 'up' && sign.showing !== null;
    },
    'the demo node’s sign never showed a notice on the signs page',
    60_000,
  );
  // Only the node drives it: the controller lists it once, as the node's.
  const signs = data((await admin.get<SignView[]>('/api/signs')).body);
  expect(signs.filter((s) => s.id === 'demo-sign-4')).toHaveLength(1);
  expect(signs.filter((s) => s.nodeId === null).map((s) => s.id)).toEqual(['demo-sign-1', 'demo-sign-2', 'demo-sign-3']);
}, 150_000);

it('stops with the controller, and its records reach the ledger as the node’s', async () => {
  await t.stop();
  t = await startController({ dataDir: t.dataDir });
  await poll(
    async () => (await ledgerRecords(t.dataDir)).some((r) => r.nodeId === 'demo-node-v4' && r.type === 'sign.display'),
    'no display interval of the demo node’s sign reached the ledger',
    60_000,
  );
}, 150_000);
