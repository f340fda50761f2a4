/**
 * Reconnects do not grow the ledger (issue 12 point 10): connectivity is
 * recorded as intervals, so a kiosk that drops and comes back within the
 * town's grace writes nothing, and a real outage is its start and its end,
 * which the compliance report's coverage folds into one outage. Connects are
 * limited per device, a right token or a demo kiosk from this machine alike.
 * A real controller, real socket.io clients, a clock the test moves.
 */
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEVICE_CONNECT_LIMIT } from '../../../controller/realtime/deviceGate.js';
import { applyCoverage, emptyCoverage } from '../../../controller/reports/projection/coverage.js';
import type { LedgerRecord } from '../../../controller/store/ledger.js';
import {
  type ApiClient,
  type KioskClient,
  type TestController,
  connectKiosk,
  data,
  pairDevice,
  staff,
  startController,
} from '../../helpers/controller.js';

let t: TestController;
let admin: ApiClient;
let shift = 0;
const now = (): number => Date.now() + shift;

beforeAll(async () => {
  t = await startController({ args: ['--demo', 'on'], clock: { now } });
  ({ admin } = await staff(t));
});
afterAll(async () => {
  await t?.dispose();
});

async function ledger(): Promise<LedgerRecord[]> {
  const dir = path.join(t.dataDir, 'ledger');
  const records: LedgerRecord[] = [];
  for (const file of (await readdir(dir)).sort()) {
    for (const line of (await readFile(path.join(dir, file), 'utf8')).split('\n')) if (line) records.push(JSON.parse(line) as LedgerRecord);
  }
  return records;
}

const connectivity = async (deviceId: string): Promise<LedgerRecord[]> =>
  (await ledger()).filter((r) => r.deviceId === deviceId && (r.type === 'device.online' || r.type === 'device.offline'));

/** Connects and resolves 'connected' (the socket then closed) or the refusal message. */
function cycle(auth: { deviceId: string; token?: string }): Promise<string> {
  const socket: KioskClient = connectKiosk(t.url, auth);
  return new Promise((resolve) => {
    socket.once('server:hello', () => {
      socket.disconnect();
      resolve('connected');
    });
    socket.once('connect_error', (e: Error) => {
      socket.close();
      resolve(e.message);
    });
  });
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

describe('reconnects', () => {
  it('300 connect/disconnect cycles within the grace write one record, and a real outage is seen with its start and end', async () => {
    const auth = await pairDevice(admin, { villageId: 'v1', name: '重连测试屏' });
    const answers: string[] = [];
    for (let i = 0; i < 300; i++) {
      answers.push(await cycle(auth));
      shift += 5_000; // back within seconds each time, and the connect limit refills
    }
    expect(answers.filter((a) => a !== 'connected')).toEqual([]);
    await settle();
    const flapping = await connectivity(auth.deviceId);
    expect(flapping.map((r) => r.type)).toEqual(['device.online']);

    // A real outage: away ten minutes, then back.
    const went = now();
    shift += 10 * 60_000;
    const back = now();
    expect(await cycle(auth)).toBe('connected');
    await settle();
    const after = await connectivity(auth.deviceId);
    expect(after.slice(1)).toMatchObject([
      { type: 'device.offline', at: expect.closeTo(went, -3) as number, reason: 'disconnected' },
      { type: 'device.online', offlineSince: expect.closeTo(went, -3) as number },
    ]);
    expect(after.length).toBeLessThanOrEqual(3);

    // What the compliance report folds: one outage, from when the kiosk went to when it was back.
    const cov = emptyCoverage();
    for (const record of await ledger()) applyCoverage(cov, record);
    const outages = cov.outages.get(auth.deviceId) ?? [];
    expect(outages.filter((o) => o.cause === 'offline')).toHaveLength(1);
    expect(outages[0]!.from).toBeGreaterThanOrEqual(went - 6_000);
    expect(outages[0]!.from).toBeLessThanOrEqual(went);
    expect(outages[0]!.to).toBeGreaterThanOrEqual(back);
    expect(outages[0]!.to).toBeLessThan(back + 5_000);
  });

  it('limits connects per device with the right token: a loop is refused after the burst and written nowhere', async () => {
    const auth = await pairDevice(admin, { villageId: 'v1', name: '循环重连屏' });
    const answers: string[] = [];
    for (let i = 0; i < 300; i++) answers.push(await cycle(auth));
    const connected = answers.filter((a) => a === 'connected').length;
    expect(connected).toBeGreaterThanOrEqual(DEVICE_CONNECT_LIMIT.burst);
    expect(connected).toBeLessThan(DEVICE_CONNECT_LIMIT.burst + 10);
    expect(answers.at(-1)).toMatch(/^rate_limited: this kiosk connects too often; wait \d+ s/);
    await settle();
    expect((await connectivity(auth.deviceId)).length).toBeLessThanOrEqual(1);
    // Another kiosk is not held up by it.
    const other = await pairDevice(admin, { villageId: 'v1', name: '旁边的屏' });
    expect(await cycle(other)).toBe('connected');
    // Once it waits, it is let in again.
    shift += 60_000;
    expect(await cycle(auth)).toBe('connected');
  });

  it('holds a demo kiosk on this machine, which needs no token, to the same limit', async () => {
    const data0 = data((await admin.get<{ id: string; demo: boolean }[]>('/api/devices')).body);
    const demo = data0.find((d) => d.demo);
    if (!demo) throw new Error('the demo town has no demo kiosk');
    const answers: string[] = [];
    for (let i = 0; i < 60; i++) answers.push(await cycle({ deviceId: demo.id }));
    expect(answers.filter((a) => a === 'connected').length).toBeLessThan(DEVICE_CONNECT_LIMIT.burst + 10);
    expect(answers.at(-1)).toMatch(/^rate_limited/);
  });
});
