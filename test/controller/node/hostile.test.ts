/**
 * A hostile village node on `/node`, beyond what the socket fuzz covers
 * (random handshakes, undeclared events, hostile payloads): a real node's id
 * with a wrong token, packets over the size limit, batches over the record
 * bound, and an authentic node filing evidence for a sign it never drove
 * (another node's, or the controller's own). Each is refused with a clear
 * reason; nothing reaches the ledger but the refusal record the node-record
 * contract keeps for a numbered record of an authentic node.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Ack,
  NODE_RECORDS_MAX,
  type NodeRecord,
  type NodeRecordsResult,
  type NoticePage,
  type Village,
} from '../../../controller/protocol/index.js';
import {
  type ApiClient,
  type TestController,
  connectNode,
  data,
  nextEvent,
  pairDevice,
  staff,
  startController,
} from '../../helpers/controller.js';
import { ledgerRecords } from '../../helpers/node.js';

let t: TestController;
let admin: ApiClient;
let nodeA: { deviceId: string; token: string };
let nodeB: { deviceId: string; token: string };
let contentHash = '';
let village: Village;

const PROFILE = {
  villageId: '',
  protocol: 'bx5k',
  address: 1,
  widthPx: 192,
  heightPx: 32,
  charset: 'gb2312',
  port: { path: '/dev/ttyUSB7', baudRate: 9600 },
};

function display(signId: string, seq: number): NodeRecord {
  const start = Date.now() - 60_000;
  return {
    type: 'sign.display',
    recordId: randomUUID(),
    seq,
    clockTrusted: true,
    signId,
    contentHash,
    start,
    end: start + 30_000,
    proof: 'acknowledged',
    endReason: 'replaced',
  };
}

async function connected(auth: { deviceId: string; token: string }) {
  const socket = connectNode(t.url, auth);
  await nextEvent(socket, 'connect', () => true, 10_000);
  return socket;
}

/** Evidence in the ledger (a node's connecting and leaving is recorded as device presence, which is not evidence). */
const ledgerSize = async () => (await ledgerRecords(t.dataDir)).filter((r) => /^(sign|node)\./.test(String(r.type))).length;

describe('a hostile village node', () => {
  beforeAll(async () => {
    t = await startController();
    ({ admin } = await staff(t));
    village = data((await admin.post<Village>('/api/villages', { name: '对抗测试村' })).body);
    nodeA = await pairDevice(admin, { villageId: village.id, name: '甲节点', kind: 'node' });
    nodeB = await pairDevice(admin, { villageId: village.id, name: '乙节点', kind: 'node' });
    for (const [id, node] of [
      ['sign-of-b', nodeB.deviceId],
      ['sign-of-town', null],
    ] as const) {
      const saved = await admin.request('PUT', `/api/signs/${id}/profile`, { ...PROFILE, name: id, villageId: village.id, node });
      expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    }
    const notices = data((await admin.get<NoticePage>('/api/notices')).body).items;
    contentHash = notices.flatMap((n) => n.versions).find((v) => v.review?.decision === 'approved')?.contentHash ?? '';
    expect(contentHash).toMatch(/^[0-9a-f]{64}$/);
  }, 60_000);

  afterAll(async () => {
    await t?.dispose();
  });

  it('refuses a real node’s id with a wrong token, and saves nothing', async () => {
    const before = await ledgerSize();
    for (const token of ['', 'x'.repeat(64), nodeB.token]) {
      const socket = connectNode(t.url, { deviceId: nodeA.deviceId, token });
      const [error] = await nextEvent<[Error]>(socket, 'connect_error', () => true, 10_000);
      expect(error.message).toMatch(/^(unauthorized|invalid_payload): \S/);
      socket.disconnect();
    }
    expect(await ledgerSize()).toBe(before);
    const devices = data((await admin.get<{ id: string; online: boolean }[]>('/api/devices')).body);
    expect(devices.find((d) => d.id === nodeA.deviceId)?.online).toBe(false);
  });

  it('drops a packet over the size limit without reading it, and takes the node back afterwards', async () => {
    const before = await ledgerSize();
    const socket = await connected(nodeA);
    const records = Array.from({ length: 400 }, (_, i) => ({ ...display('sign-of-b', i + 1), padding: '填'.repeat(400) }));
    const closed = nextEvent<[string]>(socket, 'disconnect', () => true, 10_000);
    socket.emit('node:records', { records }, () => undefined);
    const [reason] = await closed;
    expect(reason).toMatch(/transport (close|error)/);
    expect(await ledgerSize()).toBe(before);
    const again = await connected(nodeA);
    again.disconnect();
  });

  it('refuses a batch over the record bound, naming the field, and saves nothing', async () => {
    const before = await ledgerSize();
    const socket = await connected(nodeA);
    const records = Array.from({ length: NODE_RECORDS_MAX + 1 }, () => ({
      type: 'node.uplink-down',
      recordId: randomUUID(),
      seq: 1,
      clockTrusted: true,
      at: 1,
    }));
    const answer = (await socket.timeout(10_000).emitWithAck('node:records', { records } as never)) as Ack<NodeRecordsResult>;
    expect(answer).toMatchObject({ ok: false, error: 'invalid_payload' });
    expect(answer.ok ? '' : answer.message).toMatch(/records/);
    socket.disconnect();
    expect(await ledgerSize()).toBe(before);
  });

  it('refuses evidence for a sign the node never drove (another node’s, the controller’s own), and takes its own', async () => {
    const a = await connected(nodeA);
    const forged = [display('sign-of-b', 1), display('sign-of-town', 2)];
    const answer = (await a.timeout(10_000).emitWithAck('node:records', { records: forged })) as Ack<NodeRecordsResult>;
    const result = data(answer);
    expect(result.recorded).toEqual([]);
    expect(result.rejected.map((r) => r.recordId).sort()).toEqual(forged.map((r) => r.recordId).sort());
    for (const r of result.rejected) expect(r.reason).toMatch(/never attached to this node/);
    a.disconnect();
    const ledger = await ledgerRecords(t.dataDir);
    expect(ledger.filter((r) => r.type === 'sign.display' && r.nodeId === nodeA.deviceId)).toEqual([]);

    // The node the sign is attached to files the same kind of record.
    const b = await connected(nodeB);
    const own = display('sign-of-b', 1);
    expect(data((await b.timeout(10_000).emitWithAck('node:records', { records: [own] })) as Ack<NodeRecordsResult>).recorded).toEqual([
      own.recordId,
    ]);
    b.disconnect();

    // Moved to node A: A files for it from now on, and B still may file what it kept while it drove it.
    const moved = await admin.request('PUT', '/api/signs/sign-of-b/profile', {
      ...PROFILE,
      name: 'sign-of-b',
      villageId: village.id,
      node: nodeA.deviceId,
    });
    expect(moved.status).toBe(200);
    const movedRecord = (await ledgerRecords(t.dataDir)).find((r) => r.type === 'sign.moved' && r.signId === 'sign-of-b');
    expect(movedRecord).toMatchObject({ fromNode: nodeB.deviceId, toNode: nodeA.deviceId });
    const b2 = await connected(nodeB);
    const kept = display('sign-of-b', 2);
    expect(data((await b2.timeout(10_000).emitWithAck('node:records', { records: [kept] })) as Ack<NodeRecordsResult>).recorded).toEqual([
      kept.recordId,
    ]);
    b2.disconnect();
    const a2 = await connected(nodeA);
    const now = display('sign-of-b', 3);
    expect(data((await a2.timeout(10_000).emitWithAck('node:records', { records: [now] })) as Ack<NodeRecordsResult>).recorded).toEqual([
      now.recordId,
    ]);
    a2.disconnect();
  });
});
