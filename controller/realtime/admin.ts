/**
 * `/admin`: staff session auth from the same cookie as the HTTP API, then
 * live updates of notices, displays and device status.
 */
import type { Namespace, Server, Socket } from 'socket.io';
import { readSessionId, type Sessions } from '../auth/sessions.js';
import { sha256Hex } from '../domain/canonical.js';
import { type VillageScope, scopeOf, withinScope } from '../domain/villageScope.js';
import type { EventBus } from '../events.js';
import type { Logger } from '../logger.js';
import {
  ADMIN_NAMESPACE,
  type AdminClientToServerEvents,
  type AdminServerToClientEvents,
  type Device,
  type DisplayRecord,
  PROTOCOL_VERSION,
  type SessionEndReason,
  emptyRequest,
  invalidPayload,
  ok,
} from '../protocol/index.js';
import type { DeviceService } from '../services/devices.js';
import type { SignsService } from '../services/signs.js';
import { ADMIN_EVENT_RULES, guardEvents, staffRule } from './access.js';
import { type TrustFn, requestIsSecure } from './address.js';
import { createCoalescer } from './coalesce.js';
import { SIGN_WATCHERS_ROOM, createSignsLive } from './signsLive.js';

interface AdminSocketData {
  userId: string;
  sessionIdHash: string;
  /** The handshake came over TLS: the session cookie is the `__Host-` one. */
  secure: boolean;
  /** The user's village scope (domain/villageScope.ts), kept current as an admin changes the account: what the village pushes reach. */
  scope: VillageScope;
}

type AdminNamespace = Namespace<AdminClientToServerEvents, AdminServerToClientEvents, Record<string, never>, AdminSocketData>;
type AdminSocket = Socket<AdminClientToServerEvents, AdminServerToClientEvents, Record<string, never>, AdminSocketData>;

export const STAFF_ROOM = 'staff';
/** Town-wide staff: every village's pushes reach them. */
export const TOWN_ROOM = 'staff:town';
/** Staff limited to villages join one room per village of theirs. */
export const villageRoom = (villageId: string): string => `staff:village:${villageId}`;
/** The rooms of a scope's pushes: every village's, or one per village of the user's. */
const scopeRooms = (scope: VillageScope): string[] => (scope === null ? [TOWN_ROOM] : scope.map(villageRoom));
const sameScope = (a: VillageScope, b: VillageScope): boolean =>
  a === null || b === null ? a === b : a.length === b.length && a.every((id) => b.includes(id));
/** The rooms that may see something of these villages (null: of the whole town only). */
const roomsFor = (villageIds: readonly (string | null)[]): string[] => [
  TOWN_ROOM,
  ...villageIds.filter((id): id is string => id !== null).map(villageRoom),
];
/**
 * Device status is sent to staff at most once per this interval, the newest per device: a thousand kiosks
 * beating (on connect, on every new card, every half minute) must not flood the staff's browsers.
 */
export const DEVICE_STATUS_COALESCE_MS = 1_000;
/**
 * Display records reach staff as one `displays:recorded` batch at most once per this interval: at a thousand
 * kiosks that is one event a second per open admin tab instead of dozens.
 */
export const DISPLAYS_COALESCE_MS = 1_000;
/**
 * A batch holds at most this many records, the newest (the admin's list keeps 500); older ones of the same
 * second are counted in `dropped`, and the admin fetches the list again. Bounds a storm of outboxes flushing at once.
 */
export const DISPLAYS_BATCH_MAX = 500;

export function attachAdminNamespace(
  io: Server,
  deps: {
    sessions: Sessions;
    devices: DeviceService;
    bus: EventBus;
    logger: Logger;
    build: () => string;
    /** The controller's clock (sessions expire by it). */
    now: () => number;
    /** Express's compiled `trust proxy`: whether a handshake's X-Forwarded-Proto is believed (as for HTTP requests). */
    trustProxy?: TrustFn;
    /** The LED signs' live view (signs:watch and the sign:* pushes); absent, those events answer not_found. */
    signs?: Pick<SignsService, 'list' | 'view' | 'frame' | 'onChange'>;
  },
): { stop(): void } {
  // socket.io types a namespace with the server's event maps; each namespace here has its own.
  const nsp = io.of(ADMIN_NAMESPACE) as unknown as AdminNamespace;
  const signsLive = deps.signs
    ? createSignsLive({
        signs: deps.signs,
        room: (rooms) => nsp.to(rooms),
        watchers: () => nsp.adapter.rooms.get(SIGN_WATCHERS_ROOM)?.size ?? 0,
      })
    : null;

  nsp.use((socket, next) => {
    const secure = requestIsSecure(socket.request, deps.trustProxy);
    const sessionId = readSessionId(socket.handshake.headers.cookie, secure);
    const user = deps.sessions.resolve(sessionId);
    if (!user || !sessionId) return next(new Error('unauthorized: sign in first'));
    socket.data.secure = secure;
    socket.data.userId = user.id;
    socket.data.sessionIdHash = sha256Hex(sessionId);
    socket.data.scope = scopeOf(user);
    next();
  });

  nsp.on('connection', (socket: AdminSocket) => {
    endAtExpiry(socket);
    const scope = socket.data.scope;
    void socket.join([STAFF_ROOM, `user:${socket.data.userId}`, ...scopeRooms(scope)]);
    socket.emit('server:hello', { protocol: PROTOCOL_VERSION, build: deps.build() });
    socket.on('devices:list', (query: unknown, ack: unknown) => {
      if (typeof ack !== 'function') return;
      const parsed = emptyRequest.safeParse(query ?? {});
      const devices = withinScope(socket.data.scope, deps.devices.list(), (d) => d.villageId);
      (ack as (a: unknown) => void)(parsed.success ? ok(devices) : invalidPayload(parsed.error));
    });
    signsLive?.handle(socket, () => socket.data.scope);
    // Per packet: the session may have ended or lost a role since the handshake.
    guardEvents(
      socket,
      ADMIN_EVENT_RULES,
      (access) => staffRule(access, deps.sessions.resolve(readSessionId(socket.handshake.headers.cookie, socket.data.secure))),
      deps.logger,
    );
  });

  const onNotice = (n: Parameters<AdminServerToClientEvents['notice:changed']>[0]): void => {
    // As domain `mayRead`: a published notice is anyone's; a draft reaches town-wide staff and those of a village it names.
    nsp.to(n.live !== null ? STAFF_ROOM : roomsFor(n.target.scope === 'town' ? [] : n.target.villageIds)).emit('notice:changed', n);
  };
  const displays = createCoalescer<DisplayRecord>({
    intervalMs: DISPLAYS_COALESCE_MS,
    key: (r) => r.receiptId,
    max: DISPLAYS_BATCH_MAX,
    flush: (records, dropped) => {
      nsp.to(TOWN_ROOM).emit('displays:recorded', { records, dropped });
      // Staff limited to villages get their villages' records, each village apart.
      for (const villageId of new Set(records.map((r) => r.villageId))) {
        nsp.to(villageRoom(villageId)).emit('displays:recorded', { records: records.filter((r) => r.villageId === villageId), dropped });
      }
    },
  });
  const devices = createCoalescer<Device>({
    intervalMs: DEVICE_STATUS_COALESCE_MS,
    key: (d) => d.id,
    flush: (changed) => {
      for (const device of changed) nsp.to(roomsFor([device.villageId])).emit('device:status-changed', device);
    },
  });
  const onDisplay = (r: DisplayRecord): void => displays.push(r);
  const onDevice = (d: Device): void => devices.push(d);
  /**
   * A session's time runs out with no request to notice it: its socket is told ('expired') and closed then, so an
   * open admin page stops receiving the town's notices and devices when its sign-in ends.
   */
  function endAtExpiry(socket: AdminSocket): void {
    let timer: NodeJS.Timeout | null = null;
    const check = (): void => {
      const sessionId = readSessionId(socket.handshake.headers.cookie, socket.data.secure);
      const expiresAt = deps.sessions.expiresAt(sessionId);
      if (expiresAt === null) return; // ended otherwise: its own `session:ended` closed the socket
      const left = expiresAt - deps.now();
      if (left > 0) {
        // Checked again at the expiry (and at least daily: a clock set forward or back is followed).
        timer = setTimeout(check, Math.min(left + 100, 24 * 3600_000));
        timer.unref();
        return;
      }
      socket.emit('session:ended', { reason: 'expired' });
      socket.disconnect(true);
    };
    check();
    socket.once('disconnect', () => {
      if (timer) clearTimeout(timer);
    });
  }
  /** A session ended: each of its sockets is told why (the app signs out and says so), then closed. */
  const onSessionEnded = (idHash: string, reason: SessionEndReason): void => {
    for (const socket of nsp.sockets.values()) {
      if (socket.data.sessionIdHash !== idHash) continue;
      socket.emit('session:ended', { reason });
      socket.disconnect(true);
    }
  };
  /**
   * An admin changed the account (roles, villages, disabled): each of its open sockets takes the new scope now —
   * leaves the rooms of villages no longer theirs and joins the new ones, here and among the sign watchers — and
   * is told; a socket whose session no longer resolves (the account disabled) closes.
   */
  const onUserChanged = (userId: string): void => {
    for (const socket of nsp.sockets.values()) {
      if (socket.data.userId !== userId) continue;
      const user = deps.sessions.resolve(readSessionId(socket.handshake.headers.cookie, socket.data.secure));
      if (!user) {
        socket.disconnect(true);
        continue;
      }
      const from = socket.data.scope;
      const to = scopeOf(user);
      if (!sameScope(from, to)) {
        socket.data.scope = to;
        const next = scopeRooms(to);
        for (const room of scopeRooms(from)) if (!next.includes(room)) void socket.leave(room);
        void socket.join(next);
        signsLive?.rescope(socket, from, to);
      }
      socket.emit('access:changed', { roles: user.roles, villageIds: user.villageIds });
    }
  };
  deps.bus.on('session:ended', onSessionEnded);
  deps.bus.on('user:changed', onUserChanged);
  deps.bus.on('notice:changed', onNotice);
  deps.bus.on('display:recorded', onDisplay);
  deps.bus.on('device:status-changed', onDevice);

  return {
    stop() {
      deps.bus.off('session:ended', onSessionEnded);
      deps.bus.off('user:changed', onUserChanged);
      deps.bus.off('notice:changed', onNotice);
      deps.bus.off('display:recorded', onDisplay);
      deps.bus.off('device:status-changed', onDevice);
      displays.stop();
      devices.stop();
      signsLive?.stop();
    },
  };
}
