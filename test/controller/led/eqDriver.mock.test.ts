/** The EQ driver on MockBinding: no answer, proof "sent", periodic re-send, re-send after a reconnect. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SignEvent } from '../../../controller/domain/signs.js';
import { SignEmulator } from '../../../controller/led/emulator/signEmulator.js';
import { EQ_DIALECTS } from '../../../controller/led/eq/codec.js';
import { createEqDriver } from '../../../controller/led/eqDriver.js';
import { type SerialLink, createSerialLink } from '../../../controller/led/link.js';
import { MockBinding, type MockSignLine, createMockSignLine } from '../../helpers/mockSign.js';
import { FAST, capturingLogger, content, eventually, profile } from './fixtures.js';

const PATH = '/dev/ttyEQ0';
let emu: SignEmulator;
let line: MockSignLine;
let link: SerialLink;
let driver: ReturnType<typeof createEqDriver>;
let events: SignEvent[];

beforeEach(async () => {
  MockBinding.reset();
  emu = new SignEmulator({ protocol: 'eq2023', address: 7, width: 128, height: 32 });
  line = createMockSignLine(PATH, [emu]);
  const { logger } = capturingLogger();
  const p = profile({ protocol: 'eq2023', address: 7, widthPx: 128, port: { path: PATH, baudRate: 9600 } });
  link = createSerialLink({
    answers: null,
    settings: { ...p.port, hupcl: true, dtr: null },
    binding: line.binding,
    logger,
    tuning: FAST,
    pathExists: line.present,
  });
  driver = createEqDriver({ profile: p, dialect: EQ_DIALECTS.eq2023, link, logger, refreshIntervalMs: 60 });
  events = [];
  driver.subscribe((e) => events.push(e));
  await link.start();
  await driver.restore();
});

afterEach(async () => {
  driver.stop();
  await link.stop();
  emu.dispose();
  MockBinding.reset();
});

describe('EQ driver on MockBinding', () => {
  it('writes one !#…$$ frame in the EQ2023 dialect (colour %1–%3, CR LF line breaks) and records the display as sent', async () => {
    const before = line.written().length;
    const delivery = await driver.show(content('停水通知：明天上午八点到十二点停水'));
    const wire = line.written().subarray(before).toString('latin1');
    // EQ2023 documents colour and text only: no area, effect or delete codes.
    expect(wire.startsWith('!#007%1')).toBe(true);
    expect(wire).not.toMatch(/%Z/);
    expect(wire.endsWith('$$')).toBe(true);
    expect(wire).toContain('\r\n');
    expect(delivery).toMatchObject({ proof: 'sent', attempts: 1 });
    // 128 px: eight hanzi a line, broken with CR LF by the project's own wrap.
    expect(emu.texts()[0]?.split('\r\n')).toEqual(['停水通知：明天上', '午八点到十二点停', '水']);
    expect(events.filter((e) => e.type === 'displayed')).toMatchObject([{ proof: 'sent' }]);
  });

  it('re-sends periodically, so a sign that rebooted catches up without a new display interval', async () => {
    await driver.show(content('防汛通知'));
    emu.reboot();
    await emu.waitFor((e) => e.texts()[0] === '防汛通知', 2000);
    expect(events.filter((e) => e.type === 'displayed')).toHaveLength(1);
  });

  it('writes % and $ full-width instead of breaking the frame', async () => {
    await driver.show(content('利率上调0.5%，费用$10'));
    await eventually(() => expect(emu.texts()[0]?.replace(/\r\n/g, '')).toBe('利率上调0.5％，费用＄10'));
  });
});
