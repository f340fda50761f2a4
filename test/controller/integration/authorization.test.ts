/**
 * The authorization matrix: every API route and every socket event (per
 * namespace), tried with no session, as a kiosk and with each role, must
 * answer exactly as its declared access rule says.
 */
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ack, PairedDevice } from '../../../controller/protocol/index.js';
import { SOCKET_EVENT_RULES } from '../../../controller/realtime/access.js';
import {
  ApiClient,
  type TestController,
  connectAdmin,
  connectKiosk,
  connectNode,
  data,
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
      t.controller.routes.map((r) => [`${r.method} ${r.path}`, typeof r.access === 'string' ? r.access : [...r.access].sort()]),
    );
    const expected = Object.fromEntries(Object.entries(EXPECTED).map(([k, v]) => [k, typeof v === 'string' ? v : [...v].sort()]));
    expect(declared).toEqual(expected);
  });

  it('answers every route for every role as its rule says', async () => {
    const outcomes: string[] = [];
    for (const route of t.controller.routes) {
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
