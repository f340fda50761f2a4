/**
 * Signs over TCP (`tcp://host:port`): a BX network card or a serial device
 * server with the sign emulator behind a real TCP listener, reached through
 * the fleet (registry + transport choice) with the same supervision as a
 * serial port: through a cut connection, a killed and restarted listener and
 * a stalled path, the link reconnects with back-off and the driver pings,
 * syncs the clock and re-pushes the content.
 */
import { SerialPort } from 'serialport';
import { afterEach, describe, expect, it } from 'vitest';
import { SignEmulator } from '../../../controller/led/emulator/signEmulator.js';
import { type FleetDriver, type PortEntry, driverFor } from '../../../controller/led/fleet.js';
import { parseSignProfile } from '../../../controller/protocol/signProfile.js';
import { type TcpProxy, startTcpProxy } from '../../helpers/tcpProxy.js';
import { type TcpSign, startTcpSign } from '../../helpers/tcpSign.js';
import { capturingLogger, content, eventually, profile } from './fixtures.js';

let emu: SignEmulator;
let sign: TcpSign;
let proxy: TcpProxy | null = null;
let ports: Map<string, PortEntry>;
let driver: FleetDriver | null = null;

const TUNING = { processingBudgetMs: 250, retries: 1, busyRetries: 2, busyBackoffMs: 20, reconnectInitialMs: 30, reconnectMaxMs: 300 };

async function setUp(options: { viaProxy: boolean; healthIntervalMs?: number }) {
  emu = new SignEmulator({ protocol: 'bx', address: 1, width: 192, height: 32 });
  sign = await startTcpSign(emu);
  proxy = options.viaProxy ? await startTcpProxy({ targetPort: sign.port }) : null;
  const address = proxy ? `tcp://127.0.0.1:${proxy.port}` : sign.address;
  ports = new Map();
  const built = driverFor(profile({ port: { path: address, baudRate: 9600 } }), ports, {
    logger: capturingLogger().logger,
    now: Date.now,
    binding: SerialPort.binding,
    font: null,
    tuning: TUNING,
    healthIntervalMs: options.healthIntervalMs ?? 0,
    contentCheckMs: 0,
    tcpConnectTimeoutMs: 1000,
  });
  if (!built) throw new Error('no driver');
  driver = built.driver;
  await built.port.link.start();
  await eventually(() => expect(driver?.status().link).toBe('up'));
  await driver.restore();
  await driver.show(content('停水通知：明天八点至十二点'));
  expect(emu.texts()[0]).toMatch(/^停水通知/);
  return built.port;
}

afterEach(async () => {
  driver?.stop();
  driver = null;
  for (const port of ports?.values() ?? []) await port.link.stop();
  await proxy?.close();
  proxy = null;
  await sign?.kill();
  emu?.dispose();
});

const restored = (before: number) => () => {
  expect(emu.texts()[0]).toMatch(/^停水通知/);
  expect(emu.stats().commands.text ?? 0).toBeGreaterThan(before);
};

describe('LED signs over TCP', () => {
  it('accepts tcp://host:port as a sign address and refuses a bad one naming the field', () => {
    expect(profile({ port: { path: 'tcp://192.168.1.50:5005', baudRate: 9600 } }).port.path).toBe('tcp://192.168.1.50:5005');
    expect(profile({ port: { path: 'tcp://[fd00::7]:5005', baudRate: 9600 } }).port.path).toBe('tcp://[fd00::7]:5005');
    for (const bad of ['tcp://host', 'tcp://host:0', 'tcp://host:70000', 'tcp://:5005', 'tcp://a b:5005', 'udp://x:1']) {
      expect(() => parseSignProfile({ ...profile(), port: { path: bad, baudRate: 9600 } })).toThrow(/port\.path: must be/);
    }
  });

  it('drives a BX card over TCP: ping, clock, content, acknowledged', async () => {
    await setUp({ viaProxy: false });
    expect(emu.state().clock).not.toBeNull();
    expect(driver?.status()).toMatchObject({ link: 'up', reachable: true, showing: { proof: 'acknowledged' } });
    expect(driver?.status().counters.acks).toBe(driver?.status().counters.framesSent);
  });

  it('reconnects after the connection is cut and re-pushes what the sign lost', async () => {
    await setUp({ viaProxy: true });
    const texts = emu.stats().commands.text ?? 0;
    proxy?.cut();
    await eventually(() => expect(driver?.status().link).toBe('down'));
    emu.reboot(); // the box behind lost power too: its RAM areas are gone
    proxy?.heal();
    await eventually(() => expect(driver?.status().link).toBe('up'), 5000);
    await eventually(restored(texts), 5000);
    expect(emu.state().clock).not.toBeNull();
    expect(driver?.status().counters.reconnects).toBeGreaterThanOrEqual(1);
  });

  it('backs off while the listener is gone, and restores the sign when it listens again', async () => {
    await setUp({ viaProxy: false });
    const texts = emu.stats().commands.text ?? 0;
    const accepted = sign.accepted();
    await sign.kill();
    emu.reboot();
    await eventually(() => expect(driver?.status().link).toBe('down'));
    // Refused connections while it is away: the link keeps trying with back-off, and does not give up.
    await new Promise((r) => setTimeout(r, 400));
    expect(driver?.status().link).not.toBe('up');
    await sign.start();
    await eventually(() => expect(driver?.status().link).toBe('up'), 5000);
    await eventually(restored(texts), 5000);
    expect(sign.accepted()).toBe(accepted + 1);
  });

  it('finds a stalled path by its unanswered pings, reconnects, and restores the sign once the path flows again', async () => {
    await setUp({ viaProxy: true, healthIntervalMs: 150 });
    const texts = emu.stats().commands.text ?? 0;
    const accepted = sign.accepted();
    proxy?.stall(); // nothing is closed: only unanswered requests can tell
    await eventually(() => expect(driver?.status().reachable).toBe(false), 5000);
    emu.reboot();
    // A socket that stays silent through two failed requests is dropped and opened anew (a DTU's dead carrier).
    await eventually(() => expect(proxy?.connections()).toBeGreaterThanOrEqual(1), 5000);
    await eventually(() => expect(driver?.status().counters.reconnects).toBeGreaterThanOrEqual(1), 5000);
    proxy?.heal();
    await eventually(() => expect(driver?.status().reachable).toBe(true), 5000);
    await eventually(restored(texts), 5000);
    expect(sign.accepted()).toBeGreaterThan(accepted);
  });
});
