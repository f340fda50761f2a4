/**
 * socket.io's edge: Origin checked in allowRequest on both namespaces, every
 * packet through the access gate, logout closing exactly that session's admin
 * sockets (and a reconnect going through auth again), and the 256 KB message
 * limit dropping the sender without hurting anyone else.
 */
import { io, type Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Ack, PairedDevice } from '../../../controller/protocol/index.js';
import { SOCKET_MAX_BUFFER_BYTES } from '../../../controller/realtime/server.js';
import {
  ApiClient,
  type TestController,
  connectAdmin,
  connectKiosk,
  data,
  initialPassword,
  nextEvent,
  staff,
  startController,
} from '../../helpers/controller.js';

let t: TestController;
let admin: ApiClient;
let editor: ApiClient;
let kioskAuth: { deviceId: string; token: string };
const open: Socket[] = [];

beforeAll(async () => {
  t = await startController();
  ({ admin, editor } = await staff(t));
  const paired = data((await admin.post<PairedDevice>('/api/devices', { name: '安全测试屏', villageId: 'v2', kind: 'kiosk' })).body);
  kioskAuth = { deviceId: paired.device.id, token: paired.token };
});
afterEach(() => {
  for (const s of open.splice(0)) s.disconnect();
});
afterAll(async () => {
  await t.dispose();
});

const track = <S extends Socket>(s: S): S => {
  open.push(s);
  return s;
};

/** Resolves 'connected' or the connect_error message. */
function outcome(s: Socket): Promise<string> {
  return new Promise((resolve) => {
    s.once('connect', () => resolve('connected'));
    s.once('connect_error', (e: Error) => resolve(`refused: ${e.message}`));
  });
}

const emitWithAck = (s: Socket, event: string, ...args: unknown[]): Promise<Ack<unknown>> =>
  s.timeout(10_000).emitWithAck(event, ...args) as Promise<Ack<unknown>>;

describe('Origin check (cross-site WebSocket hijacking)', () => {
  for (const transport of ['websocket', 'polling'] as const) {
    it(`refuses a foreign Origin on /kiosk and /admin with valid credentials, and accepts the own origin (${transport})`, async () => {
      const kiosk = (origin: string) =>
        track(
          io(`${t.url}/kiosk`, { auth: kioskAuth, transports: [transport], extraHeaders: { origin }, reconnection: false, forceNew: true }),
        );
      const staffSocket = (origin: string) =>
        track(
          io(`${t.url}/admin`, {
            extraHeaders: { origin, cookie: admin.cookie },
            transports: [transport],
            reconnection: false,
            forceNew: true,
          }),
        );
      for (const foreign of ['https://evil.example', 'null', `${t.url}.evil.example`]) {
        expect(await outcome(kiosk(foreign)), foreign).toMatch(/^refused/);
        expect(await outcome(staffSocket(foreign)), foreign).toMatch(/^refused/);
      }
      expect(await outcome(kiosk(t.url))).toBe('connected');
      expect(await outcome(staffSocket(t.url))).toBe('connected');
    });
  }
});

describe('who may connect and send what', () => {
  it('refuses a kiosk token on /admin and a staff cookie on /kiosk', async () => {
    const asStaff = track(
      io(`${t.url}/kiosk`, { extraHeaders: { cookie: admin.cookie }, transports: ['websocket'], reconnection: false, forceNew: true }),
    );
    expect(await outcome(asStaff)).toMatch(/^refused: invalid_payload/);
    const asKiosk = track(io(`${t.url}/admin`, { auth: kioskAuth, transports: ['websocket'], reconnection: false, forceNew: true }));
    expect(await outcome(asKiosk)).toBe('refused: unauthorized: sign in first');
  });

  it('answers an event without an access rule with not_found on both namespaces, and the socket stays usable', async () => {
    const kiosk = track(connectKiosk(t.url, kioskAuth) as unknown as Socket);
    const staffSocket = track(connectAdmin(t.url, admin.cookie) as unknown as Socket);
    expect(await outcome(kiosk)).toBe('connected');
    expect(await outcome(staffSocket)).toBe('connected');
    for (const event of ['devices:list', 'notices:delete', '__proto__', 'constructor']) {
      expect(await emitWithAck(kiosk, event, {}), `kiosk ${event}`).toMatchObject({ ok: false, error: 'not_found' });
    }
    for (const event of ['display:report', 'device:heartbeat', 'users:create', '__proto__', 'hasOwnProperty']) {
      expect(await emitWithAck(staffSocket, event, {}), `admin ${event}`).toMatchObject({ ok: false, error: 'not_found' });
    }
    expect(await emitWithAck(staffSocket, 'devices:list', {})).toMatchObject({ ok: true });
    expect(await emitWithAck(kiosk, 'device:heartbeat', { nope: 1 })).toMatchObject({ ok: false, error: 'invalid_payload' });
    expect(t.logs.filter((e) => e.message.includes('has a handler but no access rule'))).toEqual([]);
  });
});

describe('demo kiosks without a token', () => {
  it('open from this machine, but not through a reverse proxy on it (X-Forwarded-For)', async () => {
    const demo = (headers: Record<string, string>) =>
      track(
        io(`${t.url}/kiosk`, {
          auth: { deviceId: 'demo-kiosk-v2' },
          extraHeaders: headers,
          transports: ['websocket'],
          reconnection: false,
          forceNew: true,
        }),
      );
    expect(await outcome(demo({}))).toBe('connected');
    expect(await outcome(demo({ 'x-forwarded-for': '203.0.113.9' }))).toMatch(/^refused: unauthorized/);
  });
});

describe('logout', () => {
  it("disconnects exactly that session's admin sockets; a reconnect with the old cookie goes through auth and is refused", async () => {
    const second = new ApiClient(t.url);
    await second.login('admin', await initialPassword(t.dataDir));
    const mine = track(connectAdmin(t.url, second.cookie) as unknown as Socket);
    const mineToo = track(connectAdmin(t.url, second.cookie) as unknown as Socket);
    const otherSession = track(connectAdmin(t.url, admin.cookie) as unknown as Socket);
    const otherUser = track(connectAdmin(t.url, editor.cookie) as unknown as Socket);
    for (const s of [mine, mineToo, otherSession, otherUser]) expect(await outcome(s)).toBe('connected');

    const closed = Promise.all([mine, mineToo].map((s) => new Promise<string>((resolve) => s.once('disconnect', resolve))));
    const oldCookie = second.cookie;
    expect((await second.post('/api/auth/logout')).status).toBe(200);
    expect(await closed).toEqual(['io server disconnect', 'io server disconnect']);

    expect(otherSession.connected && otherUser.connected).toBe(true);
    expect(await emitWithAck(otherSession, 'devices:list', {})).toMatchObject({ ok: true });
    expect(await outcome(track(connectAdmin(t.url, oldCookie) as unknown as Socket))).toBe('refused: unauthorized: sign in first');
  });
});

describe('message size limit', () => {
  it(`drops a kiosk that sends more than ${SOCKET_MAX_BUFFER_BYTES} bytes; the controller and other kiosks carry on`, async () => {
    const bystander = track(connectKiosk(t.url, kioskAuth) as unknown as Socket);
    const sender = track(connectKiosk(t.url, kioskAuth) as unknown as Socket);
    expect(await outcome(bystander)).toBe('connected');
    expect(await outcome(sender)).toBe('connected');

    // Just under the limit: read, and refused with a clear error naming the field.
    const under = await emitWithAck(sender, 'display:report', { receipts: 'x'.repeat(SOCKET_MAX_BUFFER_BYTES - 1024) });
    expect(under).toMatchObject({ ok: false, error: 'invalid_payload', fields: { receipts: expect.any(String) } });

    const dropped = new Promise<string>((resolve) => sender.once('disconnect', resolve));
    sender.emit('display:report', { receipts: 'x'.repeat(SOCKET_MAX_BUFFER_BYTES + 1024) }, () => undefined);
    expect(await dropped).toBe('transport close');

    expect(bystander.connected).toBe(true);
    expect(await emitWithAck(bystander, 'device:heartbeat', { build: 't', clock: Date.now(), showing: null, queued: 0 })).toMatchObject({
      ok: true,
    });
    expect((await fetch(`${t.url}/api/health`)).status).toBe(200);
    const again = track(connectKiosk(t.url, kioskAuth) as unknown as Socket);
    await nextEvent(again as never, 'server:hello');
  });

  it('drops an oversized admin message the same way', async () => {
    const s = track(connectAdmin(t.url, admin.cookie) as unknown as Socket);
    expect(await outcome(s)).toBe('connected');
    const dropped = new Promise<string>((resolve) => s.once('disconnect', resolve));
    s.emit('devices:list', { filler: 'x'.repeat(SOCKET_MAX_BUFFER_BYTES + 1) }, () => undefined);
    expect(await dropped).toBe('transport close');
    expect((await fetch(`${t.url}/api/health`)).status).toBe(200);
  });
});
