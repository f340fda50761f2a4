/**
 * The compliance report (公示期合规) tells a village node that was offline
 * from a sign whose own link was down: a real controller on an injected clock,
 * a paired village node on its real socket filing the records a node uploads
 * after a spell without the town (its uplink outage, display intervals kept
 * from its stored schedule, a sign's link outage). Three signs behind the
 * node, one notice, one day:
 *
 * - one kept showing while the node was offline, proven by intervals the node
 *   uploaded later: no gap, and the report says so and why;
 * - one with no record for the node's offline spell: a `node_offline` gap
 *   (nothing proves it either way), not `no_proof` and not `link_down`;
 * - one whose own link was down after the node was back: `link_down` for that.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ack, ComplianceReport, NodeRecord, NodeRecordsResult, Notice } from '../../../controller/protocol/index.js';
import {
  ATTESTATION,
  type ApiClient,
  type TestController,
  connectNode,
  data,
  pairDevice,
  staff,
  startController,
} from '../../helpers/controller.js';
import { poll } from '../../helpers/node.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const CST = 8 * HOUR;

let shift = 0;
const virtualNow = () => Date.now() + shift;
/** Midnight (China time) of the day after tomorrow: every virtual time lies ahead of real time. */
const dayD = Math.floor((Date.now() + CST) / DAY) * DAY - CST + 2 * DAY;
const at = (hh: number, mm = 0) => dayD + hh * HOUR + mm * 60_000;
const dateD = new Date(dayD + CST).toISOString().slice(0, 10);

let t: TestController;
let clients: { admin: ApiClient; editor: ApiClient; reviewer: ApiClient };
let villageId = '';
let nodeId = '';
let token = '';
let contentHash = '';

const SIGNS = { shown: 'node-sign-shown', dark: 'node-sign-dark', link: 'node-sign-link' } as const;

describe('the compliance report, signs behind a village node', () => {
  beforeAll(async () => {
    shift = at(8) - Date.now();
    t = await startController({ clock: { now: virtualNow } });
    clients = await staff(t);
    villageId = data((await clients.admin.post<{ id: string }>('/api/villages', { name: '节点村' })).body).id;
    ({ deviceId: nodeId, token } = await pairDevice(clients.admin, { villageId, name: '节点村节点', kind: 'node' }));
    for (const [i, id] of Object.values(SIGNS).entries()) {
      const saved = await clients.admin.request('PUT', `/api/signs/${id}/profile`, {
        name: `节点村${i + 1}号屏`,
        villageId,
        protocol: 'bx5k',
        address: 1,
        widthPx: 192,
        heightPx: 32,
        charset: 'gb2312',
        port: { path: `/dev/ttyUSB${i}`, baudRate: 9600 },
        node: nodeId,
      });
      expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    }
    const draft = data(
      (
        await clients.editor.post<Notice>('/api/notices', {
          target: { scope: 'villages', villageIds: [villageId] },
          title: '停水通知',
          body: '停水通知。详情见村务公开栏。',
          ledText: '节点村本周六停水一天',
          posting: { rule: { kind: 'calendar_days', days: 1 } },
        })
      ).body,
    );
    data((await clients.editor.post<Notice>(`/api/notices/${draft.id}/submit`)).body);
    const approved = data((await clients.reviewer.post<Notice>(`/api/notices/${draft.id}/approve`, { attestation: ATTESTATION })).body);
    contentHash = approved.versions.at(-1)?.contentHash ?? '';
    expect(contentHash).toMatch(/^[0-9a-f]{64}$/);

    // 16:10: the node is back and uploads what it kept. Its uplink was down 10:00–13:00.
    shift = at(16, 10) - Date.now();
    let seq = 0;
    const base = () => ({ recordId: randomUUID(), seq: ++seq, clockTrusted: true });
    const shown = (signId: string, from: number, to: number): NodeRecord[] => {
      const out: NodeRecord[] = [];
      for (let s = from; s < to; s += HOUR) {
        out.push({
          type: 'sign.display',
          ...base(),
          signId,
          contentHash,
          start: s,
          end: Math.min(to, s + HOUR),
          proof: 'acknowledged',
          endReason: 'replaced',
        });
      }
      return out;
    };
    const records: NodeRecord[] = [
      { type: 'node.uplink-down', ...base(), at: at(10) },
      // Kept showing from the node's schedule the whole day, the offline spell included.
      ...shown(SIGNS.shown, at(7, 50), at(16)),
      // Nothing for the offline spell (the node lost power with the town's link, say).
      ...shown(SIGNS.dark, at(7, 50), at(10)),
      ...shown(SIGNS.dark, at(13), at(16)),
      // Nothing for the offline spell either; then its own link was down 14:00–15:00 while the node was online.
      ...shown(SIGNS.link, at(7, 50), at(10)),
      ...shown(SIGNS.link, at(13), at(14)),
      { type: 'sign.link-down', ...base(), signId: SIGNS.link, at: at(14), cause: 'link' },
      { type: 'sign.link-outage', ...base(), signId: SIGNS.link, start: at(14), end: at(15), cause: 'link' },
      ...shown(SIGNS.link, at(15), at(16)),
      { type: 'node.uplink-outage', ...base(), start: at(10), end: at(13) },
    ];
    const socket = connectNode(t.url, { deviceId: nodeId, token });
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', () => resolve());
        socket.once('connect_error', reject);
      });
      const answer = (await socket.timeout(10_000).emitWithAck('node:records', { records })) as Ack<NodeRecordsResult>;
      expect(answer.ok, JSON.stringify(answer)).toBe(true);
    } finally {
      socket.disconnect();
    }
  }, 60_000);

  afterAll(async () => {
    await t?.dispose();
  });

  const report = async (): Promise<ComplianceReport> =>
    data((await clients.admin.get<ComplianceReport>(`/api/reports/compliance?from=${dateD}&to=${dateD}&village=${villageId}`)).body);

  it('tells a node that was offline (with and without uploaded display records) from a sign whose own link was down', async () => {
    let row: ComplianceReport['rows'][number] | undefined;
    await poll(
      async () => {
        row = (await report()).rows[0];
        return (row?.devices.find((d) => d.deviceId === SIGNS.link)?.gaps.length ?? 0) > 0;
      },
      () => `the report never showed the uploaded records: ${JSON.stringify(row)}`,
    );
    const device = (id: string) => {
      const d = row?.devices.find((x) => x.deviceId === id);
      if (!d) throw new Error(`no ${id} in ${JSON.stringify(row?.devices.map((x) => x.deviceId))}`);
      return d;
    };
    const gaps = (id: string) => device(id).gaps.map((g) => ({ from: g.from, to: g.to, cause: g.cause }));

    // Shown while the node was offline, proven by the intervals it uploaded: no gap, and said why.
    expect(gaps(SIGNS.shown)).toEqual([]);
    expect(device(SIGNS.shown).node).toEqual({ id: nodeId, offlineMs: 3 * HOUR, shownWhileOfflineMs: 3 * HOUR });

    // No record for the node's offline spell: a node_offline gap, nothing proven either way.
    expect(gaps(SIGNS.dark)).toEqual([{ from: at(10), to: at(13), cause: 'node_offline' }]);
    expect(device(SIGNS.dark).node).toEqual({ id: nodeId, offlineMs: 3 * HOUR, shownWhileOfflineMs: 0 });

    // The sign's own link down while the node was online: link_down, apart from the node's spell.
    expect(gaps(SIGNS.link)).toEqual([
      { from: at(10), to: at(13), cause: 'node_offline' },
      { from: at(14), to: at(15), cause: 'link_down' },
    ]);
    expect(row?.reasons.find((r) => r.code === 'node_offline')).toMatchObject({ devices: 2, ms: 6 * HOUR });
    expect(row?.reasons.find((r) => r.code === 'link_down')).toMatchObject({ devices: 1, ms: HOUR });
  });

  it('says the same in the CSV export, in Chinese', async () => {
    const res = await fetch(`${t.url}/api/reports/compliance.csv?from=${dateD}&to=${dateD}&village=${villageId}`, {
      headers: { cookie: clients.admin.cookie },
    });
    expect(res.status).toBe(200);
    const lines = (await res.text()).replace(/^\uFEFF/, '').split(/\r?\n/);
    const header = lines[0]?.split(',') ?? [];
    const col = (name: string) => header.indexOf(name);
    expect(col('村级节点离线小时')).toBeGreaterThan(0);
    const of = (name: string) => lines.filter((l) => l.includes(name)).map((l) => l.split(','));
    const dark = of('节点村2号屏');
    expect(dark.some((cells) => cells[col('缺口原因')] === '村级节点离线，且无补传的展示记录')).toBe(true);
    expect(dark[0]?.[col('村级节点离线小时')], lines.join('\n')).toBe('3');
    expect(dark[0]?.[col('其中有补传展示记录的小时')]).toBe('0');
    const shown = of('节点村1号屏');
    expect(shown[0]?.[col('其中有补传展示记录的小时')]).toBe('3');
    expect(of('节点村3号屏').some((cells) => cells[col('缺口原因')] === '屏幕线路中断')).toBe(true);
  });
});
