/**
 * Every POST, PUT and PATCH route validates its body, including the actions that take none (sign out, a pairing
 * code, a sign's test pattern): a body it does not take is refused with invalid_payload and changes nothing.
 * Enumerated from the controller's route table, so a new route is covered without touching this file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_ROUTES, type RouteSpec } from '../../../controller/protocol/index.js';
import { ApiClient, type TestController, initialPassword, startController } from '../../helpers/controller.js';
import { snapshot } from '../security/fuzzKit.js';

let t: TestController;
let admin: ApiClient;

beforeAll(async () => {
  // No demo town: its emulated signs append to the ledger on their own, which would look like a change.
  t = await startController({ args: ['--demo', 'off'] });
  admin = new ApiClient(t.url);
  await admin.login('admin', await initialPassword(t.dataDir));
});
afterAll(async () => {
  await t?.dispose();
});

describe('a body a route does not take', () => {
  it('is refused with invalid_payload naming it, by every POST, PUT and PATCH route, and changes nothing', async () => {
    const writes = Object.values<RouteSpec>(API_ROUTES)
      .filter((r) => r.at === 'api' && r.method !== 'get' && r.method !== 'delete')
      // Last: signing out would end the session the other requests use, if it were (wrongly) accepted.
      .sort((a, b) => Number(a.path === '/auth/logout') - Number(b.path === '/auth/logout'));
    expect(writes.map((r) => r.path)).toEqual(
      expect.arrayContaining(['/notices', '/auth/logout', '/pairing', '/signs/:id/clear', '/signs/:id/test-pattern']),
    );
    const before = await snapshot(t.dataDir);
    const accepted: string[] = [];
    for (const route of writes) {
      const where = `${route.method.toUpperCase()} /api${route.path}`;
      const res = await admin.request(route.method.toUpperCase(), `/api${route.path.replace(/:\w+/g, 'x')}`, { unexpected: true });
      if (res.status !== 400 || res.body.ok || res.body.error !== 'invalid_payload') {
        accepted.push(`${where}: ${res.status} ${JSON.stringify(res.body).slice(0, 120)}`);
      } else {
        expect(res.body.message, where).not.toBe('');
        expect(Object.keys(res.body.fields ?? {}).length, `${where} names what is wrong`).toBeGreaterThan(0);
      }
    }
    expect(accepted).toEqual([]);
    expect(await snapshot(t.dataDir)).toBe(before);
    expect((await admin.get('/api/auth/me')).status).toBe(200);
  });

  it('is not needed: the same actions still work with an empty body or none', async () => {
    expect((await admin.post('/api/pairing')).status).toBe(201);
    expect((await admin.post('/api/pairing', {})).status).toBe(201);
    expect((await admin.post('/api/auth/logout', {})).status).toBe(200);
    expect((await admin.get('/api/auth/me')).status).toBe(401);
  });
});
