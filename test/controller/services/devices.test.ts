/**
 * The device service on real state and ledger files with a fake clock: the
 * offline alert rises when a device stays away longer than the town allows
 * (and the admin is told, without anyone reloading), and clears when it
 * comes back; pairing codes expire.
 */
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEventBus } from '../../../controller/events.js';
import { createLogger } from '../../../controller/logger.js';
import type { Device } from '../../../controller/protocol/index.js';
import { PAIRING_TTL_MS, createDeviceService } from '../../../controller/services/devices.js';
import { createLedger } from '../../../controller/store/ledger.js';
import { createStateStore } from '../../../controller/store/state.js';

const logger = createLogger({ level: 'silent' });
const T0 = 1_795_000_000_000;
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'gongshi-devices-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function setup() {
  let now = T0;
  const clock = { now: () => now };
  const store = createStateStore({ dataDir: dir, logger, now: clock.now });
  await store.start();
  const ledger = createLedger({ dataDir: dir, logger, now: clock.now });
  await ledger.start();
  await store.update((s) => {
    s.villages.push({ id: 'v1', name: '彪角村' });
    s.settings = { ...s.settings, offlineAlertMinutes: 30 };
    s.devices.push({
      id: 'k1',
      kind: 'kiosk',
      name: '一号',
      villageId: 'v1',
      demo: false,
      tokenHash: 'x',
      createdAt: T0,
      lastSeenAt: null,
    });
  });
  const bus = createEventBus();
  const events: Device[] = [];
  bus.on('device:status-changed', (d) => events.push(d));
  const devices = createDeviceService({ store, ledger, bus, clock, logger, flushIntervalMs: 20 });
  devices.start();
  const tick = () => new Promise((resolve) => setTimeout(resolve, 60));
  const stop = async () => {
    await devices.stop();
    await ledger.stop();
    await store.stop();
  };
  return { devices, events, tick, stop, advance: (ms: number) => (now += ms) };
}

async function ledgerRecords(): Promise<{ type: string; [field: string]: unknown }[]> {
  const files = (await readdir(path.join(dir, 'ledger'))).sort();
  const lines = (await Promise.all(files.map((f) => readFile(path.join(dir, 'ledger', f), 'utf8')))).join('').split('\n');
  return lines.filter(Boolean).map((l) => JSON.parse(l) as { type: string });
}

async function ledgerTypes(): Promise<string[]> {
  return (await ledgerRecords()).map((r) => r.type);
}

describe('device service', () => {
  it('raises the offline alert after the configured time, tells the admin, and clears it when the device is back', async () => {
    const { devices, events, tick, stop, advance } = await setup();
    try {
      devices.markOnline('k1');
      devices.markOffline('k1');
      advance(29 * 60_000);
      await tick();
      expect(devices.get('k1')?.offlineAlert).toBe(false);
      events.length = 0;
      advance(2 * 60_000);
      await tick();
      expect(devices.get('k1')?.offlineAlert).toBe(true);
      expect(events.filter((e) => e.id === 'k1' && e.offlineAlert)).toHaveLength(1);
      await tick();
      expect(events.filter((e) => e.id === 'k1' && e.offlineAlert)).toHaveLength(1); // raised once, not every tick
      devices.markOnline('k1');
      await tick();
      expect(devices.get('k1')?.offlineAlert).toBe(false);
      expect(events.at(-1)).toMatchObject({ id: 'k1', online: true, offlineAlert: false });
      await expect.poll(ledgerTypes).toEqual(expect.arrayContaining(['device.online', 'device.offline', 'device.offline-alert']));
    } finally {
      await stop();
    }
  });

  it('records an outage once its grace has passed, from when the device went, and nothing for a reconnect within it', async () => {
    const { devices, tick, stop, advance } = await setup();
    try {
      devices.markOnline('k1');
      for (let i = 0; i < 300; i++) {
        devices.markOffline('k1');
        advance(20_000);
        await Promise.resolve();
        devices.markOnline('k1');
      }
      await tick();
      expect((await ledgerTypes()).filter((t) => t.startsWith('device.'))).toEqual(['device.online']);
      devices.markOffline('k1');
      const went = T0 + 300 * 20_000;
      advance(61_000);
      await tick();
      // Still away: the outage is in the ledger while it lasts, from when the device went.
      await expect
        .poll(ledgerRecords)
        .toEqual(
          expect.arrayContaining([expect.objectContaining({ type: 'device.offline', deviceId: 'k1', at: went, reason: 'disconnected' })]),
        );
      advance(60 * 60_000);
      devices.markOnline('k1');
      await tick();
      const records = (await ledgerRecords()).filter((r) => r.type === 'device.online' || r.type === 'device.offline');
      expect(records.map((r) => [r.type, r.at ?? r.offlineSince ?? null])).toEqual([
        ['device.online', null],
        ['device.offline', went],
        ['device.online', went],
      ]);
    } finally {
      await stop();
    }
  });

  it('expires pairing codes, and a code pairs one device only', async () => {
    const { devices, stop, advance } = await setup();
    try {
      const offer = devices.offerPairing();
      if (!offer.ok) throw new Error(offer.message);
      advance(PAIRING_TTL_MS + 1);
      expect(devices.claimPairing(offer.data.claim)).toMatchObject({ ok: false, error: 'not_found' });
      const fresh = devices.offerPairing();
      if (!fresh.ok) throw new Error(fresh.message);
      const actor = { id: 'u-admin' };
      const [first, second] = await Promise.all([
        devices.pair({ code: fresh.data.code, name: 'A', villageId: 'v1', location: '', kind: 'kiosk' }, actor),
        devices.pair({ code: fresh.data.code, name: 'B', villageId: 'v1', location: '', kind: 'kiosk' }, actor),
      ]);
      expect([first.ok, second.ok].sort()).toEqual([false, true]);
      expect(devices.list().filter((d) => d.name === 'A' || d.name === 'B')).toHaveLength(1);
    } finally {
      await stop();
    }
  });
});
