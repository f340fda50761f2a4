/**
 * The node's link to the town: a socket.io client on `/node` that
 * reconnects for as long as it takes; on every connect it gets the whole
 * schedule, then uploads its outbox oldest first, a few batches in flight
 * at once (each as many records as fit a packet), forgetting a record only
 * once the controller says the ledger holds it.
 * Heartbeats every half minute (and soon after a sign changes) carry its
 * clock, queue and signs; their answers give the controller's clock.
 */
import { type Socket, io } from 'socket.io-client';
import type { Logger } from '../logger.js';
import {
  type Ack,
  type HeartbeatAnswer,
  type NodeRecordsResult,
  NODE_BATCH_BYTES,
  NODE_NAMESPACE,
  NODE_RECORDS_MAX,
  type NodeRecord,
  type NodeClientToServerEvents,
  type NodeHeartbeat,
  type NodeSchedule,
  type NodeServerToClientEvents,
} from '../protocol/index.js';
import type { NodeCredentials } from './pairing.js';
import type { NodeOutbox } from './outbox.js';

export const NODE_HEARTBEAT_MS = 30_000;
/** An unanswered batch or heartbeat is given up after this long and tried again. */
const ANSWER_TIMEOUT_MS = 20_000;
/** Batches in flight at once: the controller's ledger writes them in one group commit while the next ones travel. */
const UPLOAD_WINDOW = 8;

type NodeSocket = Socket<NodeServerToClientEvents, NodeClientToServerEvents>;

export interface UplinkDeps {
  credentials: NodeCredentials;
  build: string;
  outbox: NodeOutbox;
  logger: Logger;
  /** The node's own clock (not corrected): the controller compares it with its own. */
  rawNow: () => number;
  beat: () => Omit<NodeHeartbeat, 'clock' | 'build'>;
  onSchedule: (schedule: NodeSchedule) => void;
  /** The controller's clock was read: `offsetMs` = node clock − controller clock. */
  onClock: (offsetMs: number) => void;
  onUp: () => void;
  onDown: () => void;
  /** Staff revoked the node, or its token is no longer accepted. */
  onRevoked: (reason: string) => void;
  heartbeatMs?: number;
  reconnectMaxMs?: number;
}

export interface Uplink {
  start(): void;
  stop(): void;
  connected(): boolean;
  /** Sends a heartbeat soon (a sign changed). */
  beatSoon(): void;
}

export function createUplink(deps: UplinkDeps): Uplink {
  let socket: NodeSocket | null = null;
  let uploading = false;
  let timer: NodeJS.Timeout | null = null;
  let soon: NodeJS.Timeout | null = null;
  let offAppend: (() => void) | null = null;
  const log = deps.logger;

  /** Ids of the records in a batch not yet answered. */
  const inFlight = new Set<string>();
  /** The oldest records not in flight, as many as fit one packet. */
  const nextBatch = (): NodeRecord[] => {
    const batch: NodeRecord[] = [];
    let bytes = 16;
    for (const r of deps.outbox.pending(NODE_RECORDS_MAX, inFlight)) {
      bytes += Buffer.byteLength(JSON.stringify(r)) + 1;
      if (bytes > NODE_BATCH_BYTES && batch.length > 0) break;
      batch.push(r);
    }
    return batch;
  };
  const lane = async (): Promise<void> => {
    while (socket?.connected) {
      const records = nextBatch();
      if (records.length === 0) return;
      for (const r of records) inFlight.add(r.recordId);
      try {
        const answer = (await socket.timeout(ANSWER_TIMEOUT_MS).emitWithAck('node:records', { records })) as Ack<NodeRecordsResult>;
        if (!answer.ok) {
          log.warn(`the controller did not take ${records.length} record(s): ${answer.message}; trying again`);
          await new Promise((r) => setTimeout(r, 2_000));
          continue;
        }
        const done = [...answer.data.recorded, ...answer.data.rejected.map((r) => r.recordId)];
        for (const r of answer.data.rejected) log.warn(`the controller refused record ${r.recordId}: ${r.reason}`);
        await deps.outbox.acknowledge(done);
      } finally {
        for (const r of records) inFlight.delete(r.recordId);
      }
    }
  };
  const upload = async (): Promise<void> => {
    if (uploading) return;
    uploading = true;
    try {
      await Promise.all(Array.from({ length: UPLOAD_WINDOW }, lane));
    } catch (error) {
      log.warn(
        `uploading records failed; trying again on the next connect or record: ${error instanceof Error ? error.message : String(error)}`,
      );
    } finally {
      uploading = false;
    }
  };

  const heartbeat = async (): Promise<void> => {
    if (!socket?.connected) return;
    const sentAt = deps.rawNow();
    try {
      const answer = (await socket
        .timeout(ANSWER_TIMEOUT_MS)
        .emitWithAck('node:heartbeat', { ...deps.beat(), build: deps.build, clock: sentAt })) as Ack<HeartbeatAnswer>;
      if (!answer.ok) {
        log.warn(`heartbeat refused: ${answer.message}`);
        return;
      }
      // Half the round trip is the best guess of when the controller read its clock.
      deps.onClock((sentAt + deps.rawNow()) / 2 - answer.data.serverTime);
    } catch {
      // Offline or slow: the next beat tries again.
    }
  };

  return {
    start() {
      const s: NodeSocket = io(`${deps.credentials.controller}${NODE_NAMESPACE}`, {
        auth: {
          deviceId: deps.credentials.deviceId,
          ...(deps.credentials.token !== null && { token: deps.credentials.token }),
          build: deps.build.slice(0, 64),
        },
        transports: ['websocket'],
        reconnectionDelay: 1_000,
        reconnectionDelayMax: deps.reconnectMaxMs ?? 10_000,
      });
      socket = s;
      s.on('connect', () => {
        log.info('connected to the controller');
        deps.onUp();
        void heartbeat().then(upload);
      });
      s.on('disconnect', (reason) => {
        log.warn(`lost the controller (${reason}); driving the signs from the stored schedule`);
        deps.onDown();
      });
      s.on('connect_error', (error) => {
        if (error.message.startsWith('unauthorized')) {
          deps.onRevoked(error.message);
          return;
        }
        log.debug(() => `cannot reach the controller: ${error.message}`);
        deps.onDown();
        // A refusal by the namespace middleware (connecting too often) stops socket.io's own reconnection.
        const wait = /^rate_limited:.*wait (\d+) s/.exec(error.message);
        if (wait && !s.active) {
          setTimeout(
            () => {
              if (socket === s && !s.active) s.connect();
            },
            (Number(wait[1]) + 1) * 1000,
          ).unref();
        }
      });
      s.on('schedule:updated', (schedule) => deps.onSchedule(schedule));
      s.on('device:revoked', ({ reason }) => deps.onRevoked(reason));
      offAppend = deps.outbox.onAppend(() => void upload());
      timer = setInterval(() => void heartbeat(), deps.heartbeatMs ?? NODE_HEARTBEAT_MS);
      timer.unref();
    },
    stop() {
      offAppend?.();
      if (timer) clearInterval(timer);
      if (soon) clearTimeout(soon);
      timer = null;
      soon = null;
      socket?.removeAllListeners();
      socket?.disconnect();
      socket = null;
    },
    connected: () => socket?.connected ?? false,
    beatSoon() {
      if (soon) return;
      soon = setTimeout(() => {
        soon = null;
        void heartbeat();
      }, 1_000);
      soon.unref();
    },
  };
}
