/**
 * A sign that reboots while the link stays up (RS-232/485 has no carrier to
 * lose): its RAM areas are wiped and nothing on the wire says so, since a
 * font card's answers carry no boot counter. The driver notices a reboot that
 * makes the sign miss an answer (health ping → timeout → retry answered) and
 * restores at once; a reboot too short to miss anything is repaired by the
 * periodic content check. On MockBinding with one-byte reads.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createBxDriver } from '../../../controller/led/bxDriver.js';
import { SignEmulator } from '../../../controller/led/emulator/signEmulator.js';
import { type SerialLink, createSerialLink } from '../../../controller/led/link.js';
import { MockBinding, createMockSignLine } from '../../helpers/mockSign.js';
import { FAST, capturingLogger, content, eventually, profile } from './fixtures.js';
import { createBxAnswerReader } from '../../../controller/led/bx/answers.js';

const PATH = '/dev/ttyMOCKR';
let emu: SignEmulator;
let link: SerialLink;
let driver: ReturnType<typeof createBxDriver>;

async function setUp(options: { healthIntervalMs: number; contentCheckMs: number }) {
  MockBinding.reset();
  emu = new SignEmulator({ protocol: 'bx', address: 1, width: 192, height: 32 });
  const line = createMockSignLine(PATH, [emu], { maxReadSize: 1 });
  const { logger } = capturingLogger();
  const p = profile({ port: { path: PATH, baudRate: 57600 } });
  link = createSerialLink({
    settings: { ...p.port },
    binding: line.binding,
    logger,
    tuning: FAST,
    pathExists: line.present,
    answers: createBxAnswerReader,
  });
  driver = createBxDriver({ profile: p, link, logger, ...options });
  await link.start();
  await driver.restore();
  await driver.show(content('停水通知：明天八点至十二点'));
  expect(emu.texts()[0]).toMatch(/^停水通知/);
}

afterEach(async () => {
  driver?.stop();
  await link?.stop();
  emu?.dispose();
  MockBinding.reset();
});

describe('sign reboot without a link drop', () => {
  it('re-sends the content within the content-check period after a reboot no request noticed', async () => {
    await setUp({ healthIntervalMs: 0, contentCheckMs: 300 });
    const sent = emu.stats().commands.text ?? 0;
    emu.reboot(); // RAM areas wiped; the sign answers again at once
    expect(emu.texts()).toEqual([]);
    expect(driver.status().link).toBe('up');
    await emu.waitFor((e) => e.texts()[0]?.startsWith('停水通知') ?? false, 3000);
    expect(emu.stats().commands.text).toBe(sent + 1);
    // The same content at the same proof level: one display interval, not a new one per check.
    expect(driver.status().showing).toMatchObject({ proof: 'acknowledged' });
  });

  it('restores at once (ping, clock, content) when a reboot makes the sign miss a health ping', async () => {
    await setUp({ healthIntervalMs: 100, contentCheckMs: 0 });
    const { ping = 0, clock = 0 } = emu.stats().commands;
    const restores = driver.status().counters.restores;
    emu.reboot(150); // off the line for 150 ms: the next ping's first attempt goes unanswered
    await emu.waitFor((e) => e.texts()[0]?.startsWith('停水通知') ?? false, 5000);
    expect(driver.status().counters.timeouts).toBeGreaterThan(0);
    expect(driver.status().counters.restores).toBe(restores + 1);
    expect(emu.stats().commands.clock).toBe(clock + 1);
    expect(emu.stats().commands.ping).toBeGreaterThan(ping);
    await eventually(() => expect(driver.status()).toMatchObject({ reachable: true, link: 'up' }));
  });

  it('does not re-send while nothing was missed and no check is due', async () => {
    await setUp({ healthIntervalMs: 50, contentCheckMs: 0 });
    const sent = emu.stats().commands.text ?? 0;
    await eventually(() => expect(emu.stats().commands.ping ?? 0).toBeGreaterThanOrEqual(4));
    expect(emu.stats().commands.text).toBe(sent);
    expect(driver.status().counters.restores).toBe(1);
  });
});
