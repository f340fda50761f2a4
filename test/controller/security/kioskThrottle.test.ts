/**
 * Guessing device tokens is throttled per client address (20 wrong tokens,
 * then a wait), and only the guesses: a kiosk with its right token is let in
 * from an address a forger has exhausted (issue 12 point 3), as many kiosks
 * share one address behind a village router or a 4G NAT. Behind a trusted
 * reverse proxy the address is the client's from X-Forwarded-For, as
 * express's req.ip gives it; without a trusted proxy a forged header changes
 * nothing.
 */
import { io, type Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { clientAddress } from '../../../controller/realtime/address.js';
import { KIOSK_AUTH_FAILURES } from '../../../controller/realtime/kiosk.js';
import { type TestController, pairDevice, staff, startController } from '../../helpers/controller.js';

const open: Socket[] = [];
afterEach(() => {
  for (const s of open.splice(0)) s.disconnect();
});

/** One kiosk handshake, as if forwarded for `client`; resolves 'connected' or the refusal message. */
function handshake(url: string, client: string, auth: { deviceId: string; token: string }): Promise<string> {
  const s = io(`${url}/kiosk`, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    auth,
    extraHeaders: { 'x-forwarded-for': client },
  });
  open.push(s);
  return new Promise((resolve) => {
    s.once('connect', () => resolve('connected'));
    s.once('connect_error', (e: Error) => resolve(e.message));
  });
}

/** One kiosk handshake with a wrong token, as if forwarded for `client`; resolves the refusal message. */
const wrongToken = (url: string, client: string): Promise<string> =>
  handshake(url, client, { deviceId: 'demo-kiosk-v1', token: 'x'.repeat(43) });

async function exhaust(url: string, client: string): Promise<string> {
  for (let i = 0; i < KIOSK_AUTH_FAILURES.burst; i++) {
    expect(await wrongToken(url, client)).toMatch(/^unauthorized/);
  }
  return wrongToken(url, client);
}

describe('clientAddress', () => {
  const loopback = (a: string) => a === '127.0.0.1';
  it('is the peer when no proxy is trusted, whatever the header says', () => {
    expect(clientAddress('127.0.0.1', '203.0.113.7', () => false)).toBe('127.0.0.1');
  });
  it('walks back through trusted hops only', () => {
    expect(clientAddress('127.0.0.1', '203.0.113.7', loopback)).toBe('203.0.113.7');
    // The client forged a first hop; the proxy appended the real one: only the hop the proxy saw counts.
    expect(clientAddress('127.0.0.1', '198.51.100.1, 203.0.113.7', loopback)).toBe('203.0.113.7');
    expect(clientAddress('127.0.0.1', ['198.51.100.1', '203.0.113.7'], (_a, i) => i < 2)).toBe('198.51.100.1');
    expect(clientAddress('127.0.0.1', undefined, loopback)).toBe('127.0.0.1');
    expect(clientAddress('10.0.0.9', '203.0.113.7', loopback)).toBe('10.0.0.9');
  });
});

describe('wrong device tokens through a reverse proxy', () => {
  let behindProxy: TestController;
  let direct: TestController;
  beforeAll(async () => {
    [behindProxy, direct] = await Promise.all([startController({ args: ['--trust-proxy', 'loopback'] }), startController()]);
  });
  afterAll(async () => {
    await Promise.all([behindProxy.dispose(), direct.dispose()]);
  });

  it('counts them per forwarded client when the proxy is trusted', async () => {
    expect(await exhaust(behindProxy.url, '203.0.113.7')).toMatch(/^rate_limited/);
    // Another villager's kiosk behind the same proxy is not held up by the guesser.
    expect(await wrongToken(behindProxy.url, '203.0.113.8')).toMatch(/^unauthorized/);
  });

  it('ignores the header when no proxy is trusted: a guesser cannot dodge the limit by forging it', async () => {
    for (let i = 0; i < KIOSK_AUTH_FAILURES.burst; i++) {
      expect(await wrongToken(direct.url, `198.51.100.${i + 1}`)).toMatch(/^unauthorized/);
    }
    expect(await wrongToken(direct.url, '198.51.100.200')).toMatch(/^rate_limited/);
  });
});

describe('a forger among real kiosks at one address', () => {
  let forged: TestController;
  beforeAll(async () => {
    forged = await startController();
  });
  afterAll(async () => {
    await forged.dispose();
  });

  it('lets a real kiosk in from the address a forger exhausted, and keeps refusing the forger', async () => {
    const { admin } = await staff(forged);
    const real = await pairDevice(admin, { villageId: 'v1', name: '彪角村 2 号屏' });
    const neighbour = await pairDevice(admin, { villageId: 'v1', name: '彪角村 3 号屏' });
    // The forger tries another device's id with made-up tokens, from the kiosks' own address.
    const forge = { deviceId: real.deviceId, token: 'y'.repeat(43) };
    for (let i = 0; i < KIOSK_AUTH_FAILURES.burst; i++) expect(await handshake(forged.url, '', forge)).toMatch(/^unauthorized/);
    expect(await handshake(forged.url, '', forge)).toMatch(/^rate_limited/);
    // A forger trying once a second against kiosks reconnecting: every real kiosk gets in, every forgery is refused.
    for (let round = 0; round < 10; round++) {
      expect(await handshake(forged.url, '', real)).toBe('connected');
      expect(await handshake(forged.url, '', forge)).toMatch(/^rate_limited/);
      expect(await handshake(forged.url, '', neighbour)).toBe('connected');
    }
    for (const s of open.splice(0)) s.disconnect();
  });
});
