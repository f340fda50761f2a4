/**
 * The web apps' JavaScript and CSS go out gzip-compressed to clients that accept it (issue 12 point 13), with
 * `Vary: Accept-Encoding`, a year's caching and validators; a build's precompressed `.gz` is served as it is.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestController, makeDataDir, startController } from '../../helpers/controller.js';

let t: TestController;
let webDir: string;
const js = `${Array.from({ length: 2000 }, (_, i) => `export function f${i}(a){return a*${i}+"公示"}`).join('\n')}\n`;
const css = `${Array.from({ length: 800 }, (_, i) => `.c${i}{color:#${(i * 997).toString(16).padStart(6, '0').slice(0, 6)};margin:${i}px}`).join('\n')}\n`;
const PRE = gzipSync(Buffer.from(css), { level: 1 });

beforeAll(async () => {
  webDir = await makeDataDir();
  await mkdir(path.join(webDir, 'assets'), { recursive: true });
  await writeFile(path.join(webDir, 'assets', 'kiosk-AbC123.js'), js);
  await writeFile(path.join(webDir, 'assets', 'admin-XyZ789.css'), css);
  // As the build leaves it: a .gz beside the file, written after it.
  await new Promise((r) => setTimeout(r, 20));
  await writeFile(path.join(webDir, 'assets', 'admin-XyZ789.css.gz'), PRE);
  await writeFile(path.join(webDir, 'assets', 'logo-1.png'), Buffer.alloc(2000, 1));
  t = await startController({ args: ['--web', webDir] });
}, 60_000);
afterAll(async () => {
  await t?.dispose();
  await rm(webDir, { recursive: true, force: true });
}, 60_000);

/** A raw GET (fetch would decompress on its own): status, headers and the bytes as they came over the wire. */
function get(
  urlPath: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get(`${t.url}${urlPath}`, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      })
      .on('error', reject);
  });
}

describe('compressed web assets', () => {
  it('sends JavaScript gzip-compressed with Vary, a year’s caching and an ETag that answers 304', async () => {
    const res = await get('/assets/kiosk-AbC123.js', { 'accept-encoding': 'gzip, deflate, br' });
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.headers.vary).toMatch(/Accept-Encoding/i);
    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(res.headers['cache-control']).toMatch(/max-age=31536000.*immutable/);
    expect(Number(res.headers['content-length'])).toBe(res.body.length);
    expect(res.body.length).toBeLessThan(Buffer.byteLength(js) / 3);
    expect(gunzipSync(res.body).toString()).toBe(js);
    const again = await get('/assets/kiosk-AbC123.js', { 'accept-encoding': 'gzip', 'if-none-match': String(res.headers.etag) });
    expect(again.status).toBe(304);
    const head = await new Promise<http.IncomingMessage>((resolve) =>
      http.request(`${t.url}/assets/kiosk-AbC123.js`, { method: 'HEAD', headers: { 'accept-encoding': 'gzip' } }, resolve).end(),
    );
    expect(head.headers['content-encoding']).toBe('gzip');
  });

  it('serves the build’s precompressed file as it is', async () => {
    const res = await get('/assets/admin-XyZ789.css', { 'accept-encoding': 'gzip' });
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.headers['content-type']).toMatch(/text\/css/);
    expect(res.body.equals(PRE)).toBe(true);
  });

  it('sends the file as it is to a client that does not accept gzip, still saying Vary', async () => {
    for (const accept of [undefined, 'identity', 'gzip;q=0, identity']) {
      const res = await get('/assets/kiosk-AbC123.js', accept === undefined ? {} : { 'accept-encoding': accept });
      expect(res.status).toBe(200);
      expect(res.headers['content-encoding']).toBeUndefined();
      expect(res.headers.vary).toMatch(/Accept-Encoding/i);
      expect(res.body.toString()).toBe(js);
    }
  });

  it('leaves images alone and answers a missing or escaping path as before', async () => {
    const png = await get('/assets/logo-1.png', { 'accept-encoding': 'gzip' });
    expect(png.status).toBe(200);
    expect(png.headers['content-encoding']).toBeUndefined();
    for (const missing of ['/assets/none.js', '/assets/..%2f..%2fetc%2fpasswd.js', '/assets/%2e%2e/kiosk-AbC123.js']) {
      const res = await get(missing, { 'accept-encoding': 'gzip' });
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.headers['content-encoding']).toBeUndefined();
    }
  });
});
