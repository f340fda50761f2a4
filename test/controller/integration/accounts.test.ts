/** Staff accounts against a real controller: creation, password rules and changes, disabling, resets, throttling, village limits. */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PASSWORD_COST } from '../../../controller/auth/passwords.js';
import { MAX_SESSIONS_PER_USER, SESSION_TTL_MS } from '../../../controller/auth/sessions.js';
import { ADDRESS_RULE } from '../../../controller/auth/throttle.js';
import { INITIAL_PASSWORD_FILE } from '../../../controller/main.js';
import type { Notice, StaffUser } from '../../../controller/protocol/index.js';
import {
  ApiClient,
  type TestController,
  cheapenPassword,
  connectAdmin,
  data,
  initialPassword,
  nextEvent,
  staff,
  startController,
} from '../../helpers/controller.js';

let t: TestController | undefined;
afterEach(async () => {
  await t?.dispose();
  t = undefined;
});

const GOOD = 'Lanhua-2026-qiu';
const BETTER = 'Shuitian-8-dao!';

async function newUser(admin: ApiClient, body: Record<string, unknown>): Promise<StaffUser> {
  return data((await admin.post<StaffUser>('/api/users', { displayName: '张三', roles: ['editor'], password: GOOD, ...body })).body);
}

describe('accounts', () => {
  it('refuses weak and common passwords, naming the field', async () => {
    t = await startController();
    const { admin } = await staff(t);
    for (const password of ['short', '12345678', 'password123!', 'zhangsan2026', 'aaaaaaaaaa']) {
      const res = await admin.post('/api/users', { username: 'zhangsan', displayName: '张三', roles: ['editor'], password });
      expect(res.status, password).toBe(400);
      expect(res.body).toMatchObject({ fields: { password: expect.any(String) } });
    }
    expect((await admin.post('/api/users', { username: 'Bad Name', displayName: 'x', roles: [], password: GOOD })).body).toMatchObject({
      fields: { username: expect.any(String), roles: expect.any(String) },
    });
  });

  it('makes a new account set its own password before doing anything else', async () => {
    t = await startController();
    const { admin } = await staff(t);
    const created = await newUser(admin, { username: 'zhangsan' });
    expect(created).toMatchObject({ mustChangePassword: true, roles: ['editor'] });
    expect((await admin.post('/api/users', { username: 'zhangsan', displayName: 'x', roles: ['editor'], password: GOOD })).status).toBe(
      409,
    );

    const zhang = new ApiClient(t.url);
    await zhang.login('zhangsan', GOOD);
    expect((await zhang.get('/api/notices')).status).toBe(403);
    expect(data((await zhang.get<StaffUser>('/api/auth/me')).body).mustChangePassword).toBe(true);
    expect((await zhang.post('/api/auth/password', { currentPassword: 'wrong-one!', newPassword: BETTER })).body).toMatchObject({
      fields: { currentPassword: expect.any(String) },
    });
    expect((await zhang.post('/api/auth/password', { currentPassword: GOOD, newPassword: '12345678' })).status).toBe(400);
    data((await zhang.post('/api/auth/password', { currentPassword: GOOD, newPassword: BETTER })).body);
    expect((await zhang.get('/api/notices')).status).toBe(200);
  });

  it('ends every session and admin socket of a disabled user, and refuses their sign-in', async () => {
    t = await startController();
    const { admin, editor } = await staff(t);
    const editorId = data((await editor.get<StaffUser>('/api/auth/me')).body).id;
    const socket = connectAdmin(t.url, editor.cookie);
    await nextEvent(socket, 'server:hello');
    const closed = nextEvent(socket, 'disconnect');
    data((await admin.request<StaffUser>('PATCH', `/api/users/${editorId}`, { disabled: true })).body);
    await closed;
    expect((await editor.get('/api/auth/me')).status).toBe(401);
    const again = new ApiClient(t.url);
    expect((await again.post('/api/auth/login', { username: 'editor', password: 'whatever-it-was' })).status).toBe(401);
  });

  it('stores passwords only as scrypt hashes at N=2^17, r=8, p=1, and sessions only as SHA-256 of their ids', async () => {
    // At the production cost, which the other tests lower (TEST_PASSWORD_COST).
    expect(PASSWORD_COST).toBe(17);
    t = await startController({ tuning: { passwordCost: PASSWORD_COST } });
    const { admin } = await staff(t);
    await newUser(admin, { username: 'zhangsan' });
    const text = await readFile(path.join(t.dataDir, 'state.json'), 'utf8');
    const state = JSON.parse(text) as { users: { username: string; passwordHash: string }[]; sessions: { idHash: string }[] };
    for (const user of state.users)
      expect(user.passwordHash, user.username).toMatch(/^scrypt\$17\$8\$1\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=$/);
    expect(text).not.toContain(GOOD);
    const sessionId = admin.cookie.replace(/^gongshi_session=/, '');
    expect(text).not.toContain(sessionId);
    expect(state.sessions.map((x) => x.idHash)).toContain(createHash('sha256').update(sessionId).digest('hex'));
  });

  it('keeps at least one active admin', async () => {
    t = await startController();
    const { admin } = await staff(t);
    const res = await admin.request('PATCH', '/api/users/u-admin', { disabled: true });
    expect(res.status).toBe(409);
    expect((await admin.request('PATCH', '/api/users/u-admin', { roles: ['editor'] })).status).toBe(409);
    expect((await admin.get('/api/auth/me')).status).toBe(200);
  });

  it('resets a password: the user is signed out and must choose a new one', async () => {
    t = await startController();
    const { admin, reviewer } = await staff(t);
    const reviewerId = data((await reviewer.get<StaffUser>('/api/auth/me')).body).id;
    expect((await admin.post(`/api/users/${reviewerId}/reset-password`, { newPassword: '1234' })).status).toBe(400);
    expect(
      data((await admin.post<StaffUser>(`/api/users/${reviewerId}/reset-password`, { newPassword: GOOD })).body).mustChangePassword,
    ).toBe(true);
    expect((await reviewer.get('/api/auth/me')).status).toBe(401);
    const fresh = new ApiClient(t.url);
    await fresh.login('reviewer', GOOD);
    expect((await fresh.get('/api/notices')).status).toBe(403);
  });

  it('removes the generated first password from disk once it is changed', async () => {
    t = await startController();
    const file = path.join(t.dataDir, INITIAL_PASSWORD_FILE);
    const admin = new ApiClient(t.url);
    const generated = await initialPassword(t.dataDir);
    await admin.login('admin', generated);
    data((await admin.post('/api/auth/password', { currentPassword: generated, newPassword: BETTER })).body);
    expect(existsSync(file)).toBe(false);
  });

  it('limits an editor to their villages', async () => {
    t = await startController();
    const { admin } = await staff(t);
    await newUser(admin, { username: 'cunganbu', villageIds: ['v2'] });
    const cadre = new ApiClient(t.url);
    await cadre.login('cunganbu', GOOD);
    await cadre.post('/api/auth/password', { currentPassword: GOOD, newPassword: BETTER });
    const townWide = await cadre.post('/api/notices', { title: '全镇通知', body: '正文', target: { scope: 'town' } });
    expect(townWide.status).toBe(403);
    const own = await cadre.post<Notice>('/api/notices', {
      title: '张堂村通知',
      body: '正文',
      target: { scope: 'villages', villageIds: ['v2'] },
    });
    expect(own.status).toBe(201);
  });
});

describe('sign-in throttling', () => {
  const HOME = '10.0.0.5';
  const ROUTER = '10.0.0.66';

  /** A controller that trusts X-Forwarded-For from loopback (to stand for many addresses), the admin's password cheap to check. */
  async function startGuarded(clock: { now: () => number }): Promise<{ t: TestController; password: string }> {
    const first = await startController();
    await first.stop();
    await cheapenPassword(first.dataDir, 'admin', GOOD);
    return { t: await startController({ dataDir: first.dataDir, clock, args: ['--trust-proxy', 'loopback'] }), password: GOOD };
  }

  it('locks the guessing address, not the account: the owner still gets in, and is told of the guesses', async () => {
    let now = Date.UTC(2026, 10, 26, 2, 0, 0);
    let password: string;
    ({ t, password } = await startGuarded({ now: () => now }));
    const from = (address: string) => new ApiClient(t!.url, { 'x-forwarded-for': address });
    // The owner's browser signed in once before, from the village office behind ROUTER.
    const office = from(ROUTER);
    await office.login('admin', password);
    expect(office.clientCookie).toMatch(/^gongshi_client=[A-Za-z0-9_-]{22}$/);
    await office.post('/api/auth/logout');

    // Someone else behind the same router guesses, one try every two seconds, until the address is refused.
    const attacker = from(ROUTER);
    let guesses = 0;
    let refused: Awaited<ReturnType<ApiClient['post']>> | undefined;
    while (!refused && guesses < 40) {
      now += 2_000;
      const res = await attacker.post('/api/auth/login', { username: 'admin', password: `guess-${guesses}` });
      if (res.status === 429) refused = res;
      else expect(res.status).toBe(401);
      guesses++;
    }
    expect(refused?.body).toMatchObject({ error: 'rate_limited' });
    expect(guesses).toBeGreaterThan(ADDRESS_RULE.freeFailures);
    const lastGuessAt = now - 2_000;
    // Even the right password from that address is not checked while it is locked: the lock is what stops the guessing.
    expect((await attacker.post('/api/auth/login', { username: 'admin', password })).status).toBe(429);

    // The owner's browser behind the same router is let through at once; so is a new browser from another address.
    const res = await office.post<StaffUser>('/api/auth/login', { username: 'admin', password });
    expect(res.status).toBe(200);
    expect(data(res.body).failedSignIns).toEqual({ count: guesses - 1, lastAt: lastGuessAt, addresses: [ROUTER] });
    expect(data((await office.get<StaffUser>('/api/auth/me')).body).failedSignIns).toMatchObject({ count: guesses - 1 });
    // Told once: the next sign-in, from anywhere, starts clean.
    const home = from(HOME);
    await home.login('admin', password);
    expect(data((await home.get<StaffUser>('/api/auth/me')).body).failedSignIns).toBeUndefined();
    expect((await attacker.post('/api/auth/login', { username: 'admin', password: 'one-more' })).status).toBe(429);
  }, 60_000);

  it('never refuses the right password for failures of the account from many addresses', async () => {
    let now = Date.UTC(2026, 10, 26, 2, 0, 0);
    let password: string;
    ({ t, password } = await startGuarded({ now: () => now }));
    for (let i = 0; i < 8; i++) {
      now += 100;
      const guess = new ApiClient(t.url, { 'x-forwarded-for': `10.1.0.${i}` });
      expect((await guess.post('/api/auth/login', { username: 'admin', password: 'wrong-guess' })).status).toBe(401);
    }
    // A new browser at a new address: only the account's short pause (two seconds at most) before it is let in.
    const owner = new ApiClient(t.url, { 'x-forwarded-for': '10.2.0.1' });
    const res = await owner.post<StaffUser>('/api/auth/login', { username: 'admin', password });
    expect(res.status).toBe(200);
    expect(data(res.body).failedSignIns).toMatchObject({ count: 8, addresses: expect.arrayContaining(['10.1.0.0', '10.1.0.7']) });
  }, 60_000);
});

describe('sessions', () => {
  it('keeps at most MAX_SESSIONS_PER_USER sessions per user: a new sign-in ends the oldest', async () => {
    const first = await startController();
    await first.stop();
    await cheapenPassword(first.dataDir, 'admin', GOOD);
    t = await startController({ dataDir: first.dataDir });
    const browsers: ApiClient[] = [];
    for (let i = 0; i < MAX_SESSIONS_PER_USER + 2; i++) {
      const browser = new ApiClient(t.url);
      await browser.login('admin', GOOD);
      browsers.push(browser);
    }
    const statuses = await Promise.all(browsers.map(async (b) => (await b.get('/api/auth/me')).status));
    expect(statuses).toEqual([401, 401, ...Array<number>(MAX_SESSIONS_PER_USER).fill(200)]);
    const state = JSON.parse(await readFile(path.join(t.dataDir, 'state.json'), 'utf8')) as { sessions: unknown[] };
    expect(state.sessions).toHaveLength(MAX_SESSIONS_PER_USER);
  });

  it('gives every sign-in a new 128-bit id, never one the browser brought, and ends it on the server at its expiry', async () => {
    let now = Date.UTC(2026, 10, 26, 2, 0, 0);
    t = await startController({ clock: { now: () => now } });
    const password = await initialPassword(t.dataDir);
    const client = new ApiClient(t.url);
    const planted = 'gongshi_session=AAAAAAAAAAAAAAAAAAAAAA';
    client.cookie = planted;
    await client.login('admin', password);
    const first = client.cookie;
    expect(first).not.toBe(planted);
    // 16 random bytes in base64url.
    expect(first).toMatch(/^gongshi_session=[A-Za-z0-9_-]{22}$/);
    const replayed = new ApiClient(t.url);
    replayed.cookie = planted;
    expect((await replayed.get('/api/auth/me')).status).toBe(401);
    await client.login('admin', password);
    expect(client.cookie).not.toBe(first);

    const old = new ApiClient(t.url);
    old.cookie = first;
    now += SESSION_TTL_MS - 1;
    expect((await old.get('/api/auth/me')).status).toBe(200);
    now += 1;
    // The cookie is still in the browser; the server no longer accepts it, for HTTP and for the admin socket.
    expect((await old.get('/api/auth/me')).status).toBe(401);
    const socket = connectAdmin(t.url, old.cookie);
    const refused = await new Promise<string>((resolve) => socket.once('connect_error', (e: Error) => resolve(e.message)));
    socket.disconnect();
    expect(refused).toMatch(/^unauthorized/);
  });
});
