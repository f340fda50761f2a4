/**
 * Guessing device tokens is throttled per client address (20 wrong tokens,
 * then a wait). Behind a trusted reverse proxy the address is the client's
 * from X-Forwarded-For, as express's req.ip gives it, so one guesser cannot
 * lock every kiosk behind the proxy out; without a trusted proxy a forged
 * header changes nothing.
 */
import { io, type Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { clientAddress } from '../../../controller/realtime/address.js';
import { KIOSK_AUTH_FAILURES } from '../../../controller/realtime/kiosk.js';
import { type TestController, startController } from '../../helpers/controller.js';

const open: Socket[] = [];
afterEach(() => {
  for (const s of open.splice(0)) s.disconnect();
});

/** One kiosk handshake with a wrong token, as if forwarded for `client`; resolves the refusal message. */
function wrongToken(url: string, client: string): Promise<string> {
  const s = io(`${url}/kiosk`, {
    transports: ['websocket'],
    reconnection: false,
    auth: { deviceId: 'demo-kiosk-v1', token: 'x'.repeat(43) },
    extraHeaders: { 'x-forwarded-for': client },
  });
  open.push(s);
  return new Promise((resolve) => {
    s.once('connect', () => resolve('connected'));
    s.once('connect_error', (e: Error) => resolve(e.message));
  });
}

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
