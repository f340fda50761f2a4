/**
 * The BX driver and its supervisor on MockBinding 10.2.2: answers arrive one
 * byte per read, faults come from the emulator, and unplugging rejects the
 * port's pending read the way a vanished USB adapter does.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SignEvent } from '../../../controller/domain/signs.js';
import { bxTextRequest, createBxDriver } from '../../../controller/led/bxDriver.js';
import { encodeBxRequest } from '../../../controller/led/bx/commands.js';
import { defaultHeader, encodeBxFrame } from '../../../controller/led/bx/frame.js';
import { SignEmulator } from '../../../controller/led/emulator/signEmulator.js';
import { SignBusyError, SignCharsetError, SignNackError, SignTimeoutError } from '../../../controller/led/errors.js';
import { type SerialLink, createSerialLink } from '../../../controller/led/link.js';
import { MockBinding, type MockSignLine, createMockSignLine } from '../../helpers/mockSign.js';
import { FAST, capturingLogger, content, eventually, profile } from './fixtures.js';
import { createBxAnswerReader } from '../../../controller/led/bx/answers.js';

const PATH = '/dev/ttyMOCK0';
let emu: SignEmulator;
let line: MockSignLine;
let link: SerialLink;
let driver: ReturnType<typeof createBxDriver>;
let events: SignEvent[];
let logs: ReturnType<typeof capturingLogger>['logs'];

beforeEach(async () => {
  MockBinding.reset();
  emu = new SignEmulator({ protocol: 'bx', address: 1, width: 192, height: 32 });
  emu.faults.fragment = true;
  line = createMockSignLine(PATH, [emu], { maxReadSize: 1 });
  const captured = capturingLogger();
  logs = captured.logs;
  const p = profile({ port: { path: PATH, baudRate: 57600 } });
  link = createSerialLink({
    answers: createBxAnswerReader,
    settings: { ...p.port, hupcl: true, dtr: null },
    binding: line.binding,
    logger: captured.logger,
    tuning: FAST,
    pathExists: line.present,
  });
  driver = createBxDriver({ profile: p, link, logger: captured.logger });
  events = [];
  driver.subscribe((e) => events.push(e));
  await link.start();
  await driver.restore(); // joins the restore that opening started: ping, clock, clear
  expect(emu.stats().commands).toMatchObject({ clock: 1, clear: 1 });
});

afterEach(async () => {
  driver.stop();
  await link.stop();
  emu.dispose();
  MockBinding.reset();
});

describe('BX driver on MockBinding', () => {
  it('sends exactly the encoded A3 06 frame, reads the ACK one byte at a time, and records the display as acknowledged', async () => {
    const c = content('关于低保资格复核的公示：请于十二月五日前到村委会确认。');
    const before = line.written().length;
    const delivery = await driver.show(c);
    const frame = encodeBxFrame({ header: defaultHeader(1), data: encodeBxRequest(bxTextRequest(c, profile(), true)) });
    expect(line.written().subarray(before).equals(frame)).toBe(true);
    expect(delivery).toMatchObject({ proof: 'acknowledged', attempts: 1, bytes: frame.length });
    expect(emu.visible(emu.state().areas[0]?.updatedAt)).toEqual(['关于低保资格复核的公示：', '请于十二月五日前到村委会']);
    expect(events.filter((e) => e.type === 'displayed')).toMatchObject([{ key: c.key, proof: 'acknowledged' }]);
    expect(driver.status().lastAckAt).toBe(delivery.at);
  });

  it('logs every frame at debug, as hex and decoded', async () => {
    await driver.ping();
    const out = logs.filter((l) => l.level === 'debug' && l.message.startsWith('→'));
    const inbound = logs.filter((l) => l.level === 'debug' && l.message.includes('← /dev/ttyMOCK0 from 1: ACK'));
    expect(out.at(-1)?.message).toMatch(/ping \[a5 a5 a5 a5 a5 a5 a5 a5 01 00 00 80 .* 5a\]$/);
    expect(inbound.length).toBeGreaterThan(0);
  });

  it('retries the same frame after a CRC NACK', async () => {
    emu.faults.corrupt = 1;
    const delivery = await driver.show(content('公示'));
    expect(delivery.attempts).toBe(2);
    expect(emu.texts()).toEqual([expect.stringMatching(/^公示/)]);
    expect(driver.status().counters).toMatchObject({ nacks: 1, retries: 1 });
  });

  it('retries after a timeout, then gives up with a typed error and marks the sign unreachable', async () => {
    emu.faults.drop = 1;
    expect((await driver.ping()).attempts).toBe(2);
    // A missed answer may have been a reboot: the driver restores (ping, clock, clear) before anything else.
    await eventually(() => expect(driver.status().counters.restores).toBe(2));
    await driver.restore();
    emu.faults.drop = 3;
    await expect(driver.ping()).rejects.toBeInstanceOf(SignTimeoutError);
    expect(driver.status()).toMatchObject({ reachable: false, lastError: { code: 'timeout' } });
    expect(driver.status().counters.timeouts).toBe(4);
  });

  it('backs off while the sign is busy, and reports busy as its own error when it stays busy', async () => {
    emu.faults.busy = 2;
    const started = Date.now();
    expect((await driver.ping()).attempts).toBe(3);
    // 20 ms, then 40 ms of back-off.
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
    emu.faults.busy = 10;
    await expect(driver.ping()).rejects.toBeInstanceOf(SignBusyError);
  });

  it('maps another NACK code to a typed error without retrying', async () => {
    const wrongLayout = profile({ port: { path: PATH, baudRate: 57600 }, a306Layout: 'without-area-count' });
    const other = createBxDriver({ profile: wrongLayout, link, logger: capturingLogger().logger });
    const error = await other.show(content('公示')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SignNackError);
    expect(error).toMatchObject({ errorCode: 18, message: expect.stringContaining('bad screen parameter') });
    other.stop();
  });

  it('refuses a character outside GB2312 before sending anything', async () => {
    const before = line.written().length;
    const error = await driver.show(content('村民王喆同志')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SignCharsetError);
    expect((error as SignCharsetError).unsupported).toEqual([{ index: 3, char: '喆', codePoint: 0x5586 }]);
    expect(line.written().length).toBe(before);
    expect(driver.status().desired).toBeNull();
  });

  it('notices an unplugged adapter, reconnects once the path is back, and re-sends the content', async () => {
    const c = content('停水通知');
    await driver.show(c);
    events.length = 0;
    const { ping = 0, clock = 0 } = emu.stats().commands;
    await line.unplug();
    await eventually(() => expect(driver.status().link).toBe('down'));
    expect(events.filter((e) => e.type === 'link').map((e) => (e as { state: string }).state)).toEqual(['down']);
    emu.reboot(); // the sign lost power meanwhile: its RAM area is gone
    expect(emu.texts()).toEqual([]);
    await new Promise((r) => setTimeout(r, 60));
    expect(driver.status().link).toBe('down'); // the path is still missing
    line.replug();
    await emu.waitFor((e) => e.texts()[0]?.startsWith('停水通知') ?? false);
    expect(emu.stats().commands).toMatchObject({ ping: ping + 1, clock: clock + 1 });
    await eventually(() => expect(driver.status()).toMatchObject({ link: 'up', showing: { key: c.key } }));
    // Down, not heard; up again, heard on its first answer (which ends the outage's record), then the content.
    expect(
      events.map((e) => (e.type === 'link' ? `link ${e.state}` : e.type === 'reachable' ? `reachable ${e.reachable}` : e.type)),
    ).toEqual(['link down', 'reachable false', 'link up', 'reachable true', 'displayed']);
  });
});
