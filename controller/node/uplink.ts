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
  type NodeClientToServerEvents,
  type NodeHeartbeat,
  type NodeSchedule,
  type NodeServerToClientEvents,
  type NodeSignStatus,
  fail,
} from '../protocol/index.js';
import type { NodeCredentials } from './pairing.js';
import type { NodeOutbox } from './outbox.js';

export const NODE_HEARTBEAT_MS = 30_000;
/** An unanswered batch or heartbeat is given up after this long and tried again. */
const ANSWER_TIMEOUT_MS = 20_000;
/** Batches in flight at once: the controller's ledger writes them in one group commit while the next ones travel. */
const UPLOAD_WINDOW = 8;
/** A batch's bytes besides its records' lines: `{"records":[` and `]}`. */
const BATCH_FRAME_BYTES = 16;

export type NodeSocket = Socket<NodeServerToClientEvents, NodeClientToServerEvents>;

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
  /** A staff command for one of its signs, relayed by the controller (unchecked: the node checks it itself). */
  onCommand: (request: unknown) => Promise<Ack<NodeSignStatus>>;
  /** Connected: the node checks the controller's ledger against its checkpoint (witness.ts). */
  onConnected?: (socket: NodeSocket) => void;
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

  /** One lane: takes the oldest records not in flight (as many as fit a packet), sends them, forgets what the ledger holds. */
  const lane = async (): Promise<void> => {
    while (socket?.connected) {
      const records = await deps.outbox.take(NODE_RECORDS_MAX, NODE_BATCH_BYTES - BATCH_FRAME_BYTES);
      if (records.length === 0) return;
      /** Numbers durably acknowledged in the outbox. */
      let forgotten = new Set<number>();
      let refused = false;
      try {
        const answer = (await socket.timeout(ANSWER_TIMEOUT_MS).emitWithAck('node:records', { records })) as Ack<NodeRecordsResult>;
        if (!answer.ok) {
          log.warn(`the controller did not take ${records.length} record(s): ${answer.message}; trying again`);
          refused = true;
        } else {
          const done = new Set(answer.data.recorded);
          for (const r of answer.data.rejected) {
            done.add(r.recordId);
            log.warn(`the controller refused record ${r.recordId}: ${r.reason}`);
          }
          const answered = records.filter((r) => done.has(r.recordId)).map((r) => r.seq);
          // Several lanes' answers go to disk in one write and one fsync.
          await deps.outbox.acknowledge(answered);
          forgotten = new Set(answered);
        }
      } finally {
        // Whatever is not durably forgotten (no answer, a refusal, a failed write) goes out again.
        if (forgotten.size < records.length) deps.outbox.release(records.filter((r) => !forgotten.has(r.seq)));
      }
      if (refused) await new Promise((r) => setTimeout(r, 2_000));
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
        deps.onConnected?.(s);
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
      s.on('sign:command', (request: unknown, ack: unknown) => {
        if (typeof ack !== 'function') return;
        const answer = ack as (a: Ack<NodeSignStatus>) => void;
        deps.onCommand(request).then(answer, (error: unknown) => {
          log.error('a sign command failed', { error });
          answer(fail('internal', 'the village node could not run this command (村级节点执行失败)'));
        });
      });
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
