/**
 * Pairing as devices are added (issue 12 point 13): pairings per second with 100, 1,000 and 3,000 devices already
 * paired, through the real route (`POST /api/devices`, an admin creating a device link: a ledger record and a
 * state write, as a pairing by code makes). Each size is a controller of its own on a data directory whose
 * state.json already holds that many devices; 10 admins' requests at a time, as a busy install day would send.
 * Baseline: the same with 100 devices, so the ratio says how much a growing town slows pairing.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { hashPassword } from '../../controller/auth/passwords.js';
import { loadConfig } from '../../controller/config.js';
import { createLogger } from '../../controller/logger.js';
import { INITIAL_PASSWORD_FILE, createController, packageRoot } from '../../controller/main.js';
import type { DeviceRecord, State } from '../../controller/store/state.js';
import type { BenchOptions, BenchResult, Figures } from './bench.js';
import { monotonicMs, summarise } from './stats.js';

export const name = 'pairing';

const logger = createLogger({ level: 'silent' });
const PASSWORD = 'bench-password-pairing-1';

function config(dataDir: string) {
  return loadConfig(
    ['--port', '0', '--host', '127.0.0.1', '--data', dataDir, '--log-level', 'silent'],
    {},
    {
      cwd: process.cwd(),
      defaultWebDir: path.join(packageRoot(), 'dist/web'),
    },
  );
}

/** Pairings per second and per-pairing latency with `existing` devices in the state. */
async function measure(existing: number, pairings: number, concurrency: number): Promise<{ perSecond: number; latency: Figures }> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'gongshi-bench-pairing-'));
  try {
    // First start: the town, its villages and the admin account; then the devices, written as the state holds them.
    await (await createController(config(dataDir), { logger })).stop();
    await rm(path.join(dataDir, INITIAL_PASSWORD_FILE), { force: true });
    const file = path.join(dataDir, 'state.json');
    const state = JSON.parse(await readFile(file, 'utf8')) as State;
    const villages = state.villages.map((v) => v.id);
    const now = Date.now();
    for (let i = 0; i < existing; i++) {
      const device: DeviceRecord = {
        id: randomUUID(),
        kind: 'kiosk',
        name: `触摸屏${i}`,
        villageId: villages[i % villages.length] ?? 'v1',
        location: '村委会门口',
        demo: false,
        tokenHash: randomUUID().replace(/-/g, '').repeat(2),
        createdAt: now - i * 1000,
        lastSeenAt: now - i * 500,
        revokedAt: null,
        onHours: null,
      };
      state.devices.push(device);
    }
    const admin = state.users.find((u) => u.roles.includes('admin'));
    if (!admin) throw new Error('no admin account');
    admin.passwordHash = await hashPassword(PASSWORD, 10);
    admin.mustChangePassword = false;
    await writeFile(file, JSON.stringify(state));

    const controller = await createController(config(dataDir), { logger });
    try {
      const login = await fetch(`${controller.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: admin.username, password: PASSWORD }),
      });
      const cookie = login.headers
        .getSetCookie()
        .map((c) => c.split(';')[0])
        .join('; ');
      if (!login.ok) throw new Error(`sign-in answered ${login.status}`);
      const pairOne = async (i: number): Promise<number> => {
        const t0 = monotonicMs();
        const res = await fetch(`${controller.url}/api/devices`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', cookie },
          body: JSON.stringify({ name: `新屏${i}`, villageId: villages[Math.abs(i) % villages.length], kind: 'kiosk' }),
        });
        if (res.status !== 201) throw new Error(`pairing answered ${res.status}: ${await res.text()}`);
        return monotonicMs() - t0;
      };
      for (let i = 0; i < 5; i++) await pairOne(-1 - i); // warm-up
      const latencies: number[] = [];
      let next = 0;
      const t0 = monotonicMs();
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next < pairings) latencies.push(await pairOne(next++));
        }),
      );
      const seconds = (monotonicMs() - t0) / 1000;
      return { perSecond: pairings / seconds, latency: summarise(latencies) };
    } finally {
      await controller.stop();
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

export async function run(options: BenchOptions): Promise<BenchResult[]> {
  const pairings = options.quick ? 40 : 200;
  const concurrency = 10;
  const load0 = os.loadavg()[0] ?? 0;
  const baseline = await measure(100, pairings, concurrency);
  options.log(`  100 devices: ${baseline.perSecond.toFixed(1)} pairings/s`);
  const results: BenchResult[] = [];
  for (const existing of [100, 1000, 3000]) {
    const m = existing === 100 ? baseline : await measure(existing, pairings, concurrency);
    options.log(`  ${existing} devices: ${m.perSecond.toFixed(1)} pairings/s`);
    results.push({
      benchmark: `pairing with ${existing.toLocaleString('en-US')} devices paired`,
      n: existing,
      rounds: pairings,
      payloadBytes: 0,
      measured: m.latency,
      baseline: { name: 'the same with 100 devices paired', ...baseline.latency },
      notes: [
        `${m.perSecond.toFixed(1)} pairings/s (100 devices: ${baseline.perSecond.toFixed(1)}; ratio ${(m.perSecond / baseline.perSecond).toFixed(2)}×), ${concurrency} at a time; load average ${load0.toFixed(1)} → ${(os.loadavg()[0] ?? 0).toFixed(1)}`,
      ],
    });
  }
  return results;
}
