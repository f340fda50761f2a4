/**
 * A controller killed (kill -9) while a kiosk is connected, started again two
 * hours later (its clock moved ahead, see fixtures/offsetController.ts): the
 * start records `controller.restarted` and the kiosk's `device.offline`
 * (reason controller-restart) once, the kiosk's reconnection writes one
 * `device.online`, and the compliance report names the two hours
 * `controller_down` for that kiosk instead of `no_proof`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFile, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type Ack,
  type ComplianceReport,
  type DisplayReportResult,
  type Playlist,
  addCalendarDays,
  civilDateOf,
} from '../../../controller/protocol/index.js';
import { ApiClient, type KioskClient, connectKiosk, data, initialPassword, makeDataDir, nextEvent } from '../../helpers/controller.js';

const H = 3_600_000;
const KIOSK = 'demo-kiosk-v1';
const children: ChildProcess[] = [];
let dir = '';

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function start(dataDir: string, offsetMs: number): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'test/controller/reports/fixtures/offsetController.ts',
      '--port',
      '0',
      '--host',
      '127.0.0.1',
      '--data',
      dataDir,
      '--log-level',
      'warn',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, GONGSHI_TEST_CLOCK_OFFSET_MS: String(offsetMs) } },
  );
  children.push(child);
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`controller did not start: ${out}`)), 25_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /controller-url (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`controller exited with ${code}: ${out}`)));
  });
  return { child, url };
}

async function ledger(dataDir: string): Promise<Record<string, unknown>[]> {
  const ledgerDir = path.join(dataDir, 'ledger');
  const records: Record<string, unknown>[] = [];
  for (const name of (await readdir(ledgerDir)).filter((n) => n.endsWith('.jsonl')).sort()) {
    for (const line of (await readFile(path.join(ledgerDir, name), 'utf8')).split('\n'))
      if (line) records.push(JSON.parse(line) as Record<string, unknown>);
  }
  return records;
}

const exited = (child: ChildProcess): Promise<unknown> =>
  new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r(null) : child.once('exit', r)));

async function connected(url: string): Promise<{ socket: KioskClient; item: Playlist['items'][number] }> {
  const socket = connectKiosk(url, { deviceId: KIOSK });
  const [playlist] = await nextEvent<[Playlist]>(socket, 'playlist:updated', () => true, 15_000);
  const item = playlist.items[0];
  if (!item) throw new Error(`${KIOSK} has nothing to show`);
  return { socket, item };
}

describe('kill -9 with a kiosk connected, then a restart', () => {
  it('records the kiosk offline from the last sign of life and reports the downtime as controller_down', async () => {
    dir = await makeDataDir();
    const first = await start(dir, 0);
    const { socket, item } = await connected(first.url);
    // One receipt, acknowledged (so durable, with the device.online written before it).
    const shownUntil = Date.now();
    const ack: Ack<DisplayReportResult> = await socket.timeout(10_000).emitWithAck('display:report', {
      receipts: [
        {
          kind: 'display',
          receiptId: randomUUID(),
          clockTrusted: true,
          noticeId: item.noticeId,
          contentHash: item.contentHash,
          startedAt: shownUntil - 60_000,
          endedAt: shownUntil,
        },
      ] as never,
    });
    expect(data(ack).recorded).toHaveLength(1);
    const killedAt = Date.now();
    first.child.kill('SIGKILL');
    await exited(first.child);
    socket.close();

    const before = await ledger(dir);
    expect(before.filter((r) => r.type === 'device.online' && r.deviceId === KIOSK)).toHaveLength(1);
    expect(before.filter((r) => r.type === 'device.offline' && r.deviceId === KIOSK)).toHaveLength(0);

    // Two hours later by the controller's clock.
    const second = await start(dir, 2 * H);
    const restartedAt = killedAt + 2 * H;
    const again = await connected(second.url);
    const admin = new ApiClient(second.url);
    await admin.login('admin', await initialPassword(dir));
    const day = civilDateOf(killedAt);
    const res = await admin.get<ComplianceReport>(`/api/reports/compliance?from=${day}&to=${addCalendarDays(day, 1)}&village=v1`);
    const report = data(res.body);

    const after = (await ledger(dir)).slice(before.length);
    const restarted = after.filter((r) => r.type === 'controller.restarted');
    expect(restarted).toHaveLength(1);
    const lastAliveAt = restarted[0]!.lastAliveAt as number;
    expect(lastAliveAt).toBeGreaterThanOrEqual(shownUntil);
    expect(lastAliveAt).toBeLessThanOrEqual(killedAt);
    const offline = after.filter((r) => r.type === 'device.offline' && r.deviceId === KIOSK);
    expect(offline).toEqual([expect.objectContaining({ reason: 'controller-restart', at: lastAliveAt })]);
    // The reconnection is one device.online, after the restart's records.
    const online = after.filter((r) => r.type === 'device.online' && r.deviceId === KIOSK);
    expect(online).toHaveLength(1);
    expect(after.indexOf(online[0]!)).toBeGreaterThan(after.indexOf(offline[0]!));

    const row = report.rows.find((r) => r.noticeId === item.noticeId);
    const kiosk = row?.devices.find((d) => d.deviceId === KIOSK);
    expect(kiosk, `${KIOSK} in the report of notice ${item.noticeId}`).toBeDefined();
    const down = kiosk!.gaps.filter((g) => g.cause === 'controller_down');
    expect(down).toHaveLength(1);
    expect(down[0]!.from).toBe(lastAliveAt);
    expect(down[0]!.to).toBeGreaterThanOrEqual(restartedAt);
    expect(down[0]!.to).toBeLessThan(Date.now() + 2 * H);
    // None of the downtime is put down to the kiosk.
    expect(kiosk!.gaps.filter((g) => g.cause !== 'controller_down' && g.from < down[0]!.to && g.to > down[0]!.from)).toEqual([]);
    expect(row!.reasons.find((r) => r.code === 'controller_down')).toMatchObject({ devices: expect.any(Number) });

    again.socket.close();
    second.child.kill('SIGTERM');
    await exited(second.child);
  }, 60_000);
});
