/**
 * The supervisor and the BX driver over a real socat pty pair, with the sign
 * emulator on the far end of the pair (real serialport binding on both ends,
 * wire time emulated at 57600 baud since a pty ignores baud).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { SerialPortStream } from '@serialport/stream';
import { SerialPort } from 'serialport';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SignEvent } from '../../../controller/domain/signs.js';
import { createBxDriver } from '../../../controller/led/bxDriver.js';
import { SignEmulator, attachBus } from '../../../controller/led/emulator/signEmulator.js';
import { SignCharsetError } from '../../../controller/led/errors.js';
import { type SerialLink, createSerialLink } from '../../../controller/led/link.js';
import type { SignProfile } from '../../../controller/protocol/signProfile.js';
import { type PtyPair, hasSocat, openPtyPair } from '../../helpers/pty.js';
import { FAST, capturingLogger, content, eventually, profile } from './fixtures.js';
import { createBxAnswerReader } from '../../../controller/led/bx/answers.js';

const BAUD = 57600;
let dir: string;
let pair: PtyPair;
let signPort: SerialPortStream | null;
let link: SerialLink;
let drivers: ReturnType<typeof createBxDriver>[];
let emus: SignEmulator[];
let detachBus: (() => void) | null;

async function openSignEnd(at: string): Promise<SerialPortStream> {
  const port = new SerialPortStream({ binding: SerialPort.binding, path: at, baudRate: BAUD, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(e) : resolve())));
  port.on('error', () => undefined); // the far end vanishing is part of some tests
  return port;
}

async function closePort(port: SerialPortStream | null): Promise<void> {
  if (port?.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
}

function emulator(address: number): SignEmulator {
  return new SignEmulator({ protocol: 'bx', address, width: 192, height: 32, baudRate: BAUD, processingMs: 2 });
}

async function setup(
  addresses: number[],
  options: { healthIntervalMs?: number } = {},
): Promise<{ profiles: SignProfile[]; events: SignEvent[] }> {
  emus = addresses.map(emulator);
  signPort = await openSignEnd(pair.sign);
  detachBus = attachBus(signPort, emus);
  const { logger } = capturingLogger();
  const profiles = addresses.map((address) => profile({ id: `sign-${address}`, address, port: { path: pair.host, baudRate: BAUD } }));
  const first = profiles[0]!;
  link = createSerialLink({
    settings: { ...first.port, hupcl: true, dtr: null },
    binding: SerialPort.binding,
    logger,
    tuning: FAST,
    answers: createBxAnswerReader,
  });
  drivers = profiles.map((p) => createBxDriver({ profile: p, link, logger, ...options }));
  const events: SignEvent[] = [];
  for (const d of drivers) d.subscribe((e) => events.push(e));
  await link.start();
  await Promise.all(drivers.map((d) => d.restore()));
  events.length = 0;
  return { profiles, events };
}

describe.skipIf(!hasSocat())('BX over a socat pty pair', () => {
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'gongshi-pty-'));
    pair = await openPtyPair({ linkDir: dir });
    signPort = null;
    detachBus = null;
    drivers = [];
    emus = [];
  });

  afterEach(async () => {
    for (const d of drivers) d.stop();
    await link?.stop();
    detachBus?.();
    for (const e of emus) e.dispose();
    await closePort(signPort);
    await pair.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('shows a notice, and retries after a CRC NACK and after a timeout', async () => {
    await setup([1]);
    const [driver] = drivers;
    const [emu] = emus;
    await driver!.show(content('关于2026年度城乡居民医疗保险集中缴费的通知'));
    expect(emu!.texts()[0]).toMatch(/^关于2026年度城乡居民医疗保险集中缴费的通知/);
    emu!.faults.corrupt = 1;
    expect((await driver!.show(content('冬季森林防火提示'))).attempts).toBe(2);
    emu!.faults.drop = 1;
    expect((await driver!.show(content('宋营村道路硬化工程招标结果公示'))).attempts).toBe(2);
    expect(emu!.texts()[0]).toMatch(/^宋营村道路硬化工程招标结果公示/);
    expect(driver!.status().counters).toMatchObject({ nacks: 1, timeouts: 1, retries: 2 });
  });

  it('backs off while the sign is busy, and skips line noise before the answer', async () => {
    await setup([1]);
    emus[0]!.faults.busy = 2;
    emus[0]!.faults.noise = Buffer.from([0x00, 0xa5, 0x13, 0x5a, 0xff]);
    const delivery = await drivers[0]!.show(content('张堂村低保对象动态调整公示'));
    expect(delivery.attempts).toBe(3);
    expect(drivers[0]!.status().counters.busy).toBe(2);
    expect(link.stats().badFrames + link.stats().strayFrames).toBeGreaterThan(0);
  });

  it('answers slower than the timeout: the retry with the same frame gets the ACK', async () => {
    await setup([1]);
    emus[0]!.faults.delay = { count: 1, ms: link.timeoutFor(200) + 50 };
    const delivery = await drivers[0]!.show(content('彪角村2026年第三季度村务财务公开'));
    expect(delivery.attempts).toBe(2);
  });

  it('unplugged: notices the lost link, reconnects when the device is back, and re-sends the content', async () => {
    const { events } = await setup([1], { healthIntervalMs: 50 });
    const c = content('停电通知：明日8时至12时检修线路');
    await drivers[0]!.show(c);
    // Pull the cable: socat goes away and both pty paths with it; the next write fails with EIO.
    detachBus?.();
    await pair.close();
    await closePort(signPort);
    await eventually(() => expect(link.state()).toBe('down'), 5000);
    emus[0]!.reboot();
    // Plug it back in on the same paths.
    pair = await openPtyPair({ linkDir: dir });
    signPort = await openSignEnd(pair.sign);
    detachBus = attachBus(signPort, emus);
    await emus[0]!.waitFor((e) => e.texts()[0]?.startsWith('停电通知') ?? false, 8000);
    await eventually(() => expect(drivers[0]!.status().showing?.key).toBe(c.key));
    const linkStates = events.filter((e) => e.type === 'link').map((e) => (e as { state: string }).state);
    // However many close events the failed write caused, the link went down once and came up once.
    expect(linkStates).toEqual(['down', 'up']);
    expect(link.stats().reconnects).toBe(1);
  }, 20_000);

  it('sign reboot: the health ping finds it silent, and when it answers again the content is re-sent', async () => {
    const { events } = await setup([1], { healthIntervalMs: 40 });
    await drivers[0]!.show(content('冬季森林防火和安全用火提示'));
    // Off for longer than a ping with all its retries takes, as a real power cut is.
    emus[0]!.reboot(link.timeoutFor(20) * 3 + 400);
    expect(emus[0]!.texts()).toEqual([]);
    await eventually(() => expect(drivers[0]!.status().reachable).toBe(false), 5000);
    await emus[0]!.waitFor((e) => e.texts()[0]?.startsWith('冬季森林防火') ?? false, 8000);
    expect(events.filter((e) => e.type === 'reachable').map((e) => (e as { reachable: boolean }).reachable)).toEqual([false, true]);
    expect(emus[0]!.stats().commands.clock).toBe(2);
  }, 20_000);

  it('counts frames and answers per request when requests overlap: never more ACKs than the sign sent', async () => {
    await setup([1]);
    const [driver] = drivers;
    const [emu] = emus;
    const before = driver!.status().counters;
    const heard = emu!.stats().framesForMe;
    const acked = emu!.stats().acks;
    // Five requests at once: each waits for the one before it on the line.
    await Promise.all([
      driver!.show(content('自12月8日起，张堂村自来水管网改造停水三天')),
      driver!.ping(),
      driver!.syncClock(Date.now()),
      driver!.setBrightness(9),
      driver!.ping(),
    ]);
    const after = driver!.status().counters;
    expect(after.framesSent - before.framesSent).toBe(emu!.stats().framesForMe - heard);
    expect(after.acks - before.acks).toBe(emu!.stats().acks - acked);
    expect(after.acks - before.acks).toBe(5);
  });

  it('a clear the sign never acknowledged: reports what it last acknowledged with the clear pending, and clears it once it answers', async () => {
    await setup([1]);
    const [driver] = drivers;
    const [emu] = emus;
    await driver!.show(content('宋营村道路硬化工程招标结果公示'));
    emu!.faults.drop = 1000; // silent: every frame is lost
    await expect(driver!.clear()).rejects.toMatchObject({ code: 'timeout' });
    expect(emu!.texts()[0]).toMatch(/^宋营村道路硬化工程招标结果公示/); // the withdrawn text is still up
    const status = driver!.status();
    expect(status.reachable).toBe(false);
    expect(status.showing).toMatchObject({ text: '宋营村道路硬化工程招标结果公示', proof: 'acknowledged' });
    expect(status.pending).toMatchObject({ change: 'clear' });
    emu!.faults.drop = 0;
    // The probe finds it again and the restore sends the clear, not the withdrawn text.
    await emu!.waitFor((e) => e.texts().length === 0, 5000);
    await eventually(() => expect(driver!.status()).toMatchObject({ reachable: true, showing: null, pending: null }));
  });

  it('a sign that fell silent is probed from 1 s on: its content is back within 5 s of it answering again', async () => {
    await setup([1]); // no health ping: only the probe can find it again
    const [driver] = drivers;
    const [emu] = emus;
    await driver!.show(content('冬季森林防火提示'));
    emu!.faults.drop = 1000;
    await expect(driver!.ping()).rejects.toMatchObject({ code: 'timeout' });
    emu!.reboot(); // it lost its RAM areas while silent
    emu!.faults.drop = 0;
    await emu!.waitFor((e) => e.texts()[0]?.startsWith('冬季森林防火提示') ?? false, 5000);
    await eventually(() =>
      expect(driver!.status()).toMatchObject({ reachable: true, showing: { text: '冬季森林防火提示' }, pending: null }),
    );
  });

  it('two signs on one line, told apart by address', async () => {
    await setup([1, 2]);
    await drivers[0]!.show(content('一号屏：村务公开'));
    await drivers[1]!.show(content('二号屏：党务公开'));
    expect(emus[0]!.texts()[0]).toMatch(/^一号屏/);
    expect(emus[1]!.texts()[0]).toMatch(/^二号屏/);
    expect(emus[0]!.stats().commands.text).toBe(1);
    expect(emus[1]!.stats().commands.text).toBe(1);
  });

  it('a GB2312-only sign refuses a GBK-only character before anything is sent', async () => {
    await setup([1]);
    const before = emus[0]!.stats().framesReceived;
    const error = await drivers[0]!.show(content('表彰王堃同志')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SignCharsetError);
    expect((error as Error).message).toContain('“堃” (U+5803) at 3');
    await new Promise((r) => setTimeout(r, 50));
    expect(emus[0]!.stats().framesReceived).toBe(before);
  });
});
