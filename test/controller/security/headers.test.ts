/**
 * Security headers (helmet) on the admin and kiosk apps, the public notice
 * pages and the API; HSTS and Secure (`__Host-`) cookies exactly when the
 * request came over TLS, which behind a reverse proxy means a trusted proxy
 * said so (sessionCookie.test.ts checks which name each scheme accepts).
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HSTS_MAX_AGE_SEC } from '../../../controller/http/securityHeaders.js';
import { ApiClient, type TestController, data, initialPassword, startController } from '../../helpers/controller.js';

let plain: TestController;
let proxied: TestController;
let noticeId: string;
let webDir: string;

beforeAll(async () => {
  // The apps' pages as a build leaves them, so this file needs no `npm run build` before it.
  webDir = await mkdtemp(path.join(os.tmpdir(), 'gongshi-web-'));
  for (const app of ['admin', 'kiosk']) {
    await mkdir(path.join(webDir, app));
    await writeFile(path.join(webDir, app, 'index.html'), `<!doctype html><title>${app}</title>`);
  }
  const web = ['--web', webDir];
  [plain, proxied] = await Promise.all([startController({ args: web }), startController({ args: [...web, '--trust-proxy', 'loopback'] })]);
  const admin = new ApiClient(plain.url);
  await admin.login('admin', await initialPassword(plain.dataDir));
  const first = data((await admin.get<{ items: { id: string }[] }>('/api/notices?state=approved')).body).items[0];
  if (!first) throw new Error('the demo town has no approved notice');
  noticeId = first.id;
});
afterAll(async () => {
  await Promise.all([plain?.dispose(), proxied?.dispose()]);
  if (webDir) await rm(webDir, { recursive: true, force: true });
});

/** The policy as a map from directive to its sources. */
function directives(header: string | null): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const part of (header ?? '').split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) map.set(name, sources);
  }
  return map;
}

describe('Content-Security-Policy and friends', () => {
  it('is strict on the admin app, the kiosk app, a public notice page, its QR code and the API', async () => {
    const host = new URL(plain.url).host;
    for (const path of ['/admin/', '/kiosk/', `/n/${noticeId}`, `/n/${noticeId}/qr.svg`, '/api/health', '/api/nope']) {
      const res = await fetch(`${plain.url}${path}`);
      expect(res.status, path).toBeLessThan(500);
      const csp = directives(res.headers.get('content-security-policy'));
      expect(csp.get('default-src'), path).toEqual(["'self'"]);
      expect(csp.get('script-src'), path).toEqual(["'self'"]);
      expect(csp.get('script-src-attr'), path).toEqual(["'none'"]);
      expect(csp.get('style-src'), path).toEqual(["'self'"]);
      expect(csp.get('connect-src'), path).toEqual(["'self'", `ws://${host}`, `wss://${host}`]);
      expect(csp.get('object-src'), path).toEqual(["'none'"]);
      expect(csp.get('base-uri'), path).toEqual(["'self'"]);
      expect(csp.get('frame-ancestors'), path).toEqual(["'none'"]);
      expect(csp.has('upgrade-insecure-requests'), `${path}: plain-HTTP LAN installs must keep working`).toBe(false);
      expect(
        [...csp.values()].flat().some((s) => s.includes('unsafe')),
        path,
      ).toBe(false);
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(res.headers.get('referrer-policy'), path).toBe('no-referrer');
      expect(res.headers.get('x-frame-options'), path).toBe('DENY');
      expect(res.headers.get('x-powered-by'), path).toBeNull();
      expect(res.headers.get('strict-transport-security'), `${path} over plain HTTP`).toBeNull();
    }
  });

  it('does not echo a hostile Host header into the policy', async () => {
    const { request } = await import('node:http');
    const url = new URL(plain.url);
    const csp = await new Promise<string>((resolve, reject) => {
      const req = request(
        { host: url.hostname, port: url.port, path: '/admin/', headers: { host: "evil.example; script-src 'unsafe-inline'" } },
        (res) => {
          res.resume();
          resolve(String(res.headers['content-security-policy'] ?? ''));
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(directives(csp).get('connect-src')).toEqual(["'self'"]);
    expect(csp).not.toContain('unsafe-inline');
  });
});

describe('TLS: HSTS and Secure cookies', () => {
  const login = async (t: TestController, headers: Record<string, string>): Promise<Response> =>
    fetch(`${t.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ username: 'admin', password: await initialPassword(t.dataDir) }),
    });

  it('sends HSTS and a Secure session cookie when a trusted proxy says the request came over TLS', async () => {
    const page = await fetch(`${proxied.url}/admin/`, { headers: { 'x-forwarded-proto': 'https' } });
    expect(page.headers.get('strict-transport-security')).toBe(`max-age=${HSTS_MAX_AGE_SEC}`);
    const res = await login(proxied, { 'x-forwarded-proto': 'https' });
    expect(res.status).toBe(200);
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^__Host-gongshi_session=/);
    expect(cookie).toMatch(/;\s*Secure/i);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
  });

  it('sends neither behind the trusted proxy over plain HTTP', async () => {
    const page = await fetch(`${proxied.url}/admin/`, { headers: { 'x-forwarded-proto': 'http' } });
    expect(page.headers.get('strict-transport-security')).toBeNull();
    const cookie = (await login(proxied, {})).headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^gongshi_session=/);
    expect(cookie).not.toMatch(/Secure/i);
  });

  it('ignores X-Forwarded-Proto from anyone when no proxy is trusted', async () => {
    const page = await fetch(`${plain.url}/admin/`, { headers: { 'x-forwarded-proto': 'https' } });
    expect(page.headers.get('strict-transport-security')).toBeNull();
    const cookie = (await login(plain, { 'x-forwarded-proto': 'https' })).headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^gongshi_session=/);
    expect(cookie).not.toMatch(/Secure/i);
  });

  it('keeps the logout cookie flags in step with the sign-in cookie', async () => {
    const res = await fetch(`${proxied.url}/api/auth/logout`, { method: 'POST', headers: { 'x-forwarded-proto': 'https' } });
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^__Host-gongshi_session=;/);
    expect(cookie).toMatch(/;\s*Secure/i);
  });
});

describe('behind a trusted proxy', () => {
  it('limits pairing requests per client address from X-Forwarded-For, not per proxy', async () => {
    const offer = (client: string) =>
      fetch(`${proxied.url}/api/pairing`, { method: 'POST', headers: { 'x-forwarded-for': client } }).then((r) => r.status);
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push(await offer('203.0.113.7'));
    expect(statuses).toContain(429);
    expect(await offer('198.51.100.20')).toBe(201);
  });
});
