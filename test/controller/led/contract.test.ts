/**
 * One contract, every driver: the fake, BX and EQ (each on MockBinding with an
 * emulated sign), and a real sign when SIGN_TEST_PORT names its port
 * (SIGN_TEST_PROTOCOL bx5k|bx6k|eq2013|eq2023, SIGN_TEST_ADDRESS, SIGN_TEST_BAUD,
 * SIGN_TEST_SIZE e.g. 192x32; defaults bx5k, 1, 9600, 192x32).
 */
import { SerialPort } from 'serialport';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type SignDriver, type SignEvent, applySignEvent } from '../../../controller/domain/signs.js';
import { createBxDriver } from '../../../controller/led/bxDriver.js';
import { SignEmulator } from '../../../controller/led/emulator/signEmulator.js';
import { EQ_DIALECTS } from '../../../controller/led/eq/codec.js';
import { createEqDriver } from '../../../controller/led/eqDriver.js';
import { SignCharsetError, SignError } from '../../../controller/led/errors.js';
import { createFakeDriver } from '../../../controller/led/fakeDriver.js';
import { type SerialLink, createSerialLink } from '../../../controller/led/link.js';
import type { SignProtocolName } from '../../../controller/protocol/signProfile.js';
import { MockBinding, createMockSignLine } from '../../helpers/mockSign.js';
import { FAST, capturingLogger, content, profile } from './fixtures.js';
import { ledProtocol } from '../../../controller/led/protocols.js';

interface Subject {
  driver: SignDriver;
  /** What the far end holds, when it can be seen. */
  shown: (() => string[]) | null;
  stop(): Promise<void>;
}

function serialSubject(
  protocol: SignProtocolName,
  make: () => { link: SerialLink; emu: SignEmulator | null; line?: string },
): () => Promise<Subject> {
  return async () => {
    const { link, emu } = make();
    const p = profile({ protocol, port: { path: link.path, baudRate: 57600 }, address: protocol.startsWith('eq') ? 5 : 1 });
    const { logger } = capturingLogger();
    const driver = protocol.startsWith('eq')
      ? createEqDriver({ profile: p, dialect: EQ_DIALECTS[protocol === 'eq2023' ? 'eq2023' : 'eq2013'], link, logger })
      : createBxDriver({ profile: p, link, logger });
    await link.start();
    await driver.restore();
    return {
      driver,
      shown: emu ? () => emu.texts() : null,
      async stop() {
        driver.stop();
        await link.stop();
        emu?.dispose();
      },
    };
  };
}

function mockSubject(protocol: SignProtocolName): () => Promise<Subject> {
  return serialSubject(protocol, () => {
    MockBinding.reset();
    const eq = protocol.startsWith('eq');
    const emu = new SignEmulator({ protocol, address: eq ? 5 : 1, width: 192, height: 32 });
    const line = createMockSignLine('/dev/ttyCONTRACT', [emu]);
    const { logger } = capturingLogger();
    const link = createSerialLink({
      answers: ledProtocol(protocol).answers,
      settings: { path: line.path, baudRate: 57600, dataBits: 8, parity: 'none', stopBits: 1, hupcl: true, dtr: null },
      binding: line.binding,
      logger,
      tuning: FAST,
      pathExists: line.present,
    });
    return { link, emu };
  });
}

const SUBJECTS: [string, () => Promise<Subject>][] = [
  [
    'fake',
    () => {
      const driver = createFakeDriver({ id: 'sign-1', charset: 'gb2312' });
      return Promise.resolve({ driver, shown: null, stop: () => Promise.resolve() });
    },
  ],
  ['bx5k on MockBinding', mockSubject('bx5k')],
  ['eq2013 on MockBinding', mockSubject('eq2013')],
];

const realPort = process.env.SIGN_TEST_PORT;
if (realPort) {
  const protocol = (process.env.SIGN_TEST_PROTOCOL ?? 'bx5k') as SignProtocolName;
  const [w = 192, h = 32] = (process.env.SIGN_TEST_SIZE ?? '192x32').split('x').map(Number);
  SUBJECTS.push([
    `${protocol} on ${realPort}`,
    serialSubject(protocol, () => {
      const p = profile({
        protocol,
        widthPx: w,
        heightPx: h,
        port: { path: realPort, baudRate: Number(process.env.SIGN_TEST_BAUD ?? 9600) as 9600 },
      });
      const link = createSerialLink({
        settings: { ...p.port },
        binding: SerialPort.binding,
        logger: capturingLogger().logger,
        answers: ledProtocol(protocol).answers,
      });
      return { link, emu: null };
    }),
  ]);
}

describe.each(SUBJECTS)('SignDriver contract: %s', (_name, make) => {
  let subject: Subject;
  let events: SignEvent[];

  beforeEach(async () => {
    subject = await make();
    events = [];
    subject.driver.subscribe((e) => events.push(e));
  });

  afterEach(async () => {
    await subject.stop();
  });

  it('show resolves with the driver’s proof level and reports what is displayed', async () => {
    const c = content('村务公开：本季度收支明细已张贴', 'hash-a');
    const delivery = await subject.driver.show(c);
    expect(delivery.proof).toBe(subject.driver.proofLevel);
    expect(subject.driver.status()).toMatchObject({ desired: c, showing: { key: 'hash-a', proof: subject.driver.proofLevel } });
    expect(events).toContainEqual(expect.objectContaining({ type: 'displayed', key: 'hash-a', proof: subject.driver.proofLevel }));
    if (subject.shown) expect(subject.shown().join('')).toContain('村务公开');
  });

  it('refuses characters outside the sign’s charset before sending, and keeps what it had', async () => {
    await subject.driver.show(content('原通知', 'hash-old'));
    const error = await subject.driver.show(content('喆', 'hash-new')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SignCharsetError);
    expect(subject.driver.status().desired?.key).toBe('hash-old');
    if (subject.shown) expect(subject.shown().join('')).toContain('原通知');
  });

  it('clear ends the display; the ledger bookkeeping closes one interval', async () => {
    await subject.driver.show(content('公示', 'hash-b'));
    await subject.driver.clear();
    expect(subject.driver.status()).toMatchObject({ desired: null, showing: null });
    let state = {};
    const closed = events.flatMap((e) => {
      const r = applySignEvent(state, e);
      state = r.state;
      return r.closed;
    });
    expect(closed).toMatchObject([{ signId: subject.driver.id, key: 'hash-b', proof: subject.driver.proofLevel, endReason: 'cleared' }]);
    if (subject.shown) expect(subject.shown().join('').trim()).toBe('');
  });

  it('restore re-sends the desired content', async () => {
    await subject.driver.show(content('复核公示', 'hash-c'));
    await subject.driver.restore();
    expect(subject.driver.status().showing?.key).toBe('hash-c');
    if (subject.shown) expect(subject.shown().join('')).toContain('复核公示');
  });

  it('brightness, power and clock either work or say they are unsupported; a bad level is refused', async () => {
    for (const call of [
      () => subject.driver.setBrightness(5),
      () => subject.driver.setPower(true),
      () => subject.driver.syncClock(Date.now()),
    ]) {
      const outcome = await call().then(
        (d) => d.proof,
        (e: unknown) => (e instanceof SignError ? e.code : String(e)),
      );
      expect([subject.driver.proofLevel, 'unsupported']).toContain(outcome);
    }
    const bad = await subject.driver.setBrightness(16).catch((e: unknown) => (e as SignError).code);
    expect(['invalid_argument', 'unsupported']).toContain(bad);
    await expect(subject.driver.ping()).resolves.toMatchObject({ proof: subject.driver.proofLevel });
  });
});
