/**
 * A sign on the network (`tcp://host:port`: a BX network card, a serial
 * device server, a DTU) behind a village node: the real node (createNode,
 * paired by its code) and a real controller, the sign emulator behind a real
 * TCP listener, reached through a TCP fault proxy. Through a cut (every
 * connection destroyed, new ones reset at once) and a stall (the sign stops
 * answering on an open connection, then answers again), the node's link goes
 * down, comes back with back-off, and re-pushes the content the sign lost;
 * each outage reaches the controller's ledger as one `sign.link-outage`,
 * exactly once.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignEmulator } from '../../../controller/led/emulator/signEmulator.js';
import type { RunningNode } from '../../../controller/node/node.js';
import type { Notice, SignView } from '../../../controller/protocol/index.js';
import { ATTESTATION, type ApiClient, type TestController, data, staff, startController } from '../../helpers/controller.js';
import { ledgerRecords, nodeOutbox, poll, startPairedNode } from '../../helpers/node.js';
import { type TcpProxy, startTcpProxy } from '../../helpers/tcpProxy.js';
import { type TcpSign, startTcpSign } from '../../helpers/tcpSign.js';

const SIGN_ID = 'tcp-node-sign';
const LED_TEXT = '网络屏测试：张堂村本周六停水一天';
/** The link's first reconnect delay; each failed one doubles it, up to the cap. */
const RECONNECT_INITIAL_MS = 250;
const RECONNECT_MAX_MS = 4_000;

let t: TestController;
let clients: { admin: ApiClient; editor: ApiClient; reviewer: ApiClient };
let emu: SignEmulator;
let sign: TcpSign;
let proxy: TcpProxy;
let nodeDir: string;
let node: RunningNode | null = null;
let nodeId = '';
/** Each fault's window [start, end] on the wall clock, for matching the outage records. */
const faults: { cut: [number, number] | null; stall: [number, number] | null } = { cut: null, stall: null };

const view = (): SignView | null => node?.signs()?.view(SIGN_ID) ?? null;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const showsNotice = () => emu.texts().some((text) => text.startsWith(LED_TEXT.slice(0, 8)));
/** The sign holds again what the node's driver says it shows (the demo town's notices rotate on it too). */
const restored = (): boolean => {
  const showing = view()?.showing;
  return !!showing && emu.texts().some((text) => text.startsWith(showing.text.slice(0, 8)));
};

describe('a TCP sign behind a village node, through cuts and stalls', () => {
  beforeAll(async () => {
    t = await startController();
    clients = await staff(t);
    const villageId = data((await clients.admin.post<{ id: string }>('/api/villages', { name: '网络屏村' })).body).id;
    emu = new SignEmulator({ protocol: 'bx', address: 1, width: 192, height: 32 });
    sign = await startTcpSign(emu);
    proxy = await startTcpProxy({ targetPort: sign.port });
    nodeDir = await mkdtemp(path.join(os.tmpdir(), 'gongshi-node-tcp-'));
    ({ node, nodeId } = await startPairedNode({
      url: t.url,
      dataDir: nodeDir,
      admin: clients.admin,
      villageId,
      name: '网络屏村节点',
      tuning: {
        signs: {
          // A health ping every 300 ms finds a silent sign quickly; the rest are the link's own rules.
          healthIntervalMs: 300,
          contentCheckMs: 0,
          tuning: { processingBudgetMs: 300, retries: 1, reconnectInitialMs: RECONNECT_INITIAL_MS, reconnectMaxMs: RECONNECT_MAX_MS },
        },
      },
    }));
    const saved = await clients.admin.request('PUT', `/api/signs/${SIGN_ID}/profile`, {
      name: '网络屏村村口屏',
      villageId,
      protocol: 'bx5k',
      address: 1,
      widthPx: 192,
      heightPx: 32,
      charset: 'gb2312',
      port: { path: `tcp://127.0.0.1:${proxy.port}`, baudRate: 9600 },
      node: nodeId,
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    const draft = data(
      (
        await clients.editor.post<Notice>('/api/notices', {
          target: { scope: 'villages', villageIds: [villageId] },
          title: '停水通知',
          body: '停水通知。详情见村务公开栏。',
          ledText: LED_TEXT,
        })
      ).body,
    );
    data((await clients.editor.post<Notice>(`/api/notices/${draft.id}/submit`)).body);
    data((await clients.reviewer.post<Notice>(`/api/notices/${draft.id}/approve`, { attestation: ATTESTATION })).body);
    await emu.waitFor(showsNotice, 60_000);
  }, 90_000);

  afterAll(async () => {
    await node?.stop();
    await proxy?.close();
    await sign?.kill();
    emu?.dispose();
    await t?.dispose();
    if (nodeDir) await rm(nodeDir, { recursive: true, force: true });
  });

  it('goes down when the connection is cut, retries with back-off while every connection is reset, and re-pushes the content once the path is back', async () => {
    const pushed = emu.stats().commands.text ?? 0;
    const cutAt = Date.now();
    proxy.cut();
    await poll(() => view()?.link === 'down', `the link never went down: ${JSON.stringify(view())}`);
    emu.reboot(); // the box behind lost power too: its RAM areas and clock are gone
    await sleep(6_000);
    // Every attempt reached the proxy, which reset it at once: the attempts must spread out, not hammer the path.
    const attempts = proxy.arrivals().filter((at) => at >= cutAt);
    const gaps = attempts.slice(1).map((at, i) => at - (attempts[i] ?? at));
    expect(attempts.length, `attempts ${gaps.join(', ')} ms apart`).toBeGreaterThanOrEqual(3);
    expect(attempts.length, `attempts ${gaps.join(', ')} ms apart`).toBeLessThanOrEqual(6);
    expect(gaps.at(-1) ?? 0, `attempts ${gaps.join(', ')} ms apart`).toBeGreaterThanOrEqual(3 * RECONNECT_INITIAL_MS);
    expect(view()?.link).not.toBe('up');
    expect(emu.texts()).toEqual([]);

    proxy.heal();
    const healedAt = Date.now();
    await poll(() => view()?.link === 'up' && view()?.reachable === true, `the link never came back: ${JSON.stringify(view())}`, 10_000);
    await poll(restored, () => `the content was never re-pushed: ${JSON.stringify({ texts: emu.texts(), view: view() })}`, 10_000);
    expect(emu.stats().commands.text ?? 0).toBeGreaterThan(pushed);
    expect(emu.state().clock, 'the clock was not set again after the reconnect').not.toBeNull();
    faults.cut = [cutAt, Date.now()];
    // Back within the cap of the back-off (plus a connect and the restore) of the path healing.
    expect(Date.now() - healedAt).toBeLessThan(RECONNECT_MAX_MS + 3_000);
  }, 40_000);

  it('finds a sign that stopped answering on an open connection, and re-pushes the content once it answers again', async () => {
    const pushed = emu.stats().commands.text ?? 0;
    const stallAt = Date.now();
    emu.unplug(); // the sign hears nothing and says nothing; the TCP connection stays open
    await poll(() => view()?.reachable === false, `the silent sign was never noticed: ${JSON.stringify(view())}`, 10_000);
    await sleep(3_000);
    expect(view()?.reachable).toBe(false);
    emu.reboot();
    emu.plug();
    const answersAt = Date.now();
    await poll(
      () => view()?.reachable === true && view()?.link === 'up',
      `the sign was never found again: ${JSON.stringify(view())}`,
      20_000,
    );
    await poll(restored, () => `the content was never re-pushed: ${JSON.stringify({ texts: emu.texts(), view: view() })}`, 10_000);
    expect(emu.stats().commands.text ?? 0).toBeGreaterThan(pushed);
    faults.stall = [stallAt, Date.now()];
    // The silent sign is probed with back-off from 1 s (bxDriver.ts): it is back within seconds of answering.
    expect(Date.now() - answersAt).toBeLessThan(RECONNECT_MAX_MS + 5_000);
  }, 40_000);

  it('puts each outage in the ledger as one sign.link-outage, exactly once', async () => {
    const cut = faults.cut;
    const stall = faults.stall;
    if (!cut || !stall) throw new Error('the cut and the stall must have run first');
    // Nothing else happens to the sign now: let the node upload everything it kept.
    await poll(
      async () => {
        const { records, acked } = await nodeOutbox(nodeDir);
        return records.some((r) => r.type === 'sign.link-outage' && r.start >= stall[0] - 1_000) && records.every((r) => acked.has(r.seq));
      },
      'the node never got its outage records acknowledged',
      20_000,
    );
    const { records } = await nodeOutbox(nodeDir);
    const ledger = (await ledgerRecords(t.dataDir)).filter((r) => r.nodeId === nodeId);
    const counts = new Map<string, number>();
    for (const r of ledger) counts.set(String(r.recordId), (counts.get(String(r.recordId)) ?? 0) + 1);
    for (const r of records) expect(counts.get(r.recordId), `record ${r.seq} (${r.type})`).toBe(1);

    const outages = ledger.filter((r) => r.type === 'sign.link-outage' && r.signId === SIGN_ID);
    const describe = JSON.stringify(outages.map((o) => ({ start: Number(o.start) - cut[0], end: Number(o.end) - cut[0], cause: o.cause })));
    expect(outages, `outages (ms after the cut): ${describe}`).toHaveLength(2);
    const within = (o: Record<string, unknown>, [from, to]: [number, number]) =>
      Number(o.start) >= from - 1_000 && Number(o.end) <= to + 1_000 && Number(o.end) > Number(o.start);
    expect(
      outages.filter((o) => within(o, cut)),
      describe,
    ).toHaveLength(1);
    expect(
      outages.filter((o) => within(o, stall)),
      describe,
    ).toHaveLength(1);
    // The cut lasted the whole time the path was cut (6 s and more): one outage, not one per failed attempt.
    const cutOutage = outages.find((o) => within(o, cut));
    expect(Number(cutOutage?.end) - Number(cutOutage?.start)).toBeGreaterThan(5_000);
    const downs = ledger.filter((r) => r.type === 'sign.link-down' && r.signId === SIGN_ID);
    expect(downs, JSON.stringify(downs.map((d) => Number(d.at) - cut[0]))).toHaveLength(2);
  }, 40_000);
});
