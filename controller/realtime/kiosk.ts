/**
 * `/kiosk`: device-token auth, hello + full playlist on every connect, display
 * reports acknowledged only once durable, and playlist pushes to exactly the
 * devices whose playlist changed.
 */
import type { Namespace, Server, Socket } from 'socket.io';
import type { Clock } from '../clock.js';
import { compilePlaylist } from '../domain/playlist.js';
import type { Logger } from '../logger.js';
import {
  type Ack,
  type DisplayReportResult,
  KIOSK_NAMESPACE,
  type KioskClientToServerEvents,
  type KioskServerToClientEvents,
  PROTOCOL_VERSION,
  type Playlist,
  displayReport,
  fail,
  invalidPayload,
  kioskAuth,
  ok,
} from '../protocol/index.js';
import type { DeviceService } from '../services/devices.js';
import type { DisplayService } from '../services/displays.js';
import type { StateStore } from '../store/state.js';
import { isLoopback } from './address.js';

interface KioskSocketData {
  deviceId: string;
}

type KioskNamespace = Namespace<KioskClientToServerEvents, KioskServerToClientEvents, Record<string, never>, KioskSocketData>;
type KioskSocket = Socket<KioskClientToServerEvents, KioskServerToClientEvents, Record<string, never>, KioskSocketData>;

export interface KioskHubDeps {
  store: StateStore;
  devices: DeviceService;
  displays: DisplayService;
  clock: Clock;
  logger: Logger;
  demoMode: () => boolean;
  build: () => string;
}

export interface KioskHub {
  /** Recompiles every device's playlist and pushes the ones that changed. */
  publish(): void;
}

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
    answer(fail('internal', 'the controller could not record this now; keep it and try again'));
  });
}

export function attachKioskNamespace(io: Server, deps: KioskHubDeps): KioskHub {
  // socket.io types a namespace with the server's event maps; each namespace here has its own.
  const nsp = io.of(KIOSK_NAMESPACE) as unknown as KioskNamespace;
  const log = deps.logger;
  /** Playlist version each device was last sent, to push only what changed. */
  const sent = new Map<string, string>();

  const playlistFor = (villageId: string): Playlist => compilePlaylist(deps.store.read().notices, { villageId }, deps.clock.now());

  nsp.use((socket, next) => {
    const parsed = kioskAuth.safeParse(socket.handshake.auth);
    if (!parsed.success) return next(new Error(`invalid_payload: ${invalidPayload(parsed.error).message}`));
    const device = deps.devices.authenticate(parsed.data.deviceId, parsed.data.token, {
      demoMode: deps.demoMode(),
      loopback: isLoopback(socket.handshake.address),
    });
    if (!device) {
      log.info('kiosk refused', { deviceId: parsed.data.deviceId, address: socket.handshake.address });
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
    });
    const playlist = playlistFor(device.villageId);
    sent.set(deviceId, playlist.version);
    socket.emit('playlist:updated', playlist);

    socket.on('display:report', (payload: unknown, ack: unknown) => {
      guarded<DisplayReportResult>(log, 'display:report', ack, async () => {
        const parsed = displayReport.safeParse(payload);
        if (!parsed.success) return invalidPayload(parsed.error);
        const current = deps.store.read().devices.find((d) => d.id === deviceId);
        if (!current) return fail('unauthorized', 'this device has been removed; pair it again');
        return ok(await deps.displays.record(current, parsed.data.receipts));
      });
    });

    socket.on('disconnect', () => {
      deps.devices.markOffline(deviceId);
      log.debug(() => `kiosk ${deviceId} disconnected`);
    });
  });

  return {
    publish() {
      const byVillage = new Map<string, Playlist>();
      const groups = new Map<string, { playlist: Playlist; rooms: string[] }>();
      for (const device of deps.store.read().devices) {
        if (device.kind !== 'kiosk') continue;
        let playlist = byVillage.get(device.villageId);
        if (!playlist) {
          playlist = playlistFor(device.villageId);
          byVillage.set(device.villageId, playlist);
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
  };
}
