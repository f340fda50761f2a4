/**
 * What the reports need, folded from the ledger one record at a time:
 *
 * - per notice × device × day: showings, milliseconds shown, interactions by
 *   kind and ratings by level (a flat numeric row per cell);
 * - the first display of each notice on each device (timeliness);
 * - each notice's lifecycle steps (submitted, approved, rejected, corrected…);
 * - manual-channel disclosures, rating comments, and the registers the annual
 *   report reads (依申请公开 applications, 复议/诉讼 cases, report drafts);
 * - what the compliance report needs: when each version was on screen on each
 *   device, and each device's outages (coverage.ts).
 *
 * Pure: `applyRecord` is the only way in, so folding the whole ledger again
 * (`rebuildAggregates`) must give the same result as following it live.
 */
import type { LedgerRecord } from '../../store/ledger.js';
import {
  type AnnualDraft,
  type DisclosureApplication,
  type LitigationCase,
  type ManualDisclosure,
  civilDateOf,
} from '../../protocol/index.js';
import { type Coverage, type CoverageSnapshot, applyCoverage, coverageFromSnapshot, coverageSnapshot, emptyCoverage } from './coverage.js';
import { type ReceiptTime, type UntrustedReason, judgeInterval } from './receiptTime.js';

/** Column indexes of a cell's numeric row. */
export const COL = {
  showings: 0,
  ms: 1,
  opened: 2,
  readAloud: 3,
  qrShown: 4,
  rated: 5,
  otherInteractions: 6,
  /** Ratings 1..5 are at RATING + 0..4. */
  rating: 7,
} as const;
export const CELL_WIDTH = 12;

const INTERACTION_COLUMN: Record<string, number> = {
  opened: COL.opened,
  read_aloud: COL.readAloud,
  qr_shown: COL.qrShown,
  rated: COL.rated,
};

export interface Cell {
  noticeId: string;
  deviceId: string;
  villageId: string;
  /** Civil date (China) the showing started or the interaction happened. */
  day: string;
  v: number[];
}

/** A cell's key in `Aggregates.cells`. */
export const cellKey = (noticeId: string, deviceId: string, day: string): string => `${noticeId}\u0000${deviceId}\u0000${day}`;

/** One cell as plain values: the snapshot's and the cell archive's form. */
export type CellRow = [noticeId: string, deviceId: string, villageId: string, day: string, values: number[]];

export const toRow = (c: Cell): CellRow => [c.noticeId, c.deviceId, c.villageId, c.day, c.v];

export interface LifecycleStep {
  seq: number;
  ts: number;
  /** `submitted`, `approved`, `corrected`, `rejected`, `withdrawn`, `expired`, `created`, … (the record type after `notice.`). */
  step: string;
}

export interface RatingComment {
  seq: number;
  noticeId: string;
  deviceId: string;
  villageId: string;
  rating: number;
  comment: string;
  at: number;
}

export interface FirstShown {
  noticeId: string;
  deviceId: string;
  villageId: string;
  at: number;
}

/** When a version was approved (and by which record, so a void can take it back) and withdrawn. */
export interface VersionTimes {
  approvedAt: number | null;
  approvedSeq: number;
  withdrawnAt: number | null;
}

/** Kiosk display receipts whose times the reports do not believe (receiptTime.ts), per version × device × reason. */
export interface UntrustedTally {
  noticeId: string;
  contentHash: string;
  deviceId: string;
  villageId: string;
  reason: UntrustedReason;
  receipts: number;
  /** The time the receipts claim, as sent. */
  claimedMs: number;
  firstSeq: number;
  lastSeq: number;
}

export interface Aggregates {
  /** The last ledger record folded in. */
  throughSeq: number;
  throughHash: string;
  cells: Map<string, Cell>;
  firstShown: Map<string, FirstShown>;
  lifecycle: Map<string, LifecycleStep[]>;
  /** By ledger seq, so a void can take one back. */
  manual: Map<number, ManualDisclosure>;
  comments: RatingComment[];
  /** Device → village, as its records said. */
  devices: Map<string, string>;
  /** LED signs seen in `sign.display` records (their channel is LED, not kiosk). */
  signs: Set<string>;
  /** Content hash → notice, from lifecycle records: sign intervals name only the content they showed. */
  hashes: Map<string, string>;
  applications: Map<string, DisclosureApplication>;
  cases: Map<string, LitigationCase>;
  /** `year:version` → draft. */
  drafts: Map<string, AnnualDraft>;
  /** Showing runs per version × device and device outages, for the compliance report. */
  coverage: Coverage;
  /** Content hash → when it was approved and withdrawn: bounds on the receipts naming it. */
  versions: Map<string, VersionTimes>;
  /** Device → when it was paired. */
  paired: Map<string, number>;
  /** `${contentHash}\0${deviceId}\0${reason}` → receipts left out of the reports. */
  untrusted: Map<string, UntrustedTally>;
}

export const MANUAL_TYPE = 'disclosure.manual';
export const APPLICATION_SAVED = 'register.application.saved';
export const APPLICATION_DELETED = 'register.application.deleted';
export const CASE_SAVED = 'register.case.saved';
export const CASE_DELETED = 'register.case.deleted';
export const DRAFT_SAVED = 'report.annual.saved';

export function emptyAggregates(): Aggregates {
  return {
    throughSeq: 0,
    throughHash: '0'.repeat(64),
    cells: new Map(),
    firstShown: new Map(),
    lifecycle: new Map(),
    manual: new Map(),
    comments: [],
    devices: new Map(),
    signs: new Set(),
    hashes: new Map(),
    applications: new Map(),
    cases: new Map(),
    drafts: new Map(),
    coverage: emptyCoverage(),
    versions: new Map(),
    paired: new Map(),
    untrusted: new Map(),
  };
}

const str = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);
const num = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);

function cellOf(agg: Aggregates, noticeId: string, deviceId: string, villageId: string, day: string): Cell {
  const key = cellKey(noticeId, deviceId, day);
  let cell = agg.cells.get(key);
  if (!cell) {
    cell = { noticeId, deviceId, villageId, day, v: new Array<number>(CELL_WIDTH).fill(0) };
    agg.cells.set(key, cell);
  }
  return cell;
}

function villageOf(agg: Aggregates, record: LedgerRecord, deviceId: string): string {
  const stated = str(record.villageId);
  if (stated) {
    agg.devices.set(deviceId, stated);
    return stated;
  }
  return agg.devices.get(deviceId) ?? '';
}

export const KIOSK_DISPLAY = 'display.kiosk';
/** A kiosk's showings of one version in one period of controller time, coalesced (protocol/showings.ts). */
export const KIOSK_INTERVAL = 'display.kiosk-interval';

/**
 * How many showings a display record stands for and their time on screen: an interval record says so (a kiosk's, or a
 * village node's coalesced rotation on a sign); any other (one showing) is one, for as long as it ran (`from`/`to`:
 * the believed times).
 */
function showingsOf(record: LedgerRecord, from: number, to: number): { showings: number; ms: number } {
  if (record.type === KIOSK_INTERVAL || (record.type === 'sign.display' && 'showings' in record)) {
    const showings = num(record.showings);
    const ms = num(record.shownMs);
    if (showings !== null && showings >= 1 && ms !== null) return { showings, ms: Math.max(0, Math.min(ms, to - from)) };
  }
  return { showings: 1, ms: Math.max(0, to - from) };
}

/** What the reports believe of a kiosk display receipt (receiptTime.ts); null for records of other types or malformed ones. */
export function kioskReceiptTime(agg: Aggregates, record: LedgerRecord): ReceiptTime | null {
  if (record.type !== KIOSK_DISPLAY && record.type !== KIOSK_INTERVAL) return null;
  const startedAt = num(record.startedAt);
  const endedAt = num(record.endedAt);
  const contentHash = str(record.contentHash);
  if (startedAt === null || endedAt === null || !contentHash) return null;
  const version = agg.versions.get(contentHash);
  return judgeInterval(startedAt, endedAt, {
    arrivedAt: record.ts,
    approvedAt: version?.approvedAt ?? null,
    withdrawnAt: version?.withdrawnAt ?? null,
    pairedAt: agg.paired.get(str(record.deviceId) ?? '') ?? null,
    clockOffsetMs: num(record.clockOffsetMs),
    clockTrusted: record.clockTrusted !== false,
  });
}

function tallyUntrusted(agg: Aggregates, record: LedgerRecord, reason: UntrustedReason): void {
  const contentHash = str(record.contentHash) ?? '';
  const deviceId = str(record.deviceId) ?? '';
  const key = `${contentHash}\u0000${deviceId}\u0000${reason}`;
  const claimed = showingsOf(record, num(record.startedAt) ?? 0, num(record.endedAt) ?? 0);
  const claimedMs = claimed.ms;
  const tally = agg.untrusted.get(key);
  if (tally) {
    tally.receipts += claimed.showings;
    tally.claimedMs += claimedMs;
    tally.lastSeq = record.seq;
    return;
  }
  const noticeId = str(record.noticeId) ?? agg.hashes.get(contentHash) ?? '';
  const villageId = villageOf(agg, record, deviceId);
  agg.untrusted.set(key, {
    noticeId,
    contentHash,
    deviceId,
    villageId,
    reason,
    receipts: claimed.showings,
    claimedMs,
    firstSeq: record.seq,
    lastSeq: record.seq,
  });
}

function applyDisplay(agg: Aggregates, record: LedgerRecord, believed: ReceiptTime | null): void {
  const contentHash = str(record.contentHash);
  const noticeId = str(record.noticeId) ?? (contentHash ? (agg.hashes.get(contentHash) ?? null) : null);
  const deviceId = str(record.deviceId) ?? str(record.signId);
  if (believed?.trusted === false) return tallyUntrusted(agg, record, believed.reason);
  // Kiosk receipts say startedAt/endedAt; sign intervals (services/signs.ts) say start/end.
  const startedAt = believed ? believed.from : (num(record.startedAt) ?? num(record.start));
  const endedAt = believed ? believed.to : (num(record.endedAt) ?? num(record.end));
  if (!noticeId || !deviceId || startedAt === null || endedAt === null) return;
  const villageId = villageOf(agg, record, deviceId);
  const cell = cellOf(agg, noticeId, deviceId, villageId, civilDateOf(startedAt));
  const shown = showingsOf(record, startedAt, endedAt);
  cell.v[COL.showings]! += shown.showings;
  cell.v[COL.ms]! += shown.ms;
  const key = `${noticeId}\u0000${deviceId}`;
  const first = agg.firstShown.get(key);
  if (!first || startedAt < first.at) agg.firstShown.set(key, { noticeId, deviceId, villageId, at: startedAt });
}

function applyInteraction(agg: Aggregates, record: LedgerRecord): void {
  const noticeId = str(record.noticeId);
  const deviceId = str(record.deviceId);
  if (!noticeId || !deviceId) return;
  const action = record.type.slice('interaction.'.length);
  const at = num(record.at) ?? num(record.occurredAt) ?? record.ts;
  const villageId = villageOf(agg, record, deviceId);
  const cell = cellOf(agg, noticeId, deviceId, villageId, civilDateOf(at));
  cell.v[INTERACTION_COLUMN[action] ?? COL.otherInteractions]! += 1;
  const rating = num(record.rating);
  if (action === 'rated' && rating !== null && Number.isInteger(rating) && rating >= 1 && rating <= 5) {
    cell.v[COL.rating + rating - 1]! += 1;
    const comment = str(record.comment);
    if (comment) agg.comments.push({ seq: record.seq, noticeId, deviceId, villageId, rating, comment, at });
  }
}

function applyVoid(agg: Aggregates, voided: number): void {
  agg.manual.delete(voided);
  for (const times of agg.versions.values()) if (times.approvedSeq === voided) times.approvedAt = null;
  for (const [id, steps] of agg.lifecycle) {
    const kept = steps.filter((s) => s.seq !== voided);
    if (kept.length !== steps.length) agg.lifecycle.set(id, kept);
  }
}

function noteVersionStep(agg: Aggregates, hash: string, type: string, record: LedgerRecord): void {
  const approval = type === 'notice.approved' || type === 'notice.corrected';
  if (!approval && type !== 'notice.withdrawn') return;
  const times = agg.versions.get(hash) ?? { approvedAt: null, approvedSeq: 0, withdrawnAt: null };
  if (approval && times.approvedAt === null) {
    times.approvedAt = record.ts;
    times.approvedSeq = record.seq;
  }
  if (type === 'notice.withdrawn') times.withdrawnAt ??= record.ts;
  agg.versions.set(hash, times);
}

/** Folds one record in. Records at or before `throughSeq` are ignored, so replaying an overlap is harmless. */
export function applyRecord(agg: Aggregates, record: LedgerRecord): void {
  if (record.seq <= agg.throughSeq) return;
  agg.throughSeq = record.seq;
  agg.throughHash = record.hash;
  const type = record.type;
  const believed = kioskReceiptTime(agg, record);
  applyCoverage(agg.coverage, record, believed);
  if (type.startsWith('display.')) return applyDisplay(agg, record, believed);
  if (type === 'sign.display') {
    const signId = str(record.signId);
    if (signId) agg.signs.add(signId);
    return applyDisplay(agg, record, null);
  }
  if (type === 'device.paired') {
    const deviceId = str(record.deviceId);
    if (deviceId) agg.paired.set(deviceId, record.ts);
    return;
  }
  if (type.startsWith('interaction.')) return applyInteraction(agg, record);
  if (type.startsWith('notice.')) {
    const noticeId = str(record.noticeId);
    if (!noticeId) return;
    const hash = str(record.contentHash);
    if (hash) {
      agg.hashes.set(hash, noticeId);
      noteVersionStep(agg, hash, type, record);
    }
    const steps = agg.lifecycle.get(noticeId) ?? [];
    steps.push({ seq: record.seq, ts: record.ts, step: type.slice('notice.'.length) });
    agg.lifecycle.set(noticeId, steps);
    return;
  }
  switch (type) {
    case MANUAL_TYPE:
      agg.manual.set(record.seq, { ...(record.entry as ManualDisclosure), seq: record.seq, recordedAt: record.ts });
      return;
    case APPLICATION_SAVED: {
      // Entries saved before villages were recorded concern the town as a whole.
      const entry = record.entry as DisclosureApplication;
      agg.applications.set(entry.id, { ...entry, villageId: entry.villageId ?? null });
      return;
    }
    case APPLICATION_DELETED:
      agg.applications.delete(String(record.id));
      return;
    case CASE_SAVED: {
      const entry = record.entry as LitigationCase;
      agg.cases.set(entry.id, { ...entry, villageId: entry.villageId ?? null });
      return;
    }
    case CASE_DELETED:
      agg.cases.delete(String(record.id));
      return;
    case DRAFT_SAVED: {
      const draft = record.draft as AnnualDraft;
      agg.drafts.set(`${draft.year}:${draft.version}`, draft);
      return;
    }
    case 'ledger.void': {
      const voided = num(record.voids);
      if (voided !== null) applyVoid(agg, voided);
      return;
    }
    default:
      return;
  }
}

/** Folds every record, oldest first. */
export async function rebuildAggregates(records: AsyncIterable<LedgerRecord>): Promise<Aggregates> {
  const agg = emptyAggregates();
  for await (const record of records) applyRecord(agg, record);
  return agg;
}

/**
 * The on-disk form: plain arrays, versioned so an old snapshot is rebuilt
 * rather than misread. Format 5: `cells` holds only the days not yet cut into
 * the cell archive (store.ts); format 4 held every cell. Format 6 adds what
 * bounds kiosk receipt times (versions, paired) and the receipts not believed.
 */
export interface AggregatesSnapshot {
  format: 6;
  throughSeq: number;
  throughHash: string;
  cells: CellRow[];
  firstShown: FirstShown[];
  lifecycle: [noticeId: string, steps: LifecycleStep[]][];
  manual: ManualDisclosure[];
  comments: RatingComment[];
  devices: [deviceId: string, villageId: string][];
  signs: string[];
  hashes: [contentHash: string, noticeId: string][];
  applications: DisclosureApplication[];
  cases: LitigationCase[];
  drafts: AnnualDraft[];
  coverage: CoverageSnapshot;
  versions: [contentHash: string, times: VersionTimes][];
  paired: [deviceId: string, at: number][];
  untrusted: UntrustedTally[];
}

export function toSnapshot(agg: Aggregates): AggregatesSnapshot {
  return {
    format: 6,
    throughSeq: agg.throughSeq,
    throughHash: agg.throughHash,
    cells: [...agg.cells.values()].map(toRow),
    firstShown: [...agg.firstShown.values()],
    lifecycle: [...agg.lifecycle.entries()],
    manual: [...agg.manual.values()],
    comments: agg.comments,
    devices: [...agg.devices.entries()],
    signs: [...agg.signs],
    hashes: [...agg.hashes.entries()],
    applications: [...agg.applications.values()],
    cases: [...agg.cases.values()],
    drafts: [...agg.drafts.values()],
    coverage: coverageSnapshot(agg.coverage),
    versions: [...agg.versions.entries()],
    paired: [...agg.paired.entries()],
    untrusted: [...agg.untrusted.values()],
  };
}

export function fromSnapshot(snapshot: AggregatesSnapshot): Aggregates {
  // An older format is not misread: the store rebuilds from the ledger instead.
  if (snapshot.format !== 6) throw new Error(`unknown aggregates snapshot format ${String(snapshot.format)}`);
  const agg = emptyAggregates();
  agg.throughSeq = snapshot.throughSeq;
  agg.throughHash = snapshot.throughHash;
  for (const [noticeId, deviceId, villageId, day, v] of snapshot.cells) {
    agg.cells.set(cellKey(noticeId, deviceId, day), { noticeId, deviceId, villageId, day, v: [...v] });
  }
  for (const f of snapshot.firstShown) agg.firstShown.set(`${f.noticeId}\u0000${f.deviceId}`, f);
  agg.lifecycle = new Map(snapshot.lifecycle);
  for (const m of snapshot.manual) agg.manual.set(m.seq, m);
  agg.comments = snapshot.comments;
  agg.devices = new Map(snapshot.devices);
  agg.signs = new Set(snapshot.signs);
  agg.hashes = new Map(snapshot.hashes);
  for (const a of snapshot.applications) agg.applications.set(a.id, { ...a, villageId: a.villageId ?? null });
  for (const c of snapshot.cases) agg.cases.set(c.id, { ...c, villageId: c.villageId ?? null });
  for (const d of snapshot.drafts) agg.drafts.set(`${d.year}:${d.version}`, d);
  agg.coverage = coverageFromSnapshot(snapshot.coverage);
  agg.versions = new Map(snapshot.versions.map(([h, t]) => [h, { ...t }]));
  agg.paired = new Map(snapshot.paired);
  for (const u of snapshot.untrusted) agg.untrusted.set(`${u.contentHash}\u0000${u.deviceId}\u0000${u.reason}`, { ...u });
  return agg;
}
