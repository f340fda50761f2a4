/** The HTTP edge: health, JSON 404s, validation, auth, CSRF, body limits, and that refusals change nothing. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_ROUTES, type Notice, type RouteSpec } from '../../../controller/protocol/index.js';
import { ATTESTATION, ApiClient, type TestController, data, initialPassword, startController } from '../../helpers/controller.js';

let t: TestController;
let api: ApiClient;

beforeAll(async () => {
  t = await startController();
  api = new ApiClient(t.url);
  await api.login('admin', await initialPassword(t.dataDir));
});
afterAll(async () => {
  await t.dispose();
});

const stateFile = () => readFile(path.join(t.dataDir, 'state.json'), 'utf8');

describe('GET /api/health', () => {
  it('answers with the version and protocol without a session', async () => {
    const res = await new ApiClient(t.url).get<{ status: string; version: string; protocol: number }>('/api/health');
    expect(res.status).toBe(200);
    expect(data(res.body)).toMatchObject({ status: 'ok', version: expect.stringMatching(/^\d+\.\d+\.\d+/), protocol: 1 });
  });
});

describe('unknown routes', () => {
  it('answer 404 in JSON under /api', async () => {
    for (const [method, route] of [
      ['GET', '/api/nope'],
      ['POST', '/api/nope/deeper'],
      ['DELETE', '/api/health'],
    ] as const) {
      const res = await api.request(method, route);
      expect(res.status, `${method} ${route}`).toBe(404);
      expect(res.body).toMatchObject({ ok: false, error: 'not_found' });
    }
  });
});

describe('authentication', () => {
  it('refuses every staff route without a session', async () => {
    const anonymous = new ApiClient(t.url);
    for (const [method, route] of [
      ['GET', '/api/notices'],
      ['POST', '/api/notices'],
      ['GET', '/api/town'],
      ['GET', '/api/devices'],
      ['POST', '/api/devices'],
      ['GET', '/api/records'],
      ['GET', '/api/auth/me'],
      ['POST', '/api/notices/x/approve'],
    ] as const) {
      const res = await anonymous.request(method, route, method === 'POST' ? {} : undefined);
      expect(res.status, `${method} ${route}`).toBe(401);
      expect(res.body).toMatchObject({ ok: false, error: 'unauthorized' });
    }
  });

  it('refuses a wrong password and ends a session at logout', async () => {
    const client = new ApiClient(t.url);
    const wrong = await client.post('/api/auth/login', { username: 'admin', password: 'not-it' });
    expect(wrong.status).toBe(401);
    await client.login('admin', await initialPassword(t.dataDir));
    expect((await client.get('/api/auth/me')).status).toBe(200);
    const stolen = client.cookie;
    await client.post('/api/auth/logout');
    const replay = new ApiClient(t.url);
    replay.cookie = stolen;
    expect((await replay.get('/api/auth/me')).status).toBe(401);
  });

  it('sets the session cookie HttpOnly and SameSite=Strict', async () => {
    const res = await fetch(`${t.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: await initialPassword(t.dataDir) }),
    });
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
  });
});

describe('bad input changes nothing', () => {
  it('names every failing field', async () => {
    const before = await stateFile();
    const res = await api.post('/api/notices', {
      title: '  ',
      body: 'x'.repeat(20_001),
      target: { scope: 'villages', villageIds: [] },
      colour: 'red',
    });
    expect(res.status).toBe(400);
    if (res.body.ok) throw new Error('expected a refusal');
    expect(res.body.error).toBe('invalid_payload');
    expect(Object.keys(res.body.fields ?? {})).toEqual(expect.arrayContaining(['title', 'body', 'target.villageIds', '(payload)']));
    expect(await stateFile()).toBe(before);
  });

  it('refuses unknown villages, malformed JSON, wrong types and oversized bodies', async () => {
    const before = await stateFile();
    const unknownVillage = await api.post('/api/notices', { title: 't', body: 'b', target: { scope: 'villages', villageIds: ['v99'] } });
    expect(unknownVillage.status).toBe(400);
    expect(unknownVillage.body).toMatchObject({ fields: { 'target.villageIds': expect.stringContaining('v99') } });

    const malformed = await api.request('POST', '/api/notices', '{"title":', { 'content-type': 'application/json' });
    expect(malformed).toMatchObject({ status: 400, body: { error: 'invalid_payload' } });

    const wrongTypes = await api.post('/api/notices', { title: 1, body: [], target: 'town' });
    expect(wrongTypes.status).toBe(400);

    const huge = await api.post('/api/notices', { title: 't', body: 'x'.repeat(300 * 1024), target: { scope: 'town' } });
    expect(huge).toMatchObject({ status: 413, body: { error: 'payload_too_large' } });

    const badQuery = await api.get('/api/records?limit=abc');
    expect(badQuery.status).toBe(400);
    expect(await stateFile()).toBe(before);
  });

  it('refuses illegal transitions with a clear error', async () => {
    const draft = data((await api.post<Notice>('/api/notices', { title: '测试', body: '正文', target: { scope: 'town' } })).body);
    const res = await api.post(`/api/notices/${draft.id}/approve`, { attestation: ATTESTATION });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ error: 'invalid_transition', message: expect.stringContaining('draft') });
    expect((await api.post('/api/notices/no-such-id/submit')).status).toBe(404);
    expect((await api.post(`/api/notices/${draft.id}/submit`, { sneaky: true })).status).toBe(400);
  });
});

describe('cross-site requests', () => {
  it('refuses a state change whose Origin is foreign, and accepts the own origin', async () => {
    const foreign = await api.request(
      'POST',
      '/api/notices',
      { title: 't', body: 'b', target: { scope: 'town' } },
      { origin: 'https://evil.example' },
    );
    expect(foreign).toMatchObject({ status: 403, body: { error: 'forbidden' } });
    const own = await api.request('POST', '/api/notices', { title: 't', body: 'b', target: { scope: 'town' } }, { origin: t.url });
    expect(own.status).toBe(201);
  });

  it('refuses a foreign Origin or a cross-site fetch on every state-changing route, before anything else runs', async () => {
    const before = await stateFile();
    const changing = Object.values<RouteSpec>(API_ROUTES).filter((r) => r.method !== 'get');
    expect(changing.length).toBeGreaterThan(20);
    const outcomes: string[] = [];
    for (const route of changing) {
      const path = `${route.at === 'site' ? '' : '/api'}${route.path.replace(/:(\w+)/g, 'csrf-$1')}`;
      for (const headers of [{ origin: 'https://evil.example' }, { 'sec-fetch-site': 'cross-site' }] as Record<string, string>[]) {
        const res = await api.request(route.method.toUpperCase(), path, {}, headers);
        const refused = res.status === 403 && !res.body.ok && res.body.message.includes('cross-site');
        if (!refused) outcomes.push(`${route.method.toUpperCase()} ${path} with ${JSON.stringify(headers)}: ${res.status}`);
      }
    }
    expect(outcomes).toEqual([]);
    // Logout was among them: the session is still good, and nothing was saved.
    expect((await api.get('/api/auth/me')).status).toBe(200);
    expect(await stateFile()).toBe(before);
  });
});

describe('web apps', () => {
  it('redirects / to the admin app and sets security headers', async () => {
    const res = await fetch(`${t.url}/`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/admin/');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });
});
