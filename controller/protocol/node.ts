/**
 * The village node's contract (`/node`): a small program next to a village's
 * LED signs (controller/node/) pairs like a kiosk, receives the profiles of
 * the signs attached to it and their playlists (its schedule, kept on disk so
 * that it runs for days without the town), and uploads its proof records —
 * display intervals, sign link outages and its own uplink outages — from a
 * durable outbox, each numbered and acknowledged only once the ledger holds
 * it, exactly as kiosk receipts are (schemas.ts `receiptBase`,
 * services/receiptWindow.ts).
 */
import { z } from './zod.js';
import { type AckCallback, ERROR_CODES } from './ack.js';
import type { Device, Village } from './model.js';
import type { Playlist } from './playlist.js';
import { INTERVAL_SHOWINGS_MAX, INTERVAL_SPAN_MAX_MS, heartbeat } from './schemas.js';
import { SHOWING_INTERVAL_MS } from './showings.js';
import type { HeartbeatAnswer, ServerHello } from './events.js';
import { type SignProfile, signCommand } from './signProfile.js';
import type { LedgerProof, ProofRequest, WitnessAlarm } from './witness.js';

export const NODE_NAMESPACE = '/node';

/** Records a node may send in one `node:records` batch; the packet must also stay within NODE_BATCH_BYTES. */
export const NODE_RECORDS_MAX = 2_000;
/**
 * The most a node puts in one `node:records` packet (its records' JSON): well inside the socket server's packet
 * limit (256 KiB), so a week's backlog goes up in a few hundred packets.
 */
export const NODE_BATCH_BYTES = 200 * 1024;

/** What a node holds to drive its signs offline: their profiles and, per sign, its playlist (LED text in the items). */
export interface NodeSchedule {
  /** Content-derived: equal versions mean equal schedules. */
  version: string;
  generatedAt: number;
  signs: SignProfile[];
  /** Sign id → its playlist. */
  playlists: Record<string, Playlist>;
}

export interface NodeWelcome {
  device: Device;
  village: Village;
}

const recordId = z.uuid('must be a UUID');
const epochMs = z.number().int('must be a whole number of milliseconds').min(0).max(8_640_000_000_000);
const signId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,47}$/, 'must be a sign id');

/** Every record carries an id (the key the controller deduplicates by), the node's own number and its clock trust. */
const recordBase = {
  recordId,
  seq: z.number().int('must be a whole number').min(1, 'sequence numbers start at 1').max(Number.MAX_SAFE_INTEGER),
  clockTrusted: z.boolean(),
};

export const nodeRecord = z.discriminatedUnion('type', [
  z
    .strictObject({
      type: z.literal('sign.display'),
      ...recordBase,
      signId,
      contentHash: z.string().regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 hex digest'),
      start: epochMs,
      end: epochMs,
      proof: z.enum(['acknowledged', 'sent']),
      // 'unclean-stop': the node was killed or lost power while it showed this; `end` is the last moment it noted itself alive.
      endReason: z.enum(['replaced', 'cleared', 'link-lost', 'unreachable', 'power-off', 'stopped', 'unclean-stop']),
      // A rotation's showings of one content in one period, coalesced on the node (node/displays.ts): how many, and
      // their time on screen together; `start`/`end` are the first's start and the last's end, `endReason` the last's.
      // Absent: one showing, from `start` to `end`.
      showings: z
        .number()
        .int('must be a whole number')
        .min(2, 'a single showing is sent without showings and shownMs')
        .max(INTERVAL_SHOWINGS_MAX, `an interval holds at most ${INTERVAL_SHOWINGS_MAX} showings`)
        .optional(),
      shownMs: z.number().int('must be a whole number of milliseconds').min(0, 'must not be negative').optional(),
    })
    .refine((r) => r.start <= r.end, { message: 'must not be before start', path: ['end'] })
    .refine((r) => (r.showings === undefined) === (r.shownMs === undefined), {
      message: 'showings and shownMs come together',
      path: ['shownMs'],
    })
    .refine((r) => r.showings === undefined || r.end - r.start <= INTERVAL_SPAN_MAX_MS, {
      message: `an interval spans at most ${INTERVAL_SPAN_MAX_MS / 3_600_000} hours (its showings start within ${SHOWING_INTERVAL_MS / 3_600_000})`,
      path: ['end'],
    })
    .refine((r) => r.shownMs === undefined || r.shownMs <= r.end - r.start, {
      message: 'must not exceed the time from start to end',
      path: ['shownMs'],
    }),
  z.strictObject({ type: z.literal('sign.link-down'), ...recordBase, signId, at: epochMs, cause: z.string().max(32) }),
  z
    .strictObject({ type: z.literal('sign.link-outage'), ...recordBase, signId, start: epochMs, end: epochMs, cause: z.string().max(32) })
    .refine((r) => r.start <= r.end, { message: 'must not be before start', path: ['end'] }),
  z.strictObject({ type: z.literal('node.uplink-down'), ...recordBase, at: epochMs }),
  z
    .strictObject({ type: z.literal('node.uplink-outage'), ...recordBase, start: epochMs, end: epochMs })
    .refine((r) => r.start <= r.end, { message: 'must not be before start', path: ['end'] }),
]);
export type NodeRecord = z.infer<typeof nodeRecord>;
export type NodeRecordType = NodeRecord['type'];

export const nodeRecordsReport = z.strictObject({
  records: z.array(nodeRecord).min(1, 'send at least one record').max(NODE_RECORDS_MAX, `send at most ${NODE_RECORDS_MAX} records at once`),
});
export type NodeRecordsReport = z.infer<typeof nodeRecordsReport>;

export interface NodeRecordsResult {
  /** Record ids now durably recorded (including ones recorded earlier). The node may forget exactly these. */
  recorded: string[];
  /** Records that can never be recorded, with the reason (kept in the ledger as refused). The node may forget these too. */
  rejected: { recordId: string; reason: string }[];
}

/** One sign behind a node, as the node last saw it. */
export const nodeSignStatus = z.strictObject({
  id: signId,
  link: z.enum(['connecting', 'up', 'down', 'stopped']),
  reachable: z.boolean(),
  lastAckAt: epochMs.nullable(),
  showing: z
    .strictObject({
      key: z.string().max(128),
      text: z.string().max(2000),
      proof: z.enum(['acknowledged', 'sent']),
      since: epochMs,
    })
    .nullable(),
  power: z.boolean(),
  brightness: z.number().int().min(0).max(15),
  lastError: z.strictObject({ code: z.string().max(64), message: z.string().max(500), at: epochMs }).nullable(),
});
export type NodeSignStatus = z.infer<typeof nodeSignStatus>;

/** `node:heartbeat`: a kiosk's heartbeat plus the signs behind the node. */
export const nodeHeartbeat = heartbeat.extend({
  signs: z.array(nodeSignStatus).max(64, 'a node drives at most 64 signs'),
});
export type NodeHeartbeat = z.infer<typeof nodeHeartbeat>;

/**
 * `sign:command`: a staff button for a sign behind the node (protocol/signProfile.ts `signCommand`), relayed by the
 * controller; the node checks it again, runs it through the same signs service as the controller's own signs and
 * answers the sign's state after it, or the sign's error. The controller waits at most {@link NODE_COMMAND_TIMEOUT_MS}.
 */
export const nodeSignCommand = z.strictObject({ signId, command: signCommand });
export type NodeSignCommand = z.infer<typeof nodeSignCommand>;

/** The node's answer to `sign:command`, checked by the controller before anything in it is believed or shown. */
export const nodeCommandAnswer = z.union([
  z.strictObject({ ok: z.literal(true), data: nodeSignStatus }),
  z.strictObject({
    ok: z.literal(false),
    error: z.enum(ERROR_CODES),
    message: z.string().max(1000),
    fields: z.record(z.string().max(100), z.string().max(500)).optional(),
  }),
]);

/**
 * How long the controller waits for a node's answer to a command: longer than a sign's own retries on a slow line
 * (three tries of a long frame at 9600 baud, busy back-offs), short enough for staff waiting at the button.
 */
export const NODE_COMMAND_TIMEOUT_MS = 20_000;

export interface NodeServerToClientEvents {
  'server:hello': (hello: ServerHello & NodeWelcome) => void;
  /** The node's whole schedule, on connect and whenever it changed (a notice approved, a sign moved or edited). */
  'schedule:updated': (schedule: NodeSchedule) => void;
  /** Staff revoked this node: stop driving the signs, forget the token and schedule. */
  'device:revoked': (notice: { reason: string }) => void;
  'sign:command': (request: NodeSignCommand, ack: AckCallback<NodeSignStatus>) => void;
}

export interface NodeClientToServerEvents {
  'node:records': (report: NodeRecordsReport, ack: AckCallback<NodeRecordsResult>) => void;
  'node:heartbeat': (beat: NodeHeartbeat, ack: AckCallback<HeartbeatAnswer>) => void;
  /** The node as witness of the ledger, like a kiosk (protocol/witness.ts). */
  'ledger:prove': (request: ProofRequest, ack: AckCallback<LedgerProof>) => void;
  'ledger:witness-alarm': (alarm: WitnessAlarm | null, ack: AckCallback<null>) => void;
}
