/**
 * Profile changes restart only the affected sign: the signs service on three
 * emulated signs — two on one RS-485 line by address, one on its own port.
 * A change that leaves the port alone restarts that sign only; a change of the
 * shared port's settings reopens the port and restarts both signs on it; the
 * sign on the other port is never touched (no new ping, no reconnect).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEventBus } from '../../../controller/events.js';
import type { LogEntry } from '../../../controller/logger.js';
import { createEmulatorBinding, emulatedBus } from '../../../controller/led/emulator/memoryBinding.js';
import { SignEmulator } from '../../../controller/led/emulator/signEmulator.js';
import { type SignsService, createSignsService } from '../../../controller/services/signs.js';
import type { LedgerEntry } from '../../../controller/store/ledger.js';
import { type SignProfileStore, createSignProfileStore } from '../../../controller/store/signProfiles.js';
import { FAST, capturingLogger, eventually } from './fixtures.js';

const BUS = '/dev/ttyBUS';
const OWN = '/dev/ttyOWN';

function profileInput(id: string, address: number, portPath: string, extra: Record<string, unknown> = {}) {
  return {
    id,
    name: id,
    villageId: 'v1',
    protocol: 'bx5k',
    port: { path: portPath, baudRate: 57600 },
    address,
    widthPx: 192,
    heightPx: 32,
    charset: 'gb2312',
    ...extra,
  };
}

let dir: string;
let store: SignProfileStore;
let service: SignsService;
let emus: { a: SignEmulator; b: SignEmulator; c: SignEmulator };
let ledger: LedgerEntry[];
let logs: LogEntry[];
const offset = { ms: 0 };

const pings = (emu: SignEmulator) => emu.stats().commands.ping ?? 0;
const powers = (emu: SignEmulator) => emu.stats().commands.power ?? 0;

/**
 * A round trip to the sign through its port: answered only after whatever a
 * restart or a reopened port would have queued there first (restore ping,
 * the first tick's on/off), so a check that nothing happened is not vacuous.
 */
async function settled(id: string): Promise<void> {
  expect((await service.command(id, { type: 'power', on: true })).ok).toBe(true);
}

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'gongshi-signs-reload-'));
  store = createSignProfileStore({ dataDir: dir });
  await store.start();
  await store.save(profileInput('sign-a', 1, BUS));
  await store.save(profileInput('sign-b', 2, BUS));
  await store.save(profileInput('sign-c', 1, OWN));
  emus = {
    a: new SignEmulator({ protocol: 'bx', address: 1, width: 192, height: 32 }),
    b: new SignEmulator({ protocol: 'bx', address: 2, width: 192, height: 32 }),
    c: new SignEmulator({ protocol: 'bx', address: 1, width: 192, height: 32 }),
  };
  const lines = new Map([
    [BUS, emulatedBus([emus.a, emus.b])],
    [OWN, emus.c],
  ]);
  ledger = [];
  offset.ms = 0;
  const captured = capturingLogger();
  logs = captured.logs;
  service = createSignsService({
    profiles: store,
    playlists: { forTarget: () => ({ version: 'empty', generatedAt: 0, items: [], onHours: null }) },
    ledger: { append: (entries: readonly LedgerEntry[]) => (ledger.push(...entries), Promise.resolve([])) },
    bus: createEventBus(),
    clock: { now: () => Date.now() + offset.ms },
    logger: captured.logger,
    binding: createEmulatorBinding(lines),
    pathExists: (p) => lines.has(p),
    tuning: FAST,
    healthIntervalMs: 0,
    tickMs: 60_000,
    font: null,
  });
  await service.start();
  // Each sign restored once on connect (ping, clock, clear), and its power and brightness set by the first tick.
  await eventually(() => {
    for (const emu of Object.values(emus)) {
      expect(emu.stats().commands).toMatchObject({ ping: 1, clock: 1, clear: 1, power: 1, brightness: 1 });
    }
  });
});

afterEach(async () => {
  await service.stop();
  for (const emu of Object.values(emus)) emu.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe('signs service: applying profile changes', () => {
  it('restarts only the sign whose profile changed when its port settings stay the same', async () => {
    const before = Object.fromEntries(service.list().map((s) => [s.id, s.counters.reconnects]));
    await store.save(
      profileInput('sign-a', 1, BUS, { name: '新名字', brightness: { day: 9, night: 2, nightFrom: '19:00', nightTo: '06:30' } }),
    );
    await service.reload();

    const a = service.list().find((s) => s.id === 'sign-a');
    expect(a?.name).toBe('新名字');
    // The new driver for A sets its (new) brightness on the shared, still open, line.
    await eventually(() => expect(emus.a.stats().commands.brightness).toBe(2));
    expect(emus.a.state().brightness).toBeLessThanOrEqual(9);
    // B on the same line and C on its own port: no new ping, on/off, brightness or reconnect.
    await settled('sign-b');
    await settled('sign-c');
    for (const emu of [emus.b, emus.c]) {
      expect(pings(emu)).toBe(1);
      expect(powers(emu)).toBe(2);
      expect(emu.stats().commands.brightness).toBe(1);
    }
    expect(pings(emus.a)).toBe(1);
    for (const s of service.list()) expect(s.counters.reconnects).toBe(s.id === 'sign-a' ? 0 : before[s.id]);
    expect(service.list().map((s) => s.link)).toEqual(['up', 'up', 'up']);
  });

  it('reopens a port whose settings changed, restarting every sign on it and no other', async () => {
    await store.save(profileInput('sign-a', 1, BUS, { port: { path: BUS, baudRate: 57600, hupcl: false } }));
    await store.save(profileInput('sign-b', 2, BUS, { port: { path: BUS, baudRate: 57600, hupcl: false } }));
    await service.reload();

    // Both signs on the reopened line are restored (ping, clock, content) …
    await eventually(() => {
      expect(pings(emus.a)).toBe(2);
      expect(pings(emus.b)).toBe(2);
    });
    // … the sign on the other port is not.
    await settled('sign-c');
    expect(pings(emus.c)).toBe(1);
    expect(powers(emus.c)).toBe(2);
    expect(emus.c.stats().commands.brightness).toBe(1);
    expect(service.list().map((s) => [s.id, s.link])).toEqual([
      ['sign-c', 'up'],
      ['sign-a', 'up'],
      ['sign-b', 'up'],
    ]);
  });

  it('sends the daily clock sync of the shared BX line once, as a broadcast nobody answers; the lone sign gets its own', async () => {
    const acks = { a: emus.a.stats().acks, b: emus.b.stats().acks };
    offset.ms = 86_400_000 + 1000;
    service.refresh();
    await eventually(() => {
      for (const emu of Object.values(emus)) expect(emu.stats().commands.clock).toBe(2);
    });
    const broadcasts = emus.a.frameLog().filter((f) => f.dir === 'in' && f.hex.startsWith('a5a5a5a5a5a5a5a5feff'));
    expect(broadcasts.map((f) => f.decoded)).toEqual([expect.stringMatching(/^clock /)]);
    expect(emus.b.frameLog().filter((f) => f.hex.startsWith('a5a5a5a5a5a5a5a5feff'))).toHaveLength(1);
    // Neither card on the bus answered the broadcast; C (alone on its port) was synced with an ACK.
    expect(emus.a.stats().acks - acks.a).toBe(0);
    expect(emus.b.stats().acks - acks.b).toBe(0);
    expect(emus.c.frameLog().some((f) => f.hex.startsWith('a5a5a5a5a5a5a5a5feff'))).toBe(false);
  });

  it('a card on the line that missed the broadcast clock sync while silent gets its own when it answers again', async () => {
    emus.b.unplug();
    expect((await service.command('sign-b', { type: 'power', on: true })).ok).toBe(false);
    expect(service.view('sign-b')?.reachable).toBe(false);
    offset.ms = 86_400_000 + 1000;
    service.refresh();
    await eventually(() => {
      expect(emus.a.stats().commands.clock).toBe(2);
      expect(emus.c.stats().commands.clock).toBe(2);
    });
    expect(emus.b.stats().commands.clock).toBe(1);
    emus.b.plug();
    // Answering again, B is restored by its driver: ping, clock sync, content.
    expect((await service.command('sign-b', { type: 'power', on: true })).ok).toBe(true);
    await eventually(() => expect(emus.b.stats().commands).toMatchObject({ ping: 2, clock: 2 }));
    expect(service.view('sign-b')?.reachable).toBe(true);
    // The line counts as synced: no second broadcast on the next tick.
    service.refresh();
    await new Promise((r) => setImmediate(r));
    await settled('sign-a');
    expect(emus.a.stats().commands.clock).toBe(2);
    expect(emus.a.frameLog().filter((f) => f.dir === 'in' && f.hex.startsWith('a5a5a5a5a5a5a5a5feff'))).toHaveLength(1);
  });

  it('tries an on/off the sign did not take again on the next tick, instead of counting it as applied', async () => {
    // C restarts with a new profile; its first tick's on/off meets three CRC NACKs (the link's retries spent).
    emus.c.faults.corrupt = 3;
    await store.save(profileInput('sign-c', 1, OWN, { name: '改名' }));
    await service.reload();
    await eventually(() =>
      expect(logs.some((l) => l.level === 'warn' && /sign-c: on\/off failed, trying again/.test(l.message))).toBe(true),
    );
    // The same tick went on to the brightness, which went through.
    await eventually(() => expect(emus.c.stats().commands.brightness).toBe(2));
    expect(powers(emus.c)).toBe(1);
    service.refresh();
    await eventually(() => expect(powers(emus.c)).toBe(2));
    // Applied now: the next tick sends nothing more (the round trip proves that tick ran first).
    service.refresh();
    await new Promise((r) => setImmediate(r));
    expect((await service.command('sign-c', { type: 'brightness', level: 15 })).ok).toBe(true);
    expect(powers(emus.c)).toBe(2);
    expect(emus.c.stats().commands.brightness).toBe(3);
  });

  it('restarts an edited emulated sign with a fresh emulator on its own port', async () => {
    const emulated = { port: { path: 'emulated:e1', baudRate: 57600 }, emulated: true };
    await store.save(profileInput('sign-e', 1, 'emulated:e1', emulated));
    await service.reload();
    await eventually(() => expect(service.view('sign-e')).toMatchObject({ link: 'up', reachable: true }));
    await store.save(profileInput('sign-e', 1, 'emulated:e1', { ...emulated, name: '改名' }));
    await service.reload();
    await eventually(() => expect(service.view('sign-e')).toMatchObject({ name: '改名', link: 'up' }));
    expect(service.emulator('sign-e')).not.toBeNull();
    expect((await service.command('sign-e', { type: 'test-pattern' })).ok).toBe(true);
    expect(service.emulator('sign-e')?.texts()[0]).toMatch(/测试TEST/);
    for (const emu of Object.values(emus)) expect(pings(emu)).toBe(1);
  });

  it('removing a sign stops it alone and records sign.removed', async () => {
    expect(await service.remove('sign-b', 'u-admin')).toBe(true);
    expect(service.list().map((s) => s.id)).toEqual(['sign-a', 'sign-c']);
    expect(ledger.some((e) => e.type === 'sign.removed' && e.signId === 'sign-b')).toBe(true);
    // A still answers on the line it shared with B.
    expect((await service.command('sign-a', { type: 'brightness', level: 3 })).ok).toBe(true);
    expect(emus.a.state().brightness).toBe(3);
    await settled('sign-c');
    for (const emu of [emus.a, emus.c]) expect(pings(emu)).toBe(1);
    expect(powers(emus.c)).toBe(2);
  });
});
