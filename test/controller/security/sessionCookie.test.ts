/**
 * The session cookie's name follows the request's scheme: over TLS (here a
 * trusted proxy on loopback saying X-Forwarded-Proto: https) it is
 * `__Host-gongshi_session` (Secure, Path=/, no Domain), over plain HTTP
 * `gongshi_session`; each scheme accepts only its own name, for HTTP routes
 * and for the admin socket alike.
 */
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECURE_SESSION_COOKIE, SESSION_COOKIE } from '../../../controller/auth/sessions.js';
import { type TestController, initialPassword, nextEvent, startController } from '../../helpers/controller.js';

let proxied: TestController;
let password: string;

beforeAll(async () => {
  proxied = await startController({ args: ['--trust-proxy', 'loopback'] });
  password = await initialPassword(proxied.dataDir);
});
afterAll(async () => {
  await proxied?.dispose();
});

const proto = (scheme: 'https' | 'http'): Record<string, string> => ({ 'x-forwarded-proto': scheme });

/** Signs in over `scheme`; the Set-Cookie header and the session id in it. */
async function signIn(scheme: 'https' | 'http'): Promise<{ setCookie: string; name: string; id: string }> {
  const res = await fetch(`${proxied.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...proto(scheme) },
    body: JSON.stringify({ username: 'admin', password }),
  });
  expect(res.status).toBe(200);
  const setCookie = res.headers.get('set-cookie') ?? '';
  const [pair = ''] = setCookie.split(';');
  const eq = pair.indexOf('=');
  return { setCookie, name: pair.slice(0, eq), id: pair.slice(eq + 1) };
}

const me = async (scheme: 'https' | 'http', cookie: string): Promise<number> =>
  (await fetch(`${proxied.url}/api/auth/me`, { headers: { cookie, ...proto(scheme) } })).status;

/** Opens an admin socket over `scheme`: 'hello' when admitted, else the connect error's message. */
async function adminSocket(scheme: 'https' | 'http', cookie: string): Promise<string> {
  const socket = io(`${proxied.url}/admin`, {
    extraHeaders: { cookie, ...proto(scheme) },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  try {
    return await Promise.race([
      nextEvent(socket, 'server:hello').then(() => 'hello'),
      nextEvent<[Error]>(socket, 'connect_error').then(([e]) => e.message),
    ]);
  } finally {
    socket.disconnect();
  }
}

describe('the session cookie over TLS', () => {
  it('is __Host-gongshi_session with Secure and Path=/ and no Domain, and only that name is accepted over TLS', async () => {
    const { setCookie, name, id } = await signIn('https');
    expect(name).toBe(SECURE_SESSION_COOKIE);
    expect(setCookie).toMatch(/;\s*Secure/i);
    expect(setCookie).toMatch(/;\s*Path=\/(;|$)/i);
    expect(setCookie).not.toMatch(/Domain=/i);
    expect(setCookie).toMatch(/HttpOnly/i);

    expect(await me('https', `${SECURE_SESSION_COOKIE}=${id}`)).toBe(200);
    expect(await me('https', `${SESSION_COOKIE}=${id}`)).toBe(401);
    // A plain-HTTP request cannot use it (a browser would not send it there anyway).
    expect(await me('http', `${SECURE_SESSION_COOKIE}=${id}`)).toBe(401);

    expect(await adminSocket('https', `${SECURE_SESSION_COOKIE}=${id}`)).toBe('hello');
    expect(await adminSocket('https', `${SESSION_COOKIE}=${id}`)).toMatch(/unauthorized/);
    expect(await adminSocket('http', `${SECURE_SESSION_COOKIE}=${id}`)).toMatch(/unauthorized/);
  });

  it('is cleared under its own name at logout, which ends the session', async () => {
    const { id } = await signIn('https');
    const res = await fetch(`${proxied.url}/api/auth/logout`, {
      method: 'POST',
      headers: { cookie: `${SECURE_SESSION_COOKIE}=${id}`, ...proto('https') },
    });
    expect(res.headers.get('set-cookie') ?? '').toMatch(new RegExp(`^${SECURE_SESSION_COOKIE}=;.*Secure`, 'i'));
    expect(await me('https', `${SECURE_SESSION_COOKIE}=${id}`)).toBe(401);
  });
});

describe('the session cookie over plain HTTP', () => {
  it('keeps the name gongshi_session without Secure, and only that name is accepted over plain HTTP', async () => {
    const { setCookie, name, id } = await signIn('http');
    expect(name).toBe(SESSION_COOKIE);
    expect(setCookie).not.toMatch(/Secure/i);

    expect(await me('http', `${SESSION_COOKIE}=${id}`)).toBe(200);
    expect(await me('http', `${SECURE_SESSION_COOKIE}=${id}`)).toBe(401);
    // A cookie set over plain HTTP (which anyone on the LAN could have planted) does not work for a TLS page.
    expect(await me('https', `${SESSION_COOKIE}=${id}`)).toBe(401);

    expect(await adminSocket('http', `${SESSION_COOKIE}=${id}`)).toBe('hello');
    expect(await adminSocket('http', `${SECURE_SESSION_COOKIE}=${id}`)).toMatch(/unauthorized/);
    expect(await adminSocket('https', `${SESSION_COOKIE}=${id}`)).toMatch(/unauthorized/);
  });
});
