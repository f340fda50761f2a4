/**
 * A village node through days without the town: the real node program as a
 * child process on an injected clock (test/helpers/nodeClockEntry.ts), the
 * controller on the same virtual clock, the uplink through a TCP fault proxy
 * and a BX sign emulator behind a real pty. With the uplink cut, the clock is
 * moved on by days: the sign's rotation, night brightness and on/off hours
 * follow the stored schedule, also after a SIGKILL and a restart of the
 * node; once the uplink is back every proof interval is in the ledger exactly
 * once, in controller time. A second node whose machine clock is an hour
 * fast keeps its intervals in controller time, and its clock is flagged.
 */
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeviceView, Notice } from '../../../controller/protocol/index.js';
import { type ApiClient, type TestController, data, staff, startController } from '../../helpers/controller.js';
import {
  type NodeProcess,
  type PtySign,
  allAcknowledged,
  expectEachOnceInLedger,
  ledgerRecords,
  nodeDataDir,
  nodeOutbox,
  nodeVillage,
  openPtySign,
  pairAsNode,
  poll,
  publishToVillage,
  saveNodeSign,
  startNodeProcess,
} from '../../helpers/node.js';
import { hasSocat } from '../../helpers/pty.js';
import { type TcpProxy, startTcpProxy } from '../../helpers/tcpProxy.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const CST = 8 * HOUR;

/** The virtual clock both the controller and the node run on: real time moved on by `shift`. */
let shift = 0;
const virtualNow = () => Date.now() + shift;
/** Midnight (China time) of the day after today, so that every virtual time lies ahead of real time. */
const dayD = Math.floor((Date.now() + CST) / DAY) * DAY - CST + DAY;
/** The virtual instant `day` days after day D at `hh:mm` China time. */
const at = (day: number, hh: number, mm = 0) => dayD + day * DAY + hh * HOUR + mm * 60_000;

let t: TestController;
let clients: { admin: ApiClient; editor: ApiClient; reviewer: ApiClient };
let proxy: TcpProxy;
let sign: PtySign;
let nodeDir: string;
let node: NodeProcess | null = null;
let nodeId = '';
let villageId = '';

/** Moves the controller's and the node's clocks to `target` (never backwards). */
async function moveTo(target: number): Promise<void> {
  const next = target - Date.now();
  expect(next).toBeGreaterThanOrEqual(shift);
  shift = next;
  await node?.shiftClock(shift);
}

const publish = (title: string, ledText: string, posting: object): Promise<Notice> =>
  publishToVillage(clients, villageId, { title, ledText, posting });

/** The texts the sign put up during `ms` of real time (every change, not only the last). */
async function textsDuring(ms: number): Promise<Set<string>> {
  const seen = new Set<string>(sign.emu.texts());
  const off = sign.emu.onChange(() => {
    for (const text of sign.emu.texts()) seen.add(text);
  });
  await new Promise((r) => setTimeout(r, ms));
  off();
  return seen;
}

const WATER = '张堂村本周六停水一天';
const INSURANCE = '医保缴费截止本月底';
const shows = (texts: Iterable<string>, prefix: string) => [...texts].some((x) => x.startsWith(prefix));

describe.skipIf(!hasSocat())('a village node offline for days on an injected clock', () => {
  beforeAll(async () => {
    shift = at(0, 10) - Date.now();
    t = await startController({ clock: { now: virtualNow } });
    clients = await staff(t);
    villageId = await nodeVillage(clients.admin, '离线村');
    proxy = await startTcpProxy({ targetPort: t.controller.port });
    sign = await openPtySign(57600, virtualNow);
    nodeDir = await nodeDataDir('offline');
  }, 60_000);

  afterAll(async () => {
    await node?.kill9();
    await proxy?.close();
    await t?.dispose();
    await sign?.close();
    if (nodeDir) await rm(nodeDir, { recursive: true, force: true });
  });

  it('rotates, dims and switches the sign by its stored schedule through days without the town and a restart, then uploads every interval exactly once', async () => {
    node = startNodeProcess(`http://127.0.0.1:${proxy.port}`, nodeDir, { clockShiftMs: shift });
    nodeId = await pairAsNode(clients.admin, await node.code(), villageId, '离线村节点');
    await poll(() => node!.output().includes('connected to the controller'), `the node never connected:\n${node.output()}`);
    const saved = await saveNodeSign(clients.admin, 'offline-sign', {
      name: '离线村村口屏',
      villageId,
      nodeId,
      port: { path: sign.pair.host, baudRate: 57600 },
      extra: { onHours: { on: '07:00', off: '21:00' }, brightness: { day: 15, night: 3, nightFrom: '19:00', nightTo: '06:30' } },
    });
    expect(saved.status).toBe(200);
    // One notice for day D only (1 calendar day), one long-term.
    await publish('停水通知', WATER, { rule: { kind: 'calendar_days', days: 1 } });
    await publish('医保缴费通知', INSURANCE, { rule: { kind: 'long_term' } });
    await sign.emu.waitFor((e) => shows(e.texts(), WATER) || shows(e.texts(), INSURANCE), 60_000);
    await poll(() => sign.emu.state().brightness === 15, 'day brightness was never set');

    // The uplink is cut: from here on the node has only its stored schedule.
    proxy.cut();
    await poll(() => node!.output().includes('lost the controller'), 'the node never noticed the cut');

    // Day D, 19:30: both notices rotate, at night brightness.
    await moveTo(at(0, 19, 30));
    await poll(() => sign.emu.state().brightness === 3, 'night brightness was never set offline', 20_000);
    // The demo town’s town-wide notices rotate too: a whole round is four turns of 5 s (watched for six, on a busy machine).
    const evening = await textsDuring(30_000);
    expect(shows(evening, WATER), [...evening].join(' | ')).toBe(true);
    expect(shows(evening, INSURANCE), [...evening].join(' | ')).toBe(true);
    expect(sign.emu.state().power).toBe(true);

    // 22:00: off hours.
    await moveTo(at(0, 22));
    await poll(() => !sign.emu.state().power, 'the sign was never switched off at 21:00', 20_000);

    // The node is killed and started again, still without the town, two days on.
    await node.kill9();
    await moveTo(at(2, 9));
    node = startNodeProcess(`http://127.0.0.1:${proxy.port}`, nodeDir, { clockShiftMs: shift });
    await poll(
      () => sign.emu.state().power && sign.emu.state().brightness === 15,
      'the restarted node never switched the sign on by day',
      30_000,
    );
    // Day D+2: the one-day notice has ended; only the long-term one rotates.
    await sign.emu.waitFor((e) => shows(e.texts(), INSURANCE), 30_000);
    const later = await textsDuring(12_000);
    expect(shows(later, INSURANCE)).toBe(true);
    expect(shows(later, WATER), [...later].join(' | ')).toBe(false);

    // Day D+3, 20:00: still right, and then the uplink comes back.
    await moveTo(at(3, 20));
    await poll(() => sign.emu.state().brightness === 3, 'night brightness was never set on day D+3', 20_000);
    const cutFrom = at(0, 10);
    proxy.heal();
    clients = await staff(t);
    await allAcknowledged(nodeDir, () => node?.output() ?? '', 60_000);

    // Every record the node kept is in the ledger exactly once.
    const { records, ledger } = await expectEachOnceInLedger(nodeDir, t.dataDir, nodeId);
    expect(new Set(records.map((r) => r.seq)).size).toBe(records.length);

    // In controller time: the intervals lie in the virtual days, the outage spans them.
    const displays = ledger.filter((r) => r.type === 'sign.display');
    expect(displays.length).toBeGreaterThan(2);
    for (const d of displays) {
      expect(Number(d.start)).toBeGreaterThanOrEqual(cutFrom - 60_000);
      expect(Number(d.end)).toBeLessThanOrEqual(virtualNow());
      expect(d.clockTrusted).toBe(true);
    }
    // Shown on day D+2 and later: only the long-term notice.
    const ofDay2 = displays.filter((d) => Number(d.end) > at(1, 0));
    expect(ofDay2.length).toBeGreaterThan(0);
    const outage = ledger.find((r) => r.type === 'node.uplink-outage');
    expect(outage, JSON.stringify(ledger.map((r) => r.type))).toBeDefined();
    expect(Number(outage?.end) - Number(outage?.start)).toBeGreaterThan(3 * DAY);
  }, 240_000);

  it('keeps intervals in controller time when the node machine’s clock is an hour fast, and flags the clock', async () => {
    await node?.kill9();
    node = startNodeProcess(`http://127.0.0.1:${proxy.port}`, nodeDir, { clockShiftMs: shift + HOUR });
    const hourFast = node;
    await poll(() => hourFast.output().includes('connected to the controller'), 'the node never came back');
    await poll(
      async () => {
        const devices = data((await clients.admin.get<DeviceView[]>('/api/devices')).body);
        const view = devices.find((d) => d.id === nodeId);
        return view?.online === true && view.status !== null && Math.abs(view.status.clockOffsetMs - HOUR) < 60_000;
      },
      'the admin never showed the node’s clock an hour off',
      20_000,
    );
    const before = virtualNow();
    // A few cards of each notice: the sign rotates every 5 s once the day comes. Then past the end of their period of
    // the town's day (08:00–12:00), so the node closes the intervals it coalesced them into and uploads them.
    await moveTo(at(4, 10));
    await new Promise((r) => setTimeout(r, 15_000));
    await moveTo(at(4, 12, 1));
    await poll(
      async () => {
        const { records, acked } = await nodeOutbox(nodeDir);
        return records.some((r) => r.type === 'sign.display' && r.end >= at(4, 10)) && records.every((r) => acked.has(r.seq));
      },
      `the hour-fast node never uploaded its intervals:\n${hourFast.output()}`,
      30_000,
    );
    const ledger = await ledgerRecords(t.dataDir);
    const fresh = ledger.filter((r) => r.nodeId === nodeId && r.type === 'sign.display' && Number(r.end) >= at(4, 10));
    expect(fresh.length).toBeGreaterThan(0);
    for (const d of fresh) {
      // Controller time, not the node machine's (an hour ahead).
      expect(Number(d.start)).toBeGreaterThanOrEqual(before - 60_000);
      expect(Number(d.end)).toBeLessThanOrEqual(virtualNow() + 5_000);
    }
    const skew = ledger.filter((r) => r.type === 'device.clock-skew' && r.deviceId === nodeId);
    expect(skew.length).toBeGreaterThan(0);
  }, 120_000);
});
