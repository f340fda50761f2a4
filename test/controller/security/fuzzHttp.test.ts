/**
 * Hostile input on every HTTP route, enumerated from the contract's route
 * table (protocol/routes.ts, which the server mounts and the admin's client
 * calls: a new route is fuzzed without touching this file): a fixed corpus
 * (10,000-deep nesting, bodies over the limit, huge arrays, prototype keys,
 * lone surrogates, NUL, wrong content types) and fast-check's random bodies,
 * path parameters and queries, each without a session and as an admin (who
 * holds every role). Every answer: no 5xx, a JSON Ack failure naming what is
 * wrong, and for every refusal no change to state.json or the ledger.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JSON_BODY_LIMIT } from '../../../controller/http/app.js';
import { API_ROUTES, type Notice, type PairedDevice, type RouteSpec, type Village } from '../../../controller/protocol/index.js';
import { ApiClient, type TestController, data, initialPassword, startController } from '../../helpers/controller.js';
import {
  type Body,
  corpusBodies,
  fuzzSeed,
  mutatedExample,
  pathSegment,
  prototypePolluted,
  randomBody,
  randomQuery,
  rawRequest,
  refusalProblems,
  snapshot,
} from './fuzzKit.js';

/** Random cases per route; the corpus runs in full besides. Tuned so the file stays well under a minute on a loaded 2-core machine. */
const RUNS_PER_ROUTE = Number(process.env.FUZZ_RUNS ?? 30);
const LIMIT_BYTES = 256 * 1024;
const BODYLESS_CORPUS = new Set(['malformed JSON', 'body over the limit', 'prototype pollution', '10,000 nested objects']);

let t: TestController;
let admin: ApiClient;
let realIds: string[];
let examples: Record<string, Record<string, unknown>>;
const seed = fuzzSeed('http');

type Route = RouteSpec;
const TABLE: Route[] = Object.values(API_ROUTES);
type Who = 'anonymous' | 'admin';

beforeAll(async () => {
  // No demo town: its emulated signs append to the ledger on their own, which would look like a state change.
  t = await startController({ args: ['--demo', 'off'] });
  admin = new ApiClient(t.url);
  await admin.login('admin', await initialPassword(t.dataDir));
  const village = data((await admin.post<Village>('/api/villages', { name: '模糊测试村' })).body);
  const notice = data((await admin.post<Notice>('/api/notices', { title: '测试', body: '正文', target: { scope: 'town' } })).body);
  const device = data((await admin.post<PairedDevice>('/api/devices', { name: '模糊测试屏', villageId: village.id, kind: 'kiosk' })).body);
  // A throwaway account to aim at: a random body that happens to be a valid patch (say {"disabled":true}) must not lock the run out.
  const target = data(
    (
      await admin.post<{ id: string }>('/api/users', {
        username: 'fuzz.target',
        displayName: '靶子',
        roles: ['editor'],
        password: 'Target-Pw-2024-xyz',
      })
    ).body,
  );
  realIds = [village.id, notice.id, device.device.id, target.id, '2025', 'draft'];
  examples = validExamples(village.id, notice.id);
}, 120_000);
afterAll(async () => {
  await t?.dispose();
});

/** Valid bodies for some routes, mutated one part at a time (routes without one get random bodies only). */
function validExamples(villageId: string, noticeId: string): Record<string, Record<string, unknown>> {
  const content = { title: '测试公告', body: '正文', target: { scope: 'villages', villageIds: [villageId] }, category: 'other' };
  return {
    'post /notices': content,
    'put /notices/:id/draft': { content },
    'post /notices/:id/submit': { privacyOverrideRequest: '已取得书面同意' },
    'post /notices/:id/approve': {
      attestation: {
        noStateSecret: true,
        noCommercialSecret: true,
        noUnmaskedPersonalData: true,
        checkedAgainstSource: true,
        opinion: '同意',
      },
      privacyOverride: { reason: '已取得书面同意' },
    },
    'post /notices/:id/reject': { reason: '请修改' },
    'post /notices/:id/withdraw': { reason: '撤回' },
    'post /users': { username: 'fuzz.made', displayName: '模糊', roles: ['editor'], villageIds: [villageId], password: 'Made-Pw-2024-xyz' },
    'post /villages': { name: '新村' },
    'patch /villages/:id': { name: '改名村' },
    'post /devices': { name: '屏', villageId, kind: 'kiosk', location: '门口' },
    'post /devices/pair': { code: '123456', name: '屏', villageId, location: '' },
    'patch /devices/:id': { name: '屏', location: '门口', onHours: null },
    'post /devices/:id/revoke': { reason: '丢失' },
    'post /auth/login': { username: 'nobody', password: 'not-the-password' },
    'post /pairing/claim': { claim: 'A'.repeat(30) },
    'post /disclosures/manual': { channel: 'bulletin_board', title: '公示', noticeId, villageId, disclosedOn: '2025-03-01', note: '' },
    'put /settings/holidays': { holidays: ['2025-10-01'], workdays: ['2025-09-28'] },
    'put /settings/devices': { offlineAlertMinutes: 30, rotationBoundsSec: { min: 8, max: 60 } },
    'put /settings/records': { manualLateDays: 30 },
    'put /settings/emergency': {
      emergencyTakeover: {
        red: { fullScreenMin: 10, againAfterMin: 15 },
        orange: { fullScreenMin: 10, againAfterMin: 20 },
        yellow: { fullScreenMin: 3, againAfterMin: 30 },
        blue: { fullScreenMin: 2, againAfterMin: 60 },
      },
    },
  };
}

const fillPath = (route: Route, segments: readonly string[]): string => {
  let i = 0;
  const filled = route.path.replace(/:\w+/g, () => segments[i++ % segments.length] ?? 'x');
  return `${route.at === 'site' ? '' : '/api'}${filled}`;
};

/** Sends one request and returns what is wrong with the answer (empty if nothing). */
async function probe(route: Route, who: Who, rawPath: string, body: Body | undefined): Promise<string[]> {
  const headers: Record<string, string> = who === 'admin' ? { cookie: admin.cookie } : {};
  if (body?.contentType) headers['content-type'] = body.contentType;
  const before = await snapshot(t.dataDir);
  const res = await rawRequest(t.url, route.method.toUpperCase(), rawPath, headers, body?.text);
  const where = `${route.method.toUpperCase()} ${rawPath.slice(0, 120)} as ${who} with ${body?.label ?? 'no body'}`;
  const problems: string[] = [];
  if (res.status >= 500) problems.push(`${where}: ${res.status} ${res.text.slice(0, 200)}`);
  if (res.status >= 400) {
    if (route.at !== 'site') {
      let parsed: unknown;
      try {
        parsed = JSON.parse(res.text);
      } catch {
        problems.push(`${where}: ${res.status} answer is not JSON (${res.contentType}): ${res.text.slice(0, 120)}`);
      }
      if (parsed !== undefined) problems.push(...refusalProblems(parsed).map((p) => `${where}: ${res.status} ${p}`));
    }
    if ((await snapshot(t.dataDir)) !== before) problems.push(`${where}: refused with ${res.status} but state or ledger changed`);
  }
  return problems;
}

const identities = (route: Route): Who[] =>
  // Signing out as the admin would end the session the rest of the run uses; it is public and fuzzed anonymously.
  route.path === '/auth/logout' ? ['anonymous'] : ['anonymous', 'admin'];

describe('every HTTP route under hostile input', () => {
  it('enumerates the route table', () => {
    expect(TABLE.length).toBeGreaterThan(50);
  });

  it('answers the fixed hostile corpus with clear refusals and changes nothing', async () => {
    const problems: string[] = [];
    const corpus = corpusBodies(LIMIT_BYTES);
    expect(JSON_BODY_LIMIT).toBe('256kb');
    for (const route of TABLE) {
      const rawPath = fillPath(route, realIds);
      for (const who of identities(route)) {
        // A GET or DELETE body is read (and limited) but means nothing: a few of the corpus are enough there.
        const bodies = route.method === 'get' || route.method === 'delete' ? corpus.filter((b) => BODYLESS_CORPUS.has(b.label)) : corpus;
        for (const body of bodies) problems.push(...(await probe(route, who, rawPath, body)));
      }
    }
    expect(problems).toEqual([]);
    expect(prototypePolluted()).toEqual([]);
    expect((await admin.get('/api/auth/me')).status).toBe(200);
  });

  it(
    'answers random bodies, path parameters and queries the same way (fast-check)',
    async () => {
      const routes = TABLE;
      for (const [index, route] of routes.entries()) {
        const params = (route.path.match(/:\w+/g) ?? []).length;
        await fc.assert(
          fc.asyncProperty(
            fc.constantFrom(...identities(route)),
            fc.array(pathSegment(realIds), { minLength: params, maxLength: params }),
            randomQuery,
            fc.option(
              examples[`${route.method} ${route.path}`]
                ? fc.oneof(randomBody, mutatedExample(examples[`${route.method} ${route.path}`]!))
                : randomBody,
              {
                nil: undefined,
              },
            ),
            async (who, segments, query, body) => {
              const problems = await probe(route, who, `${fillPath(route, segments)}${query}`, body);
              if (problems.length > 0) throw new Error(problems.join('\n'));
            },
          ),
          { seed: seed + index, numRuns: RUNS_PER_ROUTE, endOnFailure: true },
        );
      }
      expect(prototypePolluted()).toEqual([]);
      expect((await admin.get('/api/auth/me')).status).toBe(200);
    },
    Math.max(120_000, RUNS_PER_ROUTE * 2_000),
  );
});
