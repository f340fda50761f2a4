/**
 * Every kind of record the disclosure ledger holds, declared once: its `type`
 * and the fields it carries. Writers build entries of `LedgerEntry` (the
 * union), so a record of an undeclared type does not compile; readers narrow
 * a stored record with `isLedgerRecord(record, type)` or parse it with
 * `parseLedgerEntry`. A ledger is kept for years: a record of a type this
 * build does not know (an older or newer build wrote it) is still read and
 * shown, never dropped, and fields a newer writer added are kept.
 *
 * To add a record type: add its schema to `LEDGER_ENTRY_SCHEMAS` below, then
 * write it; reports fold it in `controller/reports/`.
 */
import { z } from './zod.js';
import type { Attestation } from './model.js';
import type { AnnualDraft, DisclosureApplication, LedgerIntegrityBreak, LitigationCase, ManualDisclosure, PhotoRef } from './reports.js';
import type { EmergencyTakeover } from './playlist.js';
import type { SignProfile } from './signProfile.js';
import { INTERACTION_ACTIONS } from './taxonomy.js';
import type { WitnessAlarm } from './witness.js';

const text = z.string();
const time = z.number();
/** Who did it: a user id, or `system` for the controller's own steps. */
const actor = { actorId: text };
/** A field whose shape another part of the contract declares; kept as written. */
const declared = <T>() => z.custom<T>(() => true);

/** Every notice step names the notice, the version and its content hash. */
const noticeStep = <S extends z.ZodRawShape>(shape: S) =>
  z.object({ noticeId: text, versionId: text, contentHash: text, ...actor, ...shape });
const changes = { changes: z.array(text) };
const approval = {
  attestation: declared<Attestation | null>().optional(),
  privacyOverride: z.object({ reason: text }).nullable().optional(),
  supersedes: text.nullable().optional(),
  fastPath: z.literal(true).optional(),
  /** Written by the demo town's seeding. */
  demo: z.literal(true).optional(),
};

const where = { deviceId: text, villageId: text };
/** What names a sign in a staff change to its profile: where it stands and how it is reached (`name` since profiles are recorded). */
const signFacts = {
  signId: text,
  villageId: text,
  name: text.optional(),
  protocol: declared<SignProfile['protocol']>(),
  portPath: text,
  address: z.number(),
  /** The village node that drives the sign (null: the controller's own port); absent on records before nodes. */
  attachedTo: text.nullable().optional(),
};
/** What every kiosk receipt record carries (`receiptSeq`: the device's own numbering). */
const receipt = {
  receiptId: text,
  receiptSeq: z.number().optional(),
  clockTrusted: z.boolean(),
  /** The kiosk's clock minus the controller's when the receipt was written (as measured by the kiosk, or else by the controller). */
  clockOffsetMs: z.number().optional(),
  noticeId: text,
  contentHash: text,
  ...where,
};
const interaction = z.object({ ...receipt, at: time, rating: z.number().optional(), comment: text.optional() });
const signWhere = { signId: text, villageId: text, portPath: text };
/** On the records a village node uploads (protocol/node.ts): the node, its record id and number, its clock trust. */
const fromNode = { nodeId: text, recordId: text, recordSeq: z.number(), clockTrusted: z.boolean() };
const maybeFromNode = {
  nodeId: text.optional(),
  recordId: text.optional(),
  recordSeq: z.number().optional(),
  clockTrusted: z.boolean().optional(),
};

export const LEDGER_ENTRY_SCHEMAS = {
  'notice.created': noticeStep(changes),
  'notice.edited': noticeStep({ ...changes, correction: z.object({ reason: text }).nullable().optional() }),
  'notice.revised': noticeStep({ ...changes, correction: z.object({ reason: text }).nullable().optional() }),
  'notice.masked': noticeStep(changes),
  'notice.submitted': noticeStep({ privacyHits: z.number(), privacyOverrideRequest: text.nullable() }),
  'notice.approved': noticeStep(approval),
  'notice.corrected': noticeStep(approval),
  'notice.rejected': noticeStep({ reason: text }),
  /** Written with a fast-path approval: a second reviewer is asked to confirm it (`expiresAt`: the warning's end; `maxHours`: the town's bound then). */
  'notice.confirmation-requested': noticeStep({ expiresAt: time, maxHours: z.number() }),
  /** A second reviewer confirmed a warning one reviewer approved alone (`approvedBy`: that reviewer). */
  'notice.fast-path-confirmed': noticeStep({ opinion: text, approvedBy: text }),
  /** 撤回提交: the author (or an admin) took a version waiting for review back to draft. */
  'notice.recalled': noticeStep({}),
  'notice.withdrawn': noticeStep({ reason: text }),
  'notice.expired': noticeStep({}),

  'display.kiosk': z.object({ ...receipt, startedAt: time, endedAt: time }),
  /** A kiosk's showings of one version in one period of controller time (four hours), coalesced (protocol/showings.ts): first start, last end. */
  'display.kiosk-interval': z.object({ ...receipt, startedAt: time, endedAt: time, showings: z.number(), shownMs: z.number() }),
  'interaction.opened': interaction,
  'interaction.read_aloud': interaction,
  'interaction.qr_shown': interaction,
  'interaction.rated': interaction,
  'emergency.acknowledged': z.object({ ...receipt, at: time }),
  'receipt.rejected': z.object({
    receiptId: text,
    receiptSeq: z.number().optional(),
    kind: text,
    noticeId: text,
    reason: text,
    ...where,
  }),

  'device.paired': z.object({ deviceId: text, how: text, name: text, villageId: text, ...actor }),
  'device.updated': z.object({ deviceId: text, changes: z.record(z.string(), z.unknown()), ...actor }),
  'device.revoked': z.object({ deviceId: text, reason: text, ...actor }),
  /** `offlineSince`: the start of the outage this ends (the `at` of its `device.offline`), when it is known. */
  'device.online': z.object({ deviceId: text, offlineSince: time.optional() }),
  /**
   * An outage's start, written once the grace has passed (`reason: 'disconnected'`, `at`: when the connection
   * closed), or at a restart for a kiosk the crash left online (`reason: 'controller-restart'`, `lastRecordAt`).
   * Older ledgers hold one at every disconnect, without `at`.
   */
  'device.offline': z.object({ deviceId: text, reason: text.optional(), at: time.optional(), lastRecordAt: time.nullable().optional() }),
  'device.offline-alert': z.object({ deviceId: text, lastSeenAt: time.nullable() }),
  'device.clock-skew': z.object({ deviceId: text, clockOffsetMs: z.number() }),
  'device.clock-ok': z.object({ deviceId: text, clockOffsetMs: z.number() }),
  'device.receipt-gap': z.object({ deviceId: text, missing: z.number() }),
  /** The device numbers its receipts from `firstSeq` again (its storage was reset); the controller re-based. */
  'device.receipt-seq-reset': z.object({
    ...where,
    previousHighest: z.number(),
    firstSeq: z.number().optional(),
    firstReceiptId: text,
  }),

  'sign.display': z.object({
    signId: text,
    villageId: text,
    contentHash: text,
    start: time,
    end: time,
    proof: text,
    endReason: text,
    /** A village node's coalesced rotation (protocol/node.ts): how many showings, their time on screen together. */
    showings: z.number().optional(),
    shownMs: z.number().optional(),
    ...maybeFromNode,
  }),
  'sign.link-down': z.object({ ...signWhere, at: time, cause: text, ...maybeFromNode }),
  /** `villageId` and `portPath` are missing on the outages a restart closes. */
  'sign.link-outage': z.object({
    signId: text,
    villageId: text.optional(),
    portPath: text.optional(),
    start: time,
    end: time,
    cause: text,
    ...maybeFromNode,
  }),
  /** A village node lost the controller (its signs ran on from its stored schedule), and when it was back. */
  'node.uplink-down': z.object({ ...fromNode, villageId: text, at: time }),
  'node.uplink-outage': z.object({ ...fromNode, villageId: text, start: time, end: time }),
  /** A node's record that can never be recorded (unknown sign, unpublished content): kept so it is no gap. */
  'node.record-rejected': z.object({ ...fromNode, kind: text, reason: text }),
  'sign.removed': z.object({ ...signFacts, ...actor }),
  /** A sign profile created (`created`) or edited (`changed`: the fields that differ), by staff. */
  'sign.profile-saved': z.object({ ...signFacts, created: z.boolean(), changed: z.array(text), ...actor }),
  /** A sign moved to another village, or between the controller and a village node (`fromNode`/`toNode`, null = the controller). */
  'sign.moved': z.object({
    signId: text,
    fromVillageId: text,
    toVillageId: text,
    fromNode: text.nullable().optional(),
    toNode: text.nullable().optional(),
    ...actor,
  }),

  'user.created': z.object({ userId: text, username: text, roles: z.array(text), villageIds: z.array(text), ...actor }),
  'user.updated': z.object({ userId: text, changes: z.record(z.string(), z.unknown()), ...actor }),
  'user.password-reset': z.object({ userId: text, ...actor }),
  'user.password-changed': z.object({ userId: text, ...actor }),
  'village.created': z.object({ villageId: text, name: text, ...actor }),
  'village.renamed': z.object({ villageId: text, name: text, ...actor }),
  'settings.holidays': z.object({ holidays: z.array(text), workdays: z.array(text), ...actor }),
  'settings.devices': z.object({ ...actor }),
  'settings.records': z.object({ manualLateDays: z.number(), ...actor }),
  /**
   * How long a warning holds a kiosk's whole screen and when it takes it again, by level; and the longest a warning
   * one reviewer approves alone may run (`fastPathMaxHours`). Each is present when it was changed.
   */
  'settings.emergency': z.object({
    emergencyTakeover: declared<EmergencyTakeover>().optional(),
    fastPathMaxHours: z.number().optional(),
    ...actor,
  }),

  'disclosure.manual': z.object({ entry: declared<Omit<ManualDisclosure, 'seq' | 'recordedAt'>>(), ...actor }),
  'disclosure.photo': z.object({ photo: declared<PhotoRef>(), ...actor }),
  'register.application.saved': z.object({ entry: declared<DisclosureApplication>(), ...actor }),
  'register.application.deleted': z.object({ id: text, ...actor }),
  'register.case.saved': z.object({ entry: declared<LitigationCase>(), ...actor }),
  'register.case.deleted': z.object({ id: text, ...actor }),
  'report.annual.saved': z.object({ draft: declared<AnnualDraft>(), ...actor }),

  'controller.restarted': z.object({ lastAliveAt: time, downMs: z.number(), openKiosks: z.number(), openSignOutages: z.number() }),
  /** An earlier record's change did not take effect (`voids`: its seq). */
  'ledger.void': z.object({ voids: z.number().optional(), reason: text }),
  /** A torn last line (a crash mid-write) cut off at start. */
  'ledger.tail-cut': z.object({ segment: text, offset: z.number(), bytes: z.number(), sha256: text }),
  /** Staff accepted the ledger as it stands after the start check found a break (store/integrity.ts). */
  'ledger.break-accepted': z.object({
    reason: text,
    broken: declared<LedgerIntegrityBreak>(),
    detectedAt: time,
    verifiedSeq: z.number(),
    ...actor,
  }),
  /** A device reported that the ledger does not extend the signed checkpoint it holds (protocol/witness.ts). */
  'witness.alarm': z.object({
    deviceId: text,
    kind: text,
    message: text,
    at: time,
    held: declared<WitnessAlarm['held']>(),
    shown: declared<WitnessAlarm['shown']>(),
  }),
  /** A device with a listed witness alarm checked the ledger's head and holds none now (staff reset it on the device). */
  'witness.alarm-cleared': z.object({ deviceId: text, kind: text, raisedAt: time }),
} satisfies Record<string, z.ZodObject>;

export type LedgerType = keyof typeof LEDGER_ENTRY_SCHEMAS;
export const LEDGER_TYPES = Object.keys(LEDGER_ENTRY_SCHEMAS) as LedgerType[];

/** An entry of one type, as its writer builds it. */
export type LedgerEntryOf<T extends LedgerType> = { type: T } & z.input<(typeof LEDGER_ENTRY_SCHEMAS)[T]>;
/** Any declared entry: what the ledger accepts. */
export type LedgerEntry = { [T in LedgerType]: LedgerEntryOf<T> }[LedgerType];

type NoticeType = Extract<LedgerType, `notice.${string}`>;
/** A notice step's own fields; the notice service adds the notice, version, content hash and actor. */
export type NoticeStepEntry = {
  [T in NoticeType]: Omit<LedgerEntryOf<T>, 'noticeId' | 'versionId' | 'contentHash' | 'actorId'>;
}[NoticeType];

/** The fields the ledger adds to every entry it stores. */
export interface LedgerStamp {
  seq: number;
  ts: number;
  prevHash: string;
  hash: string;
}

/** A record as read back: of any type, since a ledger outlives the build that wrote it. */
export interface StoredLedgerRecord extends LedgerStamp {
  type: string;
  [field: string]: unknown;
}

export function isLedgerType(type: string): type is LedgerType {
  return Object.hasOwn(LEDGER_ENTRY_SCHEMAS, type);
}

/** The interaction record types, `interaction.<action>`. */
export const INTERACTION_TYPES = INTERACTION_ACTIONS.map((a) => `interaction.${a}` as const);

/**
 * A stored record as the declared entry of its type, or null when its type is
 * not declared or its fields do not match (an old or foreign record: show it raw).
 */
export function parseLedgerEntry(record: { readonly type: string; readonly [field: string]: unknown }): LedgerEntry | null {
  if (!isLedgerType(record.type)) return null;
  // Loose: fields a newer writer added are kept, not stripped.
  const parsed = LEDGER_ENTRY_SCHEMAS[record.type].loose().safeParse(record);
  return parsed.success ? ({ ...parsed.data, type: record.type } as LedgerEntry) : null;
}

/** Narrows a stored record to a declared type, by its `type` alone (fields are trusted as written). */
export function isLedgerRecord<T extends LedgerType>(
  record: StoredLedgerRecord,
  type: T,
): record is StoredLedgerRecord & LedgerEntryOf<T> & LedgerStamp {
  return record.type === type;
}
