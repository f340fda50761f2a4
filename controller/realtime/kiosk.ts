/**
 * `/kiosk`: device-token auth, hello + full playlist on every connect, display
 * reports acknowledged only once durable, and playlist pushes to exactly the
 * devices whose playlist changed.
 */
import { DISK_FULL_MESSAGE, isDiskFull } from '../ops/diskWatch.js';
import type { Namespace, Server, Socket } from 'socket.io';
import { createRateLimit } from '../auth/rateLimit.js';
import type { Clock } from '../clock.js';
import type { EventBus } from '../events.js';
import { compilePlaylist } from '../domain/playlist.js';
import type { Logger } from '../logger.js';
import {
  type Ack,
  type DisplayReportResult,
  KIOSK_NAMESPACE,
  type KioskClientToServerEvents,
  type KioskServerToClientEvents,
  PROTOCOL_VERSION,
  TOWN_UTC_OFFSET_MINUTES,
  type Playlist,
  type HeartbeatAnswer,
  type LedgerProof,
  displayReport,
  fail,
  heartbeat,
  invalidPayload,
  kioskAuth,
  ok,
  proofRequest,
  witnessAlarmReport,
} from '../protocol/index.js';
import type { DeviceService } from '../services/devices.js';
import type { DisplayService } from '../services/displays.js';
import type { WitnessService } from '../services/witnesses.js';
import type { DeviceRecord, StateStore } from '../store/state.js';
import { KIOSK_EVENT_RULES, guardEvents } from './access.js';
import { type TrustFn, clientAddress, isLoopback } from './address.js';

interface KioskSocketData {
  deviceId: string;
}

type KioskNamespace = Namespace<KioskClientToServerEvents, KioskServerToClientEvents, Record<string, never>, KioskSocketData>;
type KioskSocket = Socket<KioskClientToServerEvents, KioskServerToClientEvents, Record<string, never>, KioskSocketData>;

export interface KioskHubDeps {
  store: StateStore;
  bus: EventBus;
  devices: DeviceService;
  displays: DisplayService;
  clock: Clock;
  logger: Logger;
  demoMode: () => boolean;
  build: () => string;
  /** Proves the ledger to devices and takes their alarms (services/witnesses.ts). */
  witnesses: WitnessService;
  /** Express's `trust proxy` test, so wrong tokens count against the real client behind a trusted proxy, not the proxy. */
  trustProxy?: TrustFn;
}

export interface KioskHub {
  /** Recompiles every device's playlist and pushes the ones that changed. */
  publish(): void;
  stop(): void;
}

/** Events a kiosk may send: a burst for catching up after a reconnect, then a steady trickle. */
export const KIOSK_EVENT_LIMIT = { burst: 40, perSecond: 4 } as const;
/** A kiosk refused this many times in a row is disconnected (it will reconnect and start afresh). */
export const KIOSK_FLOOD_DISCONNECT = 200;
/** Wrong tokens per address before further attempts wait: guessing tokens is slow. */
export const KIOSK_AUTH_FAILURES = { burst: 20, perSecond: 0.1 } as const;

const room = (deviceId: string): string => `device:${deviceId}`;

/** Wraps a handler so that it always answers, never throws across the socket, and logs internal errors. */
function guarded<T>(logger: Logger, event: string, ack: unknown, work: () => Promise<Ack<T>>): void {
  if (typeof ack !== 'function') {
    logger.debug(`${event} without an acknowledgement callback; ignored`);
    return;
  }
  const answer = ack as (a: Ack<T>) => void;
  work().then(answer, (error: unknown) => {
    logger.error(`${event} failed`, { error });
    answer(
      isDiskFull(error)
        ? fail('disk_full', `${DISK_FULL_MESSAGE} Keep it and send it again (请保留并重发).`)
        : fail('internal', 'the controller could not record this now; keep it and try again'),
    );
  });
}

export function attachKioskNamespace(io: Server, deps: KioskHubDeps): KioskHub {
  // socket.io types a namespace with the server's event maps; each namespace here has its own.
  const nsp = io.of(KIOSK_NAMESPACE) as unknown as KioskNamespace;
  const log = deps.logger;
  /** Playlist version each device was last sent, to push only what changed. */
  const sent = new Map<string, string>();

  const events = createRateLimit({ ...KIOSK_EVENT_LIMIT, now: () => deps.clock.now() });
  const authFailures = createRateLimit({ ...KIOSK_AUTH_FAILURES, now: () => deps.clock.now() });
  const floods = new Map<string, number>();
  /** Runs an event's work if the device is within its limit, else answers rate_limited (and disconnects a persistent flooder). */
  const limited = <T>(socket: KioskSocket, event: string, ack: unknown, work: () => Promise<Ack<T>>): void => {
    const { deviceId } = socket.data;
    if (events.take(deviceId)) {
      floods.delete(deviceId);
      guarded(log, event, ack, work);
      return;
    }
    const refused = (floods.get(deviceId) ?? 0) + 1;
    floods.set(deviceId, refused);
    if (refused === 1) log.warn(`kiosk ${deviceId} is sending too fast; throttling it`);
    if (refused >= KIOSK_FLOOD_DISCONNECT) {
      floods.delete(deviceId);
      log.warn(`kiosk ${deviceId} kept flooding; disconnected`);
      socket.disconnect(true);
      return;
    }
    const retry = events.retryAfterSec(deviceId);
    guarded(log, event, ack, () =>
      Promise.resolve(fail('rate_limited', `too many messages from this kiosk; wait ${retry} s and send again`)),
    );
  };
  /** Closes a device's sockets, giving the last message or answer a moment to leave first. */
  const cutOff = (deviceId: string): void => {
    setTimeout(() => nsp.in(room(deviceId)).disconnectSockets(true), 200).unref();
  };
  const onRevoked = (deviceId: string, reason: string): void => {
    nsp.to(room(deviceId)).emit('device:revoked', { reason });
    cutOff(deviceId);
  };
  /**
   * The device as it stands now, or null (and its sockets cut off) once it is removed or revoked: checked on
   * every message, so nothing a revoked kiosk sends is recorded after the revoke was answered, however long its
   * socket takes to close.
   */
  const stillPaired = (deviceId: string): DeviceRecord | null => {
    const current = deps.store.read().devices.find((d) => d.id === deviceId);
    if (current && (current.revokedAt ?? null) === null) return current;
    cutOff(deviceId);
    return null;
  };
  const REVOKED = 'this kiosk has been revoked or removed; pair it again from the admin app (此设备已被停用，请在管理端重新配对)';
  deps.bus.on('device:revoked', onRevoked);

  const playlistFor = (device: DeviceRecord): Playlist => {
    const state = deps.store.read();
    return compilePlaylist(state.notices, { villageId: device.villageId, onHours: device.onHours ?? null }, deps.clock.now(), {
      rotationBoundsSec: state.settings.rotationBoundsSec,
    });
  };
  /** Devices with the same village and hours get the same playlist: compile it once. */
  const groupKey = (device: DeviceRecord): string => `${device.villageId} ${JSON.stringify(device.onHours ?? null)}`;

  nsp.use((socket, next) => {
    const peer = socket.handshake.address;
    const address = deps.trustProxy ? clientAddress(peer, socket.handshake.headers['x-forwarded-for'], deps.trustProxy) : peer;
    // The token is checked first (one SHA-256 and a constant-time compare), and only failures count against the
    // address: many real kiosks share one address behind a village router or a 4G NAT, and a forger among them must
    // not lock them out. A 256-bit token is not guessed at any rate; the wait only keeps a forger's noise down.
    const parsed = kioskAuth.safeParse(socket.handshake.auth);
    const device = parsed.success
      ? deps.devices.authenticate(parsed.data.deviceId, parsed.data.token, {
          demoMode: deps.demoMode(),
          // Behind a reverse proxy on this machine every client arrives from loopback; the forwarded header says it is not.
          loopback: isLoopback(peer) && socket.handshake.headers['x-forwarded-for'] === undefined,
        })
      : null;
    if (!device) {
      const wait = authFailures.retryAfterSec(address);
      if (wait > 0) return next(new Error(`rate_limited: too many failed attempts from this address; wait ${wait} s`));
      if (!parsed.success) return next(new Error(`invalid_payload: ${invalidPayload(parsed.error).message}`));
      authFailures.take(address);
      log.info('kiosk refused', { deviceId: parsed.data.deviceId, address });
      return next(new Error('unauthorized: unknown device or wrong token; pair this kiosk again from the admin app'));
    }
    socket.data.deviceId = device.id;
    next();
  });

  nsp.on('connection', (socket: KioskSocket) => {
    const { deviceId } = socket.data;
    const state = deps.store.read();
    const device = state.devices.find((d) => d.id === deviceId);
    const village = state.villages.find((v) => v.id === device?.villageId);
    const view = deps.devices.get(deviceId);
    if (!device || !village || !view) {
      socket.disconnect(true);
      return;
    }
    void socket.join(room(deviceId));
    deps.devices.markOnline(deviceId);
    log.debug(() => `kiosk ${deviceId} connected from ${socket.handshake.address}`);

    socket.emit('server:hello', {
      protocol: PROTOCOL_VERSION,
      build: deps.build(),
      device: { ...view, online: true },
      village,
      town: state.town,
      utcOffsetMinutes: TOWN_UTC_OFFSET_MINUTES,
    });
    const playlist = playlistFor(device);
    sent.set(deviceId, playlist.version);
    socket.emit('playlist:updated', playlist);

    socket.on('display:report', (payload: unknown, ack: unknown) => {
      limited<DisplayReportResult>(socket, 'display:report', ack, async () => {
        const parsed = displayReport.safeParse(payload);
        if (!parsed.success) return invalidPayload(parsed.error);
        const current = stillPaired(deviceId);
        if (!current) return fail('unauthorized', REVOKED);
        return ok(await deps.displays.record(current, parsed.data.receipts));
      });
    });

    socket.on('device:heartbeat', (payload: unknown, ack: unknown) => {
      limited<HeartbeatAnswer>(socket, 'device:heartbeat', ack, () => {
        const parsed = heartbeat.safeParse(payload);
        if (!stillPaired(deviceId)) return Promise.resolve(fail('unauthorized', REVOKED));
        return Promise.resolve(parsed.success ? ok(deps.devices.heartbeat(deviceId, parsed.data)) : invalidPayload(parsed.error));
      });
    });

    socket.on('ledger:prove', (payload: unknown, ack: unknown) => {
      limited<LedgerProof>(socket, 'ledger:prove', ack, async () => {
        const parsed = proofRequest.safeParse(payload);
        return parsed.success ? ok(await deps.witnesses.prove(parsed.data)) : invalidPayload(parsed.error);
      });
    });

    socket.on('ledger:witness-alarm', (payload: unknown, ack: unknown) => {
      limited<null>(socket, 'ledger:witness-alarm', ack, async () => {
        const parsed = witnessAlarmReport.safeParse(payload);
        if (!parsed.success) return invalidPayload(parsed.error);
        await deps.witnesses.report(deviceId, parsed.data);
        return ok(null);
      });
    });

    socket.on('disconnect', () => {
      deps.devices.markOffline(deviceId);
      log.debug(() => `kiosk ${deviceId} disconnected`);
    });
    guardEvents(
      socket,
      KIOSK_EVENT_RULES,
      (access) => (access === 'device' ? null : fail('forbidden', 'this event is for staff, not kiosks')),
      log,
    );
  });

  return {
    publish() {
      const byGroup = new Map<string, Playlist>();
      const groups = new Map<string, { playlist: Playlist; rooms: string[] }>();
      for (const device of deps.store.read().devices) {
        if (device.kind !== 'kiosk') continue;
        const key = groupKey(device);
        let playlist = byGroup.get(key);
        if (!playlist) {
          playlist = playlistFor(device);
          byGroup.set(key, playlist);
        }
        if (sent.get(device.id) === playlist.version) continue;
        sent.set(device.id, playlist.version);
        const group = groups.get(playlist.version) ?? { playlist, rooms: [] };
        group.rooms.push(room(device.id));
        groups.set(playlist.version, group);
      }
      // One encode per distinct playlist, however many devices share it.
      for (const { playlist, rooms } of groups.values()) nsp.to(rooms).emit('playlist:updated', playlist);
      if (groups.size > 0) log.debug(() => `pushed ${groups.size} playlist version(s)`);
    },
    stop() {
      deps.bus.off('device:revoked', onRevoked);
    },
  };
}
