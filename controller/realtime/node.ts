/**
 * `/node`: village nodes. The same gate as `/kiosk` (device-token auth,
 * per-device limits, the per-packet access table, the socket server's Origin
 * check and size limit); on every connect a hello and the node's whole
 * schedule, afterwards the schedule again whenever it changed; proof records
 * acknowledged only once durable; heartbeats feed the device monitor and the
 * signs page; staff's commands for the signs behind a node go to it and its
 * checked answer comes back (services/nodeSigns.ts); and the node witnesses
 * the ledger like a kiosk (witnessEvents.ts).
 */
import type { Namespace, Server, Socket } from 'socket.io';
import type { Clock } from '../clock.js';
import { canonicalJson, sha256Hex } from '../domain/canonical.js';
import type { EventBus } from '../events.js';
import type { Logger } from '../logger.js';
import {
  type Ack,
  type HeartbeatAnswer,
  NODE_COMMAND_TIMEOUT_MS,
  NODE_NAMESPACE,
  type NodeClientToServerEvents,
  type NodeRecordsResult,
  type NodeSchedule,
  type NodeServerToClientEvents,
  PROTOCOL_VERSION,
  type Playlist,
  type SignProfile,
  fail,
  invalidPayload,
  nodeCommandAnswer,
  type NodeSignStatus,
  nodeHeartbeat,
  nodeRecordsReport,
  ok,
} from '../protocol/index.js';
import type { DeviceService } from '../services/devices.js';
import type { NodeRecordService } from '../services/nodeRecords.js';
import type { NodeSigns } from '../services/nodeSigns.js';
import type { PlaylistService } from '../services/playlists.js';
import type { WitnessService } from '../services/witnesses.js';
import { NODE_EVENT_RULES, guardEvents } from './access.js';
import type { TrustFn } from './address.js';
import { attachDeviceGate } from './deviceGate.js';
import { answerWitnessEvents } from './witnessEvents.js';

interface NodeSocketData {
  deviceId: string;
}
type NodeNamespace = Namespace<NodeClientToServerEvents, NodeServerToClientEvents, Record<string, never>, NodeSocketData>;
type NodeSocket = Socket<NodeClientToServerEvents, NodeServerToClientEvents, Record<string, never>, NodeSocketData>;

export interface NodeHubDeps {
  bus: EventBus;
  devices: DeviceService;
  records: NodeRecordService;
  nodeSigns: NodeSigns;
  playlists: PlaylistService;
  /** Proves the ledger to nodes and takes their alarms (services/witnesses.ts). */
  witnesses: WitnessService;
  /** Every sign profile (saved and demo); a node gets those attached to it. */
  signProfiles: () => readonly SignProfile[];
  clock: Clock;
  logger: Logger;
  demoMode: () => boolean;
  build: () => string;
  trustProxy?: TrustFn;
}

export interface NodeHub {
  /** Recomputes every node's schedule and pushes the ones that changed. */
  publish(): void;
  stop(): void;
}

const room = (deviceId: string): string => `node:${deviceId}`;

/** The schedule of one node: its signs' profiles and each sign's playlist, from the one playlist service. */
export function nodeSchedule(nodeId: string, profiles: readonly SignProfile[], playlists: PlaylistService, now: number): NodeSchedule {
  const signs = profiles.filter((p) => p.node === nodeId);
  const lists: Record<string, Playlist> = {};
  for (const p of signs) lists[p.id] = playlists.forTarget({ villageId: p.villageId, onHours: null });
  const version = sha256Hex(canonicalJson({ signs, playlists: Object.entries(lists).map(([id, l]) => [id, l.version]) })).slice(0, 16);
  return { version, generatedAt: now, signs, playlists: lists };
}

export function attachNodeNamespace(io: Server, deps: NodeHubDeps): NodeHub {
  const nsp = io.of(NODE_NAMESPACE) as unknown as NodeNamespace;
  const log = deps.logger;
  /** Schedule version each node was last sent. */
  const sent = new Map<string, string>();
  const { limited } = attachDeviceGate(nsp, 'node', deps);
  const scheduleOf = (nodeId: string): NodeSchedule => nodeSchedule(nodeId, deps.signProfiles(), deps.playlists, deps.clock.now());
  /** Each node's connected socket (the latest, should it connect twice): where staff's commands for its signs go. */
  const connected = new Map<string, NodeSocket>();
  const stopRelay = deps.nodeSigns.relayBy((nodeId, request) => {
    const socket = connected.get(nodeId);
    if (!socket?.connected || !deps.devices.paired(nodeId)) return null;
    const seconds = NODE_COMMAND_TIMEOUT_MS / 1000;
    return socket
      .timeout(NODE_COMMAND_TIMEOUT_MS)
      .emitWithAck('sign:command', request)
      .then(
        (answer: unknown): Ack<NodeSignStatus> => {
          const parsed = nodeCommandAnswer.safeParse(answer);
          if (parsed.success) return parsed.data;
          log.warn(`node ${nodeId} answered a command for sign ${request.signId} with something unreadable`);
          return fail(
            'unavailable',
            `村级节点的回答无法识别，未采用。The village node's answer could not be read; nothing is shown from it.`,
          );
        },
        (): Ack<NodeSignStatus> =>
          fail(
            'unavailable',
            `村级节点 ${seconds} 秒内没有回答，不知道这块屏是否执行了操作；请看屏的状态后再试。The village node did not answer within ${seconds} s; whether the sign took the command is unknown: check its state and try again.`,
          ),
      );
  });

  const onRevoked = (deviceId: string, reason: string): void => {
    nsp.to(room(deviceId)).emit('device:revoked', { reason });
    setTimeout(() => nsp.in(room(deviceId)).disconnectSockets(true), 200).unref();
  };
  deps.bus.on('device:revoked', onRevoked);

  nsp.on('connection', (socket: NodeSocket) => {
    const { deviceId } = socket.data;
    const place = deps.devices.paired(deviceId);
    const view = deps.devices.get(deviceId);
    if (!place || !view) {
      socket.disconnect(true);
      return;
    }
    void socket.join(room(deviceId));
    connected.set(deviceId, socket);
    deps.devices.markOnline(deviceId);
    log.info(`node ${deviceId} (${place.record.name}) connected`);
    socket.emit('server:hello', {
      protocol: PROTOCOL_VERSION,
      build: deps.build(),
      device: { ...view, online: true },
      village: place.village,
    });
    const schedule = scheduleOf(deviceId);
    sent.set(deviceId, schedule.version);
    socket.emit('schedule:updated', schedule);

    socket.on('node:records', (payload: unknown, ack: unknown) => {
      // Counted in records: a week's backlog goes up in seconds, a flood of tiny packets costs as much as it sends.
      const list = typeof payload === 'object' && payload !== null && 'records' in payload ? payload.records : null;
      const count = Array.isArray(list) ? list.length : 1;
      limited<NodeRecordsResult>(
        socket,
        'node:records',
        ack,
        async () => {
          const parsed = nodeRecordsReport.safeParse(payload);
          if (!parsed.success) return invalidPayload(parsed.error);
          const current = deps.devices.paired(deviceId)?.record;
          if (!current) return fail('unauthorized', 'this node has been revoked; pair it again');
          return ok(await deps.records.record(current, parsed.data.records));
        },
        count,
      );
    });

    socket.on('node:heartbeat', (payload: unknown, ack: unknown) => {
      limited<HeartbeatAnswer>(socket, 'node:heartbeat', ack, () => {
        const parsed = nodeHeartbeat.safeParse(payload);
        if (!parsed.success) return Promise.resolve(invalidPayload(parsed.error));
        const { signs, ...beat } = parsed.data;
        deps.nodeSigns.update(deviceId, signs);
        return Promise.resolve(ok(deps.devices.heartbeat(deviceId, beat)));
      });
    });

    answerWitnessEvents(socket, deviceId, limited, deps.witnesses);

    socket.on('disconnect', () => {
      if (connected.get(deviceId) === socket) connected.delete(deviceId);
      deps.devices.markOffline(deviceId);
      log.info(`node ${deviceId} disconnected`);
    });
    guardEvents(
      socket,
      NODE_EVENT_RULES,
      (access) => (access === 'device' ? null : fail('forbidden', 'this event is for staff, not village nodes')),
      log,
    );
  });

  return {
    publish() {
      for (const device of deps.devices.pairedRecords('node')) {
        if (nsp.adapter.rooms.get(room(device.id)) === undefined) continue;
        const schedule = scheduleOf(device.id);
        if (sent.get(device.id) === schedule.version) continue;
        sent.set(device.id, schedule.version);
        nsp.to(room(device.id)).emit('schedule:updated', schedule);
      }
    },
    stop() {
      stopRelay();
      deps.bus.off('device:revoked', onRevoked);
    },
  };
}
