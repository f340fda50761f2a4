/**
 * The authorization matrix: every API route and every socket event (per
 * namespace), tried with no session, as a kiosk and with each role, must
 * answer exactly as its declared access rule says.
 */
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Ack, API_ROUTES, type PairedDevice, type RouteSpec } from '../../../controller/protocol/index.js';
import { ADMIN_EVENT_RULES, SOCKET_EVENT_RULES } from '../../../controller/realtime/access.js';
import {
  ATTESTATION,
  ApiClient,
  type TestController,
  connectAdmin,
  connectKiosk,
  connectNode,
  data,
  nextEvent,
  pairDevice,
  staff,
  startController,
} from '../../helpers/controller.js';

let t: TestController;
let clients: Record<'anonymous' | 'admin' | 'reviewer' | 'editor', ApiClient>;
let kioskAuth: { deviceId: string; token: string };
let nodeAuth: { deviceId: string; token: string };

beforeAll(async () => {
  t = await startController();
  const { admin, editor, reviewer } = await staff(t);
  clients = { anonymous: new ApiClient(t.url), admin, reviewer, editor };
  const paired = data((await admin.post<PairedDevice>('/api/devices', { name: '权限测试屏', villageId: 'v2', kind: 'kiosk' })).body);
  kioskAuth = { deviceId: paired.device.id, token: paired.token };
  nodeAuth = await pairDevice(admin, { villageId: 'v2', name: '权限测试节点', kind: 'node' });
});
afterAll(async () => {
  await t.dispose();
});

/** The contract's route table: what the server mounts and the admin's client calls. */
const TABLE: RouteSpec[] = Object.values(API_ROUTES);
const DENIED = new Set([401, 403]);
const W = ['editor', 'reviewer', 'admin'];
const R = ['reviewer', 'admin'];
const A = ['admin'];

/** Who may do what, written down independently of the code: changing a rule means changing this table on purpose. */
const EXPECTED: Record<string, 'public' | 'signed_in' | string[]> = {
  'get /health': 'public',
  'post /auth/login': 'public',
  'post /auth/logout': 'public',
  'get /auth/me': 'signed_in',
  'post /auth/password': 'signed_in',
  'get /staff': 'signed_in',
  'get /users': A,
  'post /users': A,
  'patch /users/:id': A,
  'post /users/:id/reset-password': A,
  'get /town': 'signed_in',
  'post /villages': A,
  'patch /villages/:id': A,
  'get /notices': 'signed_in',
  'get /notices/:id': 'signed_in',
  'post /notices': W,
  'put /notices/:id/draft': W,
  'post /notices/:id/mask': W,
  'post /notices/:id/submit': W,
  'post /notices/:id/approve': R,
  'post /notices/:id/reject': R,
  // The fast path's second reviewer: the list of warnings waiting, and the confirmation.
  'get /fast-path/pending': R,
  'post /notices/:id/confirm': R,
  'post /notices/:id/withdraw': R,
  'post /notices/:id/recall': W,
  'get /devices': 'signed_in',
  'post /devices': A,
  'post /devices/pair': A,
  'patch /devices/:id': A,
  'post /devices/:id/revoke': A,
  'get /notices/:id/emergency-acks': 'signed_in',
  'post /pairing': 'public',
  'post /pairing/claim': 'public',
  'put /settings/devices': A,
  'put /settings/records': A,
  'put /settings/emergency': A,
  'get /devices/public-url': 'signed_in',
  'get /records': 'signed_in',
  'get /settings': 'signed_in',
  'put /settings/holidays': A,
  'get /ledger/verify': R,
  'get /ledger/integrity': 'signed_in',
  'post /ledger/integrity/accept': ['admin'],
  'get /ledger/checkpoint': 'signed_in',
  'get /ledger/export': R,
  'get /disclosures/manual': 'signed_in',
  'post /disclosures/manual': W,
  'post /disclosures/photos': W,
  'get /disclosures/photos/:sha256': 'signed_in',
  'get /reports/stats': 'signed_in',
  'get /reports/stats.csv': 'signed_in',
  'get /reports/timeliness': 'signed_in',
  'get /reports/timeliness.csv': 'signed_in',
  'get /reports/checks': 'signed_in',
  'get /reports/checks.csv': 'signed_in',
  'get /reports/compliance': 'signed_in',
  'get /reports/compliance.csv': 'signed_in',
  'get /reports/satisfaction': 'signed_in',
  'get /reports/satisfaction.csv': 'signed_in',
  'get /registers/applications': 'signed_in',
  'post /registers/applications': R,
  'put /registers/applications/:id': R,
  'get /registers/cases': 'signed_in',
  'post /registers/cases': R,
  'put /registers/cases/:id': R,
  'get /reports/annual.css': 'signed_in',
  'get /reports/annual/:year/:version': 'signed_in',
  'put /reports/annual/:year/:version': R,
  'get /reports/annual/:year/:version/docx': 'signed_in',
  'get /reports/annual/:year/:version/html': 'signed_in',
  // Public pages at the site root, outside /api.
  'get /n/style.css': 'public',
  'get /n/:id': 'public',
  'get /n/:id/qr.svg': 'public',
  // LED signs: anyone signed in sees them; only admins press their buttons or change profiles.
  'get /signs': 'signed_in',
  'get /signs/:id/frame': 'signed_in',
  'get /signs/profiles': A,
  'put /signs/:id/profile': A,
  'post /signs': A,
  'delete /signs/:id': A,
  'post /signs/:id/test-pattern': A,
  'post /signs/:id/brightness': A,
  'post /signs/:id/power': A,
  'post /signs/:id/clear': A,
  'post /signs/:id/resend': A,
  // Checks a text against the signs' fonts (changes nothing): anyone writing notices needs it.
  'post /signs/check-text': 'signed_in',
};

describe('authorization matrix', () => {
  it('declares exactly the expected rule for every route', () => {
    const declared = Object.fromEntries(
      TABLE.map((r) => [`${r.method} ${r.path}`, typeof r.access === 'string' ? r.access : [...r.access].sort()]),
    );
    const expected = Object.fromEntries(Object.entries(EXPECTED).map(([k, v]) => [k, typeof v === 'string' ? v : [...v].sort()]));
    expect(declared).toEqual(expected);
  });

  it('answers every route for every role as its rule says', async () => {
    const outcomes: string[] = [];
    for (const route of TABLE) {
      // Logging out would end the shared sessions; it is public and tested on its own.
      if (route.path === '/auth/logout') continue;
      const path = `${route.at === 'site' ? '' : '/api'}${route.path.replace(/:(\w+)/g, 'matrix-$1')}`;
      for (const [who, client] of Object.entries(clients)) {
        const body = route.method === 'get' || route.method === 'delete' ? undefined : {};
        // Pages answer HTML (the print stylesheet CSS), not an Ack: only their status matters here.
        const res =
          route.at === 'site' || route.path.endsWith('.css')
            ? await fetch(`${t.url}${path}`, {
                method: route.method.toUpperCase(),
                headers: client.cookie ? { cookie: client.cookie } : {},
              })
            : await client.request(route.method.toUpperCase(), path, body);
        const allowed =
          route.access === 'public' || (who !== 'anonymous' && (route.access === 'signed_in' || route.access.includes(who as 'admin')));
        const expected = allowed ? 'allowed' : who === 'anonymous' ? 401 : 403;
        const actual = DENIED.has(res.status) ? res.status : 'allowed';
        if (actual !== expected) outcomes.push(`${route.method.toUpperCase()} ${path} as ${who}: expected ${expected}, got ${res.status}`);
      }
    }
    expect(outcomes).toEqual([]);
  });

  it('never lets a refused request change state', async () => {
    const before = (await clients.admin.get<{ total: number }>('/api/notices')).body;
    await clients.anonymous.post('/api/notices', { title: 't', body: 'b', target: { scope: 'town' } });
    await clients.reviewer.post('/api/users', { username: 'sneaky', displayName: 'x', roles: ['admin'], password: 'Zq8!vLp2#x' });
    expect((await clients.admin.get<{ total: number }>('/api/notices')).body).toEqual(before);
    const users = (await clients.admin.get<{ username: string }[]>('/api/users')).body;
    expect(users.ok && users.data.map((u) => u.username)).not.toContain('sneaky');
  });
});

/** Socket events per namespace, written down independently of the code, like EXPECTED. `device`: a paired kiosk. */
const EXPECTED_SOCKET: Record<string, 'device' | 'signed_in' | string[]> = {
  '/kiosk display:report': 'device',
  '/kiosk device:heartbeat': 'device',
  '/kiosk ledger:prove': 'device',
  '/kiosk ledger:witness-alarm': 'device',
  '/node node:records': 'device',
  '/node node:heartbeat': 'device',
  '/node ledger:prove': 'device',
  '/node ledger:witness-alarm': 'device',
  '/admin devices:list': 'signed_in',
  // The LED signs' live view: anyone signed in may watch.
  '/admin signs:watch': 'signed_in',
  '/admin signs:unwatch': 'signed_in',
};

type Who = 'anonymous' | 'kiosk' | 'node' | 'admin' | 'reviewer' | 'editor';

/** Connects as `who` to a namespace: the socket, or the connect_error message. */
async function connectAs(who: Who, namespace: string): Promise<Socket | string> {
  const device = who === 'kiosk' ? kioskAuth : who === 'node' ? nodeAuth : { deviceId: 'matrix-device' };
  const socket = (namespace === '/kiosk'
    ? connectKiosk(t.url, device)
    : namespace === '/node'
      ? connectNode(t.url, device)
      : connectAdmin(t.url, who === 'kiosk' || who === 'node' || who === 'anonymous' ? '' : clients[who].cookie)) as unknown as Socket;
  return new Promise((resolve) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (e: Error) => {
      socket.disconnect();
      resolve(e.message);
    });
  });
}

describe('socket authorization matrix', () => {
  it('declares exactly the expected rule for every client-to-server event of each namespace', () => {
    const declared = Object.fromEntries(
      Object.entries(SOCKET_EVENT_RULES).flatMap(([namespace, rules]) =>
        Object.entries(rules).map(([event, access]) => [`${namespace} ${event}`, typeof access === 'string' ? access : [...access].sort()]),
      ),
    );
    expect(declared).toEqual(EXPECTED_SOCKET);
  });

  it('answers every socket event for everyone as its rule says, and no handler lacks a rule', async () => {
    const outcomes: string[] = [];
    for (const [namespace, rules] of Object.entries(SOCKET_EVENT_RULES)) {
      for (const who of ['anonymous', 'kiosk', 'node', 'admin', 'reviewer', 'editor'] as const) {
        const socket = await connectAs(who, namespace);
        for (const [event, access] of Object.entries(rules)) {
          const allowed =
            access === 'device'
              ? (who === 'kiosk' && namespace === '/kiosk') || (who === 'node' && namespace === '/node')
              : who !== 'anonymous' && who !== 'kiosk' && who !== 'node' && (access === 'signed_in' || access.includes(who));
          // Refused at the handshake, or answered with a refusal by the per-packet gate.
          let actual: string;
          if (typeof socket === 'string') actual = `refused at connect (${socket})`;
          else {
            const ack = (await socket.timeout(10_000).emitWithAck(event, {})) as Ack<unknown>;
            actual = !ack.ok && ['unauthorized', 'forbidden', 'not_found'].includes(ack.error) ? `refused (${ack.error})` : 'allowed';
          }
          if ((actual === 'allowed') !== allowed)
            outcomes.push(`${namespace} ${event} as ${who}: expected ${allowed ? 'allowed' : 'refused'}, got ${actual}`);
        }
        if (typeof socket !== 'string') socket.disconnect();
      }
    }
    expect(outcomes).toEqual([]);
    // Each namespace checked its sockets' handlers against the table when they connected.
    expect(t.logs.filter((e) => e.message.includes('has a handler but no access rule')).map((e) => e.message)).toEqual([]);
  });
});

/**
 * The village scope (issue 12 point 6): an editor limited to village v1 reads and writes for v1 only, on every
 * route that names a village. Reviewers and admins, and editors without a limit, are town-wide.
 */
describe('village scope', () => {
  let cadre: ApiClient;
  const ids: Record<'v1Draft' | 'v2Draft' | 'townDraft', string> = { v1Draft: '', v2Draft: '', townDraft: '' };
  beforeAll(async () => {
    const password = 'Lanhua-2026-qiu';
    data(
      (
        await clients.admin.post('/api/users', {
          username: 'cunganbu',
          displayName: '彪角村文书',
          roles: ['editor'],
          villageIds: ['v1'],
          password,
        })
      ).body,
    );
    cadre = new ApiClient(t.url);
    await cadre.login('cunganbu', password);
    data((await cadre.post('/api/auth/password', { currentPassword: password, newPassword: 'Shuitian-8-dao!' })).body);
    const draft = async (title: string, target: unknown) =>
      data((await clients.editor.post<{ id: string }>('/api/notices', { title, body: '正文', target })).body).id;
    ids.v1Draft = await draft('彪角村草稿', { scope: 'villages', villageIds: ['v1'] });
    ids.v2Draft = await draft('张堂村草稿', { scope: 'villages', villageIds: ['v2'] });
    ids.townDraft = await draft('全镇草稿', { scope: 'town' });
    data(
      (
        await clients.admin.post('/api/disclosures/manual', {
          channel: 'board',
          title: '张堂村公示栏',
          villageId: 'v2',
          disclosedOn: '2026-11-20',
        })
      ).body,
    );
  }, 60_000);

  /** Each route that names a village, tried by the v1 editor for another village: what must come back. */
  const OTHER_VILLAGE: { name: string; try: () => Promise<{ status: number; body: Ack<unknown> }>; expect: number }[] = [
    { name: 'GET /notices/:id of a v2 draft', try: () => cadre.get(`/api/notices/${ids.v2Draft}`), expect: 404 },
    { name: 'GET /notices/:id of a town-wide draft', try: () => cadre.get(`/api/notices/${ids.townDraft}`), expect: 404 },
    {
      name: 'PUT /notices/:id/draft of a v2 draft',
      try: () =>
        cadre.request('PUT', `/api/notices/${ids.v2Draft}/draft`, {
          content: { title: '改', body: '改', target: { scope: 'villages', villageIds: ['v1'] } },
        }),
      expect: 403,
    },
    { name: 'POST /notices/:id/submit of a v2 draft', try: () => cadre.post(`/api/notices/${ids.v2Draft}/submit`), expect: 403 },
    { name: 'POST /notices/:id/mask of a v2 draft', try: () => cadre.post(`/api/notices/${ids.v2Draft}/mask`), expect: 403 },
    {
      name: 'POST /notices for v2',
      try: () => cadre.post('/api/notices', { title: 't', body: 'b', target: { scope: 'villages', villageIds: ['v2'] } }),
      expect: 403,
    },
    {
      name: 'POST /disclosures/manual for v2',
      try: () => cadre.post('/api/disclosures/manual', { channel: 'board', title: '越权登记', villageId: 'v2', disclosedOn: '2026-11-21' }),
      expect: 403,
    },
    {
      name: 'POST /disclosures/manual for the town',
      try: () => cadre.post('/api/disclosures/manual', { channel: 'board', title: '越权登记', disclosedOn: '2026-11-21' }),
      expect: 403,
    },
  ];

  it('refuses every route that names another village, reading or writing, and records nothing', async () => {
    const outcomes: string[] = [];
    for (const c of OTHER_VILLAGE) {
      const res = await c.try();
      if (res.status !== c.expect) outcomes.push(`${c.name}: expected ${c.expect}, got ${res.status}`);
    }
    expect(outcomes).toEqual([]);
    const v2 = data(
      (await clients.admin.get<{ state: string; working: { content: { title: string } } | null }>(`/api/notices/${ids.v2Draft}`)).body,
    );
    expect(v2).toMatchObject({ state: 'draft', working: { content: { title: '张堂村草稿' } } });
    const refused = await cadre.post('/api/disclosures/manual', {
      channel: 'board',
      title: 'x',
      villageId: 'v2',
      disclosedOn: '2026-11-21',
    });
    expect(refused.body).toMatchObject({ ok: false, error: 'forbidden', fields: { villageId: expect.stringContaining('所辖村') } });
  });

  it('lists only what is theirs: their drafts, published notices, their villages’ entries', async () => {
    const listed = data((await cadre.get<{ items: { id: string }[] }>('/api/notices?pageSize=100')).body).items.map((n) => n.id);
    expect(listed).toContain(ids.v1Draft);
    expect(listed).not.toContain(ids.v2Draft);
    expect(listed).not.toContain(ids.townDraft);
    expect((await cadre.get(`/api/notices/${ids.v1Draft}`)).status).toBe(200);
    const own = await cadre.post('/api/disclosures/manual', {
      channel: 'board',
      title: '彪角村公示栏',
      villageId: 'v1',
      disclosedOn: '2026-11-21',
    });
    expect(own.status).toBe(201);
    const entries = data((await cadre.get<{ villageId: string | null }[]>('/api/disclosures/manual')).body);
    expect(entries.map((e) => e.villageId)).toEqual(['v1']);
    // Town-wide staff see everything.
    const all = data((await clients.admin.get<{ villageId: string | null }[]>('/api/disclosures/manual')).body);
    expect(all.map((e) => e.villageId).sort()).toEqual(['v1', 'v2']);
    const everyDraft = data((await clients.reviewer.get<{ items: { id: string }[] }>('/api/notices?pageSize=100')).body).items;
    expect(everyDraft.map((n) => n.id)).toEqual(expect.arrayContaining(Object.values(ids)));
  });
});

/**
 * The village-scope probe (issue 12 point 6): an editor limited to v1 calls every route of the table the editor
 * may reach, with v2's ids and v2's data. Reads answer nothing of v2; writes are refused (403 naming the village)
 * or answer as if the thing did not exist (404), and the ledger does not move. A route the editor may reach that
 * is missing from VILLAGE_RULES fails the test, and so does an admin socket event missing from SOCKET_VILLAGE_RULES.
 */
describe('village-scope probe', () => {
  const PASSWORD = 'Lianhua-2026-dong!';
  let cadre: ApiClient;
  const v2 = { draft: '', townDraft: '', pending: '', emergency: '', sign: '', photo: '' };
  const v1 = { draft: '' };
  /** What of v2 must never reach the v1 editor. */
  let markers: string[] = [];

  beforeAll(async () => {
    data(
      (
        await clients.admin.post('/api/users', {
          username: 'hetang',
          displayName: '彪角村会计',
          roles: ['editor'],
          villageIds: ['v1'],
          password: 'Lianhua-first-2026!',
        })
      ).body,
    );
    cadre = new ApiClient(t.url);
    await cadre.login('hetang', 'Lianhua-first-2026!');
    data((await cadre.post('/api/auth/password', { currentPassword: 'Lianhua-first-2026!', newPassword: PASSWORD })).body);
    const write = async (title: string, target: unknown, extra: Record<string, unknown> = {}) =>
      data((await clients.editor.post<{ id: string }>('/api/notices', { title, body: '正文', target, ...extra })).body).id;
    v1.draft = await write('彪角村探针草稿', { scope: 'villages', villageIds: ['v1'] });
    v2.draft = await write('张堂村探针草稿', { scope: 'villages', villageIds: ['v2'] });
    v2.townDraft = await write('全镇探针草稿', { scope: 'town' });
    v2.pending = await write('张堂村探针待审', { scope: 'villages', villageIds: ['v2'] });
    data((await clients.editor.post(`/api/notices/${v2.pending}/submit`)).body);
    const warning = data(
      (
        await clients.reviewer.post<{ id: string }>('/api/notices', {
          title: '张堂村探针预警',
          body: '请转移。',
          category: 'a20-emergency',
          target: { scope: 'villages', villageIds: ['v2'] },
          emergency: { level: 'red', expiresAt: Date.now() + 3600_000 },
        })
      ).body,
    );
    data((await clients.reviewer.post(`/api/notices/${warning.id}/submit`)).body);
    data((await clients.reviewer.post(`/api/notices/${warning.id}/approve`, { attestation: ATTESTATION, fastPath: true })).body);
    v2.emergency = warning.id;
    const png = Buffer.from(
      '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a3e36ba30000000049454e44ae426082',
      'hex',
    );
    const photo = await fetch(`${t.url}/api/disclosures/photos`, {
      method: 'POST',
      headers: { cookie: clients.admin.cookie, 'content-type': 'image/png' },
      body: new Uint8Array(png),
    });
    v2.photo = data((await photo.json()) as Ack<{ sha256: string }>).sha256;
    data(
      (
        await clients.admin.post('/api/disclosures/manual', {
          channel: 'board',
          title: '张堂村探针公示栏',
          villageId: 'v2',
          disclosedOn: '2026-11-22',
          photo: v2.photo,
        })
      ).body,
    );
    // The registers: entries of v2 and of the whole town (not the v1 editor's), and one of v1 (theirs).
    const register = async (what: 'applications' | 'cases', subject: string, villageId: string | null) =>
      data(
        (
          await clients.admin.post(
            `/api/registers/${what}`,
            what === 'applications'
              ? { applicantType: 'natural', receivedOn: '2026-03-02', subject, villageId }
              : { kind: 'reconsideration', filedOn: '2026-04-01', summary: subject, villageId },
          )
        ).body,
      );
    await register('applications', '张堂村探针申请', 'v2');
    await register('applications', '全镇探针申请', null);
    await register('applications', '彪角村探针申请', 'v1');
    await register('cases', '张堂村探针案件', 'v2');
    await register('cases', '全镇探针案件', null);
    await register('cases', '彪角村探针案件', 'v1');
    const signs = data((await clients.admin.get<{ id: string; name: string; villageId: string }[]>('/api/signs')).body);
    const sign = signs.find((s) => s.villageId === 'v2');
    if (!sign) throw new Error('the demo town has no sign in v2');
    v2.sign = sign.id;
    markers = [
      kioskAuth.deviceId,
      nodeAuth.deviceId,
      '权限测试屏',
      '权限测试节点',
      sign.id,
      sign.name,
      v2.draft,
      v2.townDraft,
      v2.pending,
      '张堂村探针草稿',
      '全镇探针草稿',
      '张堂村探针待审',
      '张堂村探针公示栏',
      v2.photo,
      '"villageId":"v2"',
      '张堂村探针申请',
      '全镇探针申请',
      '张堂村探针案件',
      '全镇探针案件',
    ];
  }, 60_000);

  type Expect = 'clean' | 'refused' | 'hidden';
  interface Probe {
    path: () => string;
    body?: () => unknown;
    /** clean: answered, with nothing of v2 · refused: 403 naming the village · hidden: 404, as if it did not exist. */
    expect: Expect;
    /** The village the refusal must name ('v2', or the editor's own 'v1' when the request is for the whole town). */
    names?: string;
    /** More that must not appear in this answer (reports name villages by name). */
    alsoAbsent?: string[];
  }
  const YEAR = '?from=2026-01-01&to=2026-12-31';
  const report = (path: string): Probe[] => [
    { path: () => `/api${path}${YEAR}&villageId=v2`, expect: 'refused', names: 'v2' },
    { path: () => `/api${path}${YEAR}`, expect: 'clean', alsoAbsent: ['张堂村'] },
  ];
  /** The annual report: the v1 editor gets v1's figures, and is refused v2's. */
  const annual = (suffix: string): Probe[] => [
    { path: () => `/api/reports/annual/2026/V2021${suffix}`, expect: 'clean', alsoAbsent: ['张堂村'] },
    { path: () => `/api/reports/annual/2026/V2021${suffix}?villageId=v1`, expect: 'clean', alsoAbsent: ['张堂村'] },
    { path: () => `/api/reports/annual/2026/V2021${suffix}?villageId=v2`, expect: 'refused', names: 'v2' },
  ];
  const ONLY_V1 = { scope: 'villages', villageIds: ['v1'] };

  /**
   * Every route the v1 editor may reach: `unscoped` with the reason it holds no village's data (its answer is
   * still checked for v2's), or the probes that try it for v2. Written down independently of the code.
   */
  const VILLAGE_RULES: Record<string, { unscoped: string } | Probe[]> = {
    'get /health': { unscoped: 'no data' },
    'post /auth/login': { unscoped: 'signing in' },
    'post /auth/logout': { unscoped: 'signing out' },
    'get /auth/me': { unscoped: 'the user themself' },
    'post /auth/password': { unscoped: 'the user’s own password' },
    'get /staff': { unscoped: 'staff names' },
    'get /town': { unscoped: 'the town and its villages’ names' },
    'get /notices': [
      { path: () => '/api/notices?pageSize=100', expect: 'clean' },
      { path: () => '/api/notices?pageSize=100&villageId=v2', expect: 'clean' },
    ],
    'get /notices/:id': [
      { path: () => `/api/notices/${v2.draft}`, expect: 'hidden' },
      { path: () => `/api/notices/${v2.townDraft}`, expect: 'hidden' },
    ],
    'post /notices': [
      {
        path: () => '/api/notices',
        body: () => ({ title: 't', body: 'b', target: { scope: 'villages', villageIds: ['v2'] } }),
        expect: 'refused',
        names: 'v2',
      },
      {
        path: () => '/api/notices',
        body: () => ({ title: 't', body: 'b', target: { scope: 'villages', villageIds: ['v1', 'v2'] } }),
        expect: 'refused',
        names: 'v2',
      },
      { path: () => '/api/notices', body: () => ({ title: 't', body: 'b', target: { scope: 'town' } }), expect: 'refused', names: 'v1' },
    ],
    'put /notices/:id/draft': [
      {
        path: () => `/api/notices/${v2.draft}/draft`,
        body: () => ({ content: { title: '改', body: '改', target: ONLY_V1 } }),
        expect: 'refused',
        names: 'v2',
      },
      {
        path: () => `/api/notices/${v1.draft}/draft`,
        body: () => ({ content: { title: '改', body: '改', target: { scope: 'villages', villageIds: ['v2'] } } }),
        expect: 'refused',
        names: 'v2',
      },
    ],
    'post /notices/:id/mask': [{ path: () => `/api/notices/${v2.draft}/mask`, body: () => ({}), expect: 'refused', names: 'v2' }],
    'post /notices/:id/submit': [{ path: () => `/api/notices/${v2.draft}/submit`, body: () => ({}), expect: 'refused', names: 'v2' }],
    'post /notices/:id/recall': [{ path: () => `/api/notices/${v2.pending}/recall`, body: () => ({}), expect: 'refused', names: 'v2' }],
    'get /devices': [{ path: () => '/api/devices', expect: 'clean' }],
    'get /devices/public-url': { unscoped: 'the controller’s public address' },
    'get /notices/:id/emergency-acks': [{ path: () => `/api/notices/${v2.emergency}/emergency-acks`, expect: 'clean' }],
    'post /pairing': { unscoped: 'public: a new kiosk asks for a code' },
    'post /pairing/claim': { unscoped: 'public: a new kiosk claims its token' },
    'get /records': [{ path: () => '/api/records', expect: 'clean' }],
    'get /settings': { unscoped: 'the town’s settings' },
    'get /ledger/integrity': { unscoped: 'the ledger’s health' },
    'get /ledger/checkpoint': { unscoped: 'the ledger’s head hash' },
    'get /disclosures/manual': [
      { path: () => '/api/disclosures/manual', expect: 'clean' },
      { path: () => '/api/disclosures/manual?from=2026-11-01&to=2026-11-30', expect: 'clean' },
    ],
    'post /disclosures/manual': [
      {
        path: () => '/api/disclosures/manual',
        body: () => ({ channel: 'board', title: '越权', villageId: 'v2', disclosedOn: '2026-11-23' }),
        expect: 'refused',
        names: 'v2',
      },
      {
        path: () => '/api/disclosures/manual',
        body: () => ({ channel: 'board', title: '越权', disclosedOn: '2026-11-23' }),
        expect: 'refused',
        names: 'v1',
      },
    ],
    'post /disclosures/photos': { unscoped: 'an upload, attached to an entry of the user’s own village later' },
    'get /disclosures/photos/:sha256': [{ path: () => `/api/disclosures/photos/${v2.photo}`, expect: 'hidden' }],
    'get /reports/stats': report('/reports/stats'),
    'get /reports/stats.csv': report('/reports/stats.csv'),
    'get /reports/timeliness': report('/reports/timeliness'),
    'get /reports/timeliness.csv': report('/reports/timeliness.csv'),
    'get /reports/compliance': report('/reports/compliance'),
    'get /reports/compliance.csv': report('/reports/compliance.csv'),
    'get /reports/satisfaction': report('/reports/satisfaction'),
    'get /reports/satisfaction.csv': report('/reports/satisfaction.csv'),
    'get /reports/checks': [{ path: () => '/api/reports/checks?period=year&key=2026', expect: 'clean', alsoAbsent: ['张堂村'] }],
    'get /reports/checks.csv': [{ path: () => '/api/reports/checks.csv?period=year&key=2026', expect: 'clean', alsoAbsent: ['张堂村'] }],
    'get /registers/applications': [{ path: () => '/api/registers/applications', expect: 'clean' }],
    'get /registers/cases': [{ path: () => '/api/registers/cases', expect: 'clean' }],
    'get /reports/annual.css': { unscoped: 'a stylesheet' },
    'get /reports/annual/:year/:version': annual(''),
    'get /reports/annual/:year/:version/docx': annual('/docx'),
    'get /reports/annual/:year/:version/html': annual('/html'),
    'get /n/style.css': { unscoped: 'public page stylesheet' },
    'get /n/:id': { unscoped: 'public page of a published notice' },
    'get /n/:id/qr.svg': { unscoped: 'public page’s QR code' },
    'get /signs': [{ path: () => '/api/signs', expect: 'clean' }],
    'get /signs/:id/frame': [{ path: () => `/api/signs/${v2.sign}/frame`, expect: 'hidden' }],
    'post /signs/check-text': [
      {
        path: () => '/api/signs/check-text',
        body: () => ({ text: '通知', target: { scope: 'villages', villageIds: ['v2'] } }),
        expect: 'refused',
        names: 'v2',
      },
      { path: () => '/api/signs/check-text', body: () => ({ text: '通知', target: { scope: 'town' } }), expect: 'refused', names: 'v1' },
    ],
  };

  const ledgerSeq = async (): Promise<number> => data((await clients.admin.get<{ seq: number }>('/api/ledger/checkpoint')).body).seq;

  it('has a village rule for every route the editor may reach, and each answers nothing of v2 to a v1 editor', async () => {
    const outcomes: string[] = [];
    for (const route of TABLE) {
      const reachable = route.access === 'public' || route.access === 'signed_in' || route.access.includes('editor');
      const key = `${route.method} ${route.path}`;
      if (!reachable) continue;
      const rule = VILLAGE_RULES[key];
      if (!rule) {
        outcomes.push(`${key}: no village rule`);
        continue;
      }
      const probes: Probe[] = Array.isArray(rule)
        ? rule
        : route.method === 'get' && !route.path.includes(':')
          ? [{ path: () => `${route.at === 'site' ? '' : '/api'}${route.path}`, expect: 'clean' }]
          : [];
      for (const probe of probes) {
        const before = await ledgerSeq();
        const body = probe.body?.();
        const res = await fetch(`${t.url}${probe.path()}`, {
          method: route.method.toUpperCase(),
          headers: { cookie: cadre.cookie, ...(body !== undefined && { 'content-type': 'application/json' }) },
          ...(body !== undefined && { body: JSON.stringify(body) }),
        });
        const text = await res.text();
        const name = `${route.method.toUpperCase()} ${probe.path()}`;
        const leaked = [...markers, ...(probe.alsoAbsent ?? [])].filter((m) => text.includes(m));
        if (probe.expect === 'clean' && (res.status >= 300 || leaked.length > 0))
          outcomes.push(`${name}: expected an answer without v2, got ${res.status} holding ${leaked.join(', ')}`);
        if (probe.expect === 'hidden' && res.status !== 404) outcomes.push(`${name}: expected 404, got ${res.status}`);
        if (probe.expect === 'refused') {
          const message = res.status === 403 ? ((JSON.parse(text) as { message?: string }).message ?? '') : '';
          if (res.status !== 403) outcomes.push(`${name}: expected 403, got ${res.status}`);
          else if (!message.includes(probe.names ?? 'v2') || !/[\u4e00-\u9fff]/.test(message) || !/[a-z]{3}/.test(message))
            outcomes.push(`${name}: the refusal must name ${probe.names} in Chinese and English, said: ${message}`);
        }
        if (route.method !== 'get' && (await ledgerSeq()) !== before) outcomes.push(`${name}: the ledger moved`);
      }
    }
    expect(outcomes).toEqual([]);
    // Nothing of v2 was changed by the refused writes.
    const draft = data((await clients.admin.get<{ working: { content: { title: string } } | null }>(`/api/notices/${v2.draft}`)).body);
    expect(draft.working?.content.title).toBe('张堂村探针草稿');
    expect(data((await clients.admin.get<{ state: string }>(`/api/notices/${v2.pending}`)).body).state).toBe('pending_review');
  });

  it('still serves the v1 editor their own village', async () => {
    expect((await cadre.get(`/api/notices/${v1.draft}`)).status).toBe(200);
    const devices = data((await clients.admin.get<{ villageId: string }[]>('/api/devices')).body);
    const own = data((await cadre.get<{ villageId: string }[]>('/api/devices')).body);
    expect(own).toEqual(devices.filter((d) => d.villageId === 'v1'));
    const signs = data((await cadre.get<{ villageId: string }[]>('/api/signs')).body);
    expect(signs.length).toBeGreaterThan(0);
    expect(signs.every((s) => s.villageId === 'v1')).toBe(true);
    expect((await cadre.get(`/api/reports/stats${YEAR}&villageId=v1`)).status).toBe(200);
    // Their villages' rows of the registers, and their village's figures titled as such.
    const apps = data((await cadre.get<{ subject: string; villageId: string | null }[]>('/api/registers/applications')).body);
    expect(apps.map((a) => [a.subject, a.villageId])).toEqual([['彪角村探针申请', 'v1']]);
    const cases = data((await cadre.get<{ summary: string }[]>('/api/registers/cases')).body);
    expect(cases.map((c) => c.summary)).toEqual(['彪角村探针案件']);
    const figures = data(
      (
        await cadre.get<{
          village: { id: string; name: string } | null;
          t3: { rows: { id: string; cells: { value: number | null }[] }[] };
        }>('/api/reports/annual/2026/V2021')
      ).body,
    );
    expect(figures.village?.id).toBe('v1');
    expect(figures.t3.rows.find((r) => r.id === 't3.new')?.cells.at(-1)?.value).toBe(1);
    const page = await fetch(`${t.url}/api/reports/annual/2026/V2021/html`, { headers: { cookie: cadre.cookie } });
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toMatch(/<h1>[^<]*彪角村2026年政府信息公开工作数据（村级摘录）<\/h1>/);
    expect(html).toContain('不是');
    expect(html).toContain('it is not');
    // Another village's figures are refused beside the field, in English and Chinese as every field message is
    // written (`english (中文)`), naming the village asked for and the user's own.
    const other = await cadre.get('/api/reports/annual/2026/V2021?villageId=v2');
    expect(other.status).toBe(403);
    expect(other.body.ok ? null : other.body.fields?.villageId).toBe(
      'village v2 is not one of your villages: v1 (村 v2 不是您的所辖村：v1)',
    );
    // Town-wide staff still get the town's report, with every register row counted.
    const town = data(
      (
        await clients.admin.get<{ village: null; t3: { rows: { id: string; cells: { value: number | null }[] }[] } }>(
          '/api/reports/annual/2026/V2021',
        )
      ).body,
    );
    expect(town.village).toBeNull();
    expect(town.t3.rows.find((r) => r.id === 't3.new')?.cells.at(-1)?.value).toBeGreaterThanOrEqual(3);
    expect((await cadre.post('/api/signs/check-text', { text: '通知', target: ONLY_V1 })).status).toBe(200);
  });

  /** The admin socket's events, as VILLAGE_RULES: every event the editor may send is listed. */
  const SOCKET_VILLAGE_RULES: Record<string, { unscoped: string } | 'clean'> = {
    'devices:list': 'clean',
    'signs:watch': 'clean',
    'signs:unwatch': { unscoped: 'leaves the live view' },
  };

  it('answers and pushes nothing of v2 over the admin socket', async () => {
    const socket = await connectAs('editor', '/admin');
    const own = connectAdmin(t.url, cadre.cookie) as unknown as Socket;
    await new Promise<void>((resolve, reject) => {
      own.once('connect', () => resolve());
      own.once('connect_error', reject);
    });
    if (typeof socket === 'string') throw new Error(socket);
    const pushed: string[] = [];
    own.onAny((event: string, ...args: unknown[]) => pushed.push(`${event} ${JSON.stringify(args)}`));
    const outcomes: string[] = [];
    for (const [event, access] of Object.entries(ADMIN_EVENT_RULES)) {
      if (access !== 'signed_in' && !access.includes('editor')) continue;
      const rule = SOCKET_VILLAGE_RULES[event];
      if (!rule) {
        outcomes.push(`${event}: no village rule`);
        continue;
      }
      if (rule !== 'clean') continue;
      const answer = JSON.stringify(await own.timeout(10_000).emitWithAck(event, {}));
      const leaked = markers.filter((m) => answer.includes(m));
      if (!answer.startsWith('{"ok":true') || leaked.length > 0)
        outcomes.push(`${event}: answered ${answer.slice(0, 80)} holding ${leaked.join(', ')}`);
    }

    // Pushes: a v2 kiosk comes online, a v2 draft and a town draft change, then a v1 draft (which must arrive).
    const townSeesKiosk = nextEvent<[{ id: string }]>(socket, 'device:status-changed', (d) => d.id === kioskAuth.deviceId, 10_000);
    const ownSeesV1 = nextEvent<[{ id: string }]>(own, 'notice:changed', (n) => n.id === v1.draft, 10_000);
    const kiosk = connectKiosk(t.url, kioskAuth);
    await townSeesKiosk;
    const edit = (id: string, title: string, villageIds: string[] | null) =>
      clients.editor.request('PUT', `/api/notices/${id}/draft`, {
        content: { title, body: '正文', target: villageIds ? { scope: 'villages', villageIds } : { scope: 'town' } },
      });
    data((await edit(v2.draft, '张堂村探针草稿', ['v2'])).body);
    data((await edit(v2.townDraft, '全镇探针草稿', null)).body);
    data((await edit(v1.draft, '彪角村探针草稿', ['v1'])).body);
    await ownSeesV1;
    // Device status and sign frames are coalesced to one a second: wait for the next batch.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    kiosk.disconnect();
    own.disconnect();
    socket.disconnect();
    for (const p of pushed) if (markers.some((m) => p.includes(m))) outcomes.push(`pushed ${p.slice(0, 160)}`);
    expect(outcomes).toEqual([]);
    expect(pushed.some((p) => p.startsWith('sign:') || p.startsWith('notice:changed'))).toBe(true);
  }, 60_000);

  it('moves an open admin socket to its user’s new villages at once, and closes it when the user is disabled', async () => {
    const created = data(
      (
        await clients.admin.post<{ id: string }>('/api/users', {
          username: 'lianzi',
          displayName: '彪角村出纳',
          roles: ['editor'],
          villageIds: ['v1'],
          password: 'Lianhua-first-2026!',
        })
      ).body,
    );
    const moved = new ApiClient(t.url);
    await moved.login('lianzi', 'Lianhua-first-2026!');
    data((await moved.post('/api/auth/password', { currentPassword: 'Lianhua-first-2026!', newPassword: PASSWORD })).body);
    const socket = connectAdmin(t.url, moved.cookie) as unknown as Socket;
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    const drafts: string[] = [];
    socket.on('notice:changed', (n: { id: string }) => drafts.push(n.id));
    const edit = (id: string, title: string, villageId: string) =>
      clients.editor.request('PUT', `/api/notices/${id}/draft`, {
        content: { title, body: '正文', target: { scope: 'villages', villageIds: [villageId] } },
      });
    const watched = async () => {
      const answer = (await socket.timeout(10_000).emitWithAck('signs:watch', {})) as Ack<{ signs: { villageId: string }[] }>;
      return [...new Set(data(answer).signs.map((x) => x.villageId))];
    };
    const listed = async () => {
      const answer = (await socket.timeout(10_000).emitWithAck('devices:list', {})) as Ack<{ villageId: string }[]>;
      return [...new Set(data(answer).map((d) => d.villageId))];
    };
    expect(await watched()).toEqual(['v1']);

    // The admin moves the user from v1 to v2: the open socket is told, and from then on it is a v2 socket.
    const told = nextEvent<[{ villageIds: string[] }]>(socket, 'access:changed', () => true, 10_000);
    data((await clients.admin.request('PATCH', `/api/users/${created.id}`, { villageIds: ['v2'] })).body);
    expect((await told)[0].villageIds).toEqual(['v2']);
    expect(await listed()).toEqual(['v2']);
    expect(await watched()).toEqual(['v2']);
    const v2Arrives = nextEvent<[{ id: string }]>(socket, 'notice:changed', (n) => n.id === v2.draft, 10_000);
    data((await edit(v1.draft, '彪角村探针草稿', 'v1')).body);
    data((await edit(v2.draft, '张堂村探针草稿', 'v2')).body);
    await v2Arrives;
    expect(drafts).not.toContain(v1.draft);

    // Villages taken away: an editor without a limit is town-wide, and gets v1's drafts again.
    data((await clients.admin.request('PATCH', `/api/users/${created.id}`, { villageIds: [] })).body);
    const v1Arrives = nextEvent<[{ id: string }]>(socket, 'notice:changed', (n) => n.id === v1.draft, 10_000);
    data((await edit(v1.draft, '彪角村探针草稿', 'v1')).body);
    await v1Arrives;

    // Disabled: the socket is told why, then closes.
    const why = nextEvent<[{ reason: string }]>(socket, 'session:ended', () => true, 10_000);
    const closed = nextEvent<[string]>(socket, 'disconnect', () => true, 10_000);
    data((await clients.admin.request('PATCH', `/api/users/${created.id}`, { disabled: true })).body);
    expect((await why)[0]).toEqual({ reason: 'disabled' });
    expect((await closed)[0]).toBe('io server disconnect');
  }, 60_000);
});
