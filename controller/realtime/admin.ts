/**
 * `/admin`: staff session auth from the same cookie as the HTTP API, then
 * live updates of notices, displays and device status.
 */
import type { Namespace, Server, Socket } from 'socket.io';
import { SESSION_COOKIE, readCookie, type Sessions } from '../auth/sessions.js';
import { sha256Hex } from '../domain/canonical.js';
import type { EventBus } from '../events.js';
import type { Logger } from '../logger.js';
import {
  ADMIN_NAMESPACE,
  type AdminClientToServerEvents,
  type AdminServerToClientEvents,
  PROTOCOL_VERSION,
  emptyRequest,
  invalidPayload,
  ok,
} from '../protocol/index.js';
import type { DeviceService } from '../services/devices.js';
import type { SignsService } from '../services/signs.js';
import { ADMIN_EVENT_RULES, guardEvents, staffRule } from './access.js';
import { SIGN_WATCHERS_ROOM, createSignsLive } from './signsLive.js';

interface AdminSocketData {
  userId: string;
  sessionIdHash: string;
}

type AdminNamespace = Namespace<AdminClientToServerEvents, AdminServerToClientEvents, Record<string, never>, AdminSocketData>;
type AdminSocket = Socket<AdminClientToServerEvents, AdminServerToClientEvents, Record<string, never>, AdminSocketData>;

export const STAFF_ROOM = 'staff';
/**
 * Device status is sent to staff at most once per this interval, the newest per device: a thousand kiosks
 * beating (on connect, on every new card, every half minute) must not flood the staff's browsers.
 */
export const DEVICE_STATUS_COALESCE_MS = 1_000;

export function attachAdminNamespace(
  io: Server,
  deps: {
    sessions: Sessions;
    devices: DeviceService;
    bus: EventBus;
    logger: Logger;
    build: () => string;
    /** The LED signs' live view (signs:watch and the sign:* pushes); absent, those events answer not_found. */
    signs?: Pick<SignsService, 'list' | 'view' | 'frame' | 'onChange'>;
  },
): { stop(): void } {
  // socket.io types a namespace with the server's event maps; each namespace here has its own.
  const nsp = io.of(ADMIN_NAMESPACE) as unknown as AdminNamespace;
  const signsLive = deps.signs
    ? createSignsLive({
        signs: deps.signs,
        room: () => nsp.to(SIGN_WATCHERS_ROOM),
        watchers: () => nsp.adapter.rooms.get(SIGN_WATCHERS_ROOM)?.size ?? 0,
      })
    : null;

  nsp.use((socket, next) => {
    const sessionId = readCookie(socket.handshake.headers.cookie, SESSION_COOKIE);
    const user = deps.sessions.resolve(sessionId);
    if (!user || !sessionId) return next(new Error('unauthorized: sign in first'));
    socket.data.userId = user.id;
    socket.data.sessionIdHash = sha256Hex(sessionId);
    next();
  });

  nsp.on('connection', (socket: AdminSocket) => {
    void socket.join([STAFF_ROOM, `user:${socket.data.userId}`]);
    socket.emit('server:hello', { protocol: PROTOCOL_VERSION, build: deps.build() });
    socket.on('devices:list', (query: unknown, ack: unknown) => {
      if (typeof ack !== 'function') return;
      const parsed = emptyRequest.safeParse(query ?? {});
      (ack as (a: unknown) => void)(parsed.success ? ok(deps.devices.list()) : invalidPayload(parsed.error));
    });
    signsLive?.handle(socket);
    // Per packet: the session may have ended or lost a role since the handshake.
    guardEvents(
      socket,
      ADMIN_EVENT_RULES,
      (access) => staffRule(access, deps.sessions.resolve(readCookie(socket.handshake.headers.cookie, SESSION_COOKIE))),
      deps.logger,
    );
  });

  const onNotice = (n: Parameters<AdminServerToClientEvents['notice:changed']>[0]): void => {
    nsp.to(STAFF_ROOM).emit('notice:changed', n);
  };
  const onDisplay = (r: Parameters<AdminServerToClientEvents['display:recorded']>[0]): void => {
    nsp.to(STAFF_ROOM).emit('display:recorded', r);
  };
  const pendingDevices = new Map<string, Parameters<AdminServerToClientEvents['device:status-changed']>[0]>();
  let deviceFlush: NodeJS.Timeout | null = null;
  const onDevice = (d: Parameters<AdminServerToClientEvents['device:status-changed']>[0]): void => {
    pendingDevices.set(d.id, d);
    deviceFlush ??= setTimeout(() => {
      deviceFlush = null;
      for (const device of pendingDevices.values()) nsp.to(STAFF_ROOM).emit('device:status-changed', device);
      pendingDevices.clear();
    }, DEVICE_STATUS_COALESCE_MS);
  };
  const onSessionEnded = (idHash: string): void => {
    for (const socket of nsp.sockets.values()) if (socket.data.sessionIdHash === idHash) socket.disconnect(true);
  };
  deps.bus.on('session:ended', onSessionEnded);
  deps.bus.on('notice:changed', onNotice);
  deps.bus.on('display:recorded', onDisplay);
  deps.bus.on('device:status-changed', onDevice);

  return {
    stop() {
      deps.bus.off('session:ended', onSessionEnded);
      deps.bus.off('notice:changed', onNotice);
      deps.bus.off('display:recorded', onDisplay);
      deps.bus.off('device:status-changed', onDevice);
      if (deviceFlush) clearTimeout(deviceFlush);
      signsLive?.stop();
    },
  };
}
