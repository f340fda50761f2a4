/**
 * `/kiosk`: device-token auth, hello + full playlist on every connect, display
 * reports acknowledged only once durable, and playlist pushes to exactly the
 * devices whose playlist changed.
 */
import type { Namespace, Server, Socket } from 'socket.io';
import type { Clock } from '../clock.js';
import type { EventBus } from '../events.js';
import type { Logger } from '../logger.js';
import {
  type DisplayReportResult,
  KIOSK_NAMESPACE,
  type KioskClientToServerEvents,
  type KioskServerToClientEvents,
  PROTOCOL_VERSION,
  TOWN_UTC_OFFSET_MINUTES,
  type Playlist,
  type HeartbeatAnswer,
  displayReport,
  fail,
  heartbeat,
  invalidPayload,
  ok,
} from '../protocol/index.js';
import type { DeviceRecord, DeviceService } from '../services/devices.js';
import type { DisplayService } from '../services/displays.js';
import type { WitnessService } from '../services/witnesses.js';
import type { PlaylistService } from '../services/playlists.js';
import { KIOSK_EVENT_RULES, guardEvents } from './access.js';
import type { TrustFn } from './address.js';
import { attachDeviceGate } from './deviceGate.js';
import { answerWitnessEvents } from './witnessEvents.js';

interface KioskSocketData {
  deviceId: string;
}

type KioskNamespace = Namespace<KioskClientToServerEvents, KioskServerToClientEvents, Record<string, never>, KioskSocketData>;
type KioskSocket = Socket<KioskClientToServerEvents, KioskServerToClientEvents, Record<string, never>, KioskSocketData>;

export interface KioskHubDeps {
  bus: EventBus;
  devices: DeviceService;
  displays: DisplayService;
  playlists: PlaylistService;
  clock: Clock;
  logger: Logger;
  demoMode: () => boolean;
  build: () => string;
  /** Proves the ledger to devices and takes their alarms (services/witnesses.ts). */
  witnesses: WitnessService;
  /** Express's `trust proxy` test, so wrong tokens count against the real client behind a trusted proxy, not the proxy. */
  trustProxy?: TrustFn;
  /** A paired kiosk connected: from which address, and at which host it reached the controller (controller/publicUrl.ts). */
  onConnected?: (kiosk: { deviceId: string; address: string; host: string | undefined }) => void;
}

export interface KioskHub {
  /** Recompiles every device's playlist and pushes the ones that changed. */
  publish(): void;
  stop(): void;
}

/** Kept under the kiosk's names: the limits are every device namespace's (deviceGate.ts). */
export {
  DEVICE_AUTH_FAILURES as KIOSK_AUTH_FAILURES,
  DEVICE_EVENT_LIMIT as KIOSK_EVENT_LIMIT,
  DEVICE_FLOOD_DISCONNECT as KIOSK_FLOOD_DISCONNECT,
} from './deviceGate.js';

const room = (deviceId: string): string => `device:${deviceId}`;

export function attachKioskNamespace(io: Server, deps: KioskHubDeps): KioskHub {
  // socket.io types a namespace with the server's event maps; each namespace here has its own.
  const nsp = io.of(KIOSK_NAMESPACE) as unknown as KioskNamespace;
  const log = deps.logger;
  /** Playlist version each device was last sent, to push only what changed. */
  const sent = new Map<string, string>();

  const { limited } = attachDeviceGate(nsp, 'kiosk', deps);
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
    const current = deps.devices.paired(deviceId)?.record;
    if (current) return current;
    cutOff(deviceId);
    return null;
  };
  const REVOKED = 'this kiosk has been revoked or removed; pair it again from the admin app (此设备已被停用，请在管理端重新配对)';
  deps.bus.on('device:revoked', onRevoked);

  const playlistFor = (device: DeviceRecord): Playlist =>
    deps.playlists.forTarget({ villageId: device.villageId, onHours: device.onHours ?? null });

  nsp.on('connection', (socket: KioskSocket) => {
    const { deviceId } = socket.data;
    const place = deps.devices.paired(deviceId);
    const view = deps.devices.get(deviceId);
    if (!place || !view) {
      socket.disconnect(true);
      return;
    }
    void socket.join(room(deviceId));
    deps.devices.markOnline(deviceId);
    log.debug(() => `kiosk ${deviceId} connected from ${socket.handshake.address}`);
    deps.onConnected?.({ deviceId, address: socket.handshake.address, host: socket.handshake.headers.host });

    socket.emit('server:hello', {
      protocol: PROTOCOL_VERSION,
      build: deps.build(),
      device: { ...view, online: true },
      village: place.village,
      town: place.town,
      utcOffsetMinutes: TOWN_UTC_OFFSET_MINUTES,
    });
    const playlist = playlistFor(place.record);
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

    answerWitnessEvents(socket, deviceId, limited, deps.witnesses);

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
      const groups = new Map<string, { playlist: Playlist; rooms: string[] }>();
      for (const device of deps.devices.pairedRecords('kiosk')) {
        const playlist = playlistFor(device);
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
