/**
 * The ledger's derived data as the admin sees it: checkpoints, manual-channel
 * disclosures, the statistics reports, the registers behind the annual report
 * (依申请公开 applications, 复议/诉讼 cases) and the report itself. Table
 * layouts follow docs/reference/disclosure-rules.md §1.
 */
import { z } from './zod.js';
import { isCivilDate, type CivilDate } from './calendar.js';
import { unmaskedPiiMessage } from './privacy.js';
import { CATEGORY_CODES, KEY_AREAS, type KeyArea } from './taxonomy.js';
import type { UntrustedShowings } from './compliance.js';

/**
 * Free text that goes into the ledger for good and reaches the public through
 * reports: refused while it holds an unmasked personal number (issue 14).
 */
const withoutPii = <T extends z.ZodType<string>>(schema: T) =>
  schema.superRefine((text, ctx) => {
    const message = unmaskedPiiMessage(text);
    if (message) ctx.addIssue({ code: 'custom', message });
  });

// ── Checkpoint ────────────────────────────────────────────────────────────────

/** The ledger's head at a moment: an auditor keeps it and can later prove nothing up to `seq` changed. */
export interface LedgerCheckpoint {
  seq: number;
  headHash: string;
  /** Epoch ms when the head was read. */
  at: number;
}

/** `GET /api/ledger/verify`: the hash chain recomputed now, to its head or to its first broken record (controller/store/verify.ts). */
export type LedgerVerification =
  | {
      ok: true;
      records: number;
      checkpoint: LedgerCheckpoint;
      /** Bytes after the newest segment's last newline (a write in progress, or a crash mid-write the next start cuts): not records yet. */
      tornTailBytes?: number;
    }
  | { ok: false; records: number; firstBroken: { file: string; line: number; seq: number | null; reason: string } };

/** `GET /api/ledger/checkpoint`: the checkpoint plus what it is of. */
export interface CheckpointExport extends LedgerCheckpoint {
  format: 'gongshi-ledger-checkpoint/1';
  town: string;
  /** How to check it: `npm run ledger:verify -- --data <dir> --seq <seq> --hash <headHash>`, or the admin's verify button. */
  howToVerify: string;
  /** The controller's Ed25519 signature over format, town, seq, headHash and at (absent on checkpoints exported before signing). */
  signature?: CheckpointSignature;
}

/** How a checkpoint is signed: the key is made at the controller's first start and kept in `<data dir>/keys/`. */
export interface CheckpointSignature {
  algorithm: 'Ed25519';
  /** The public key, SPKI PEM: staff show it to auditors, who keep it with the checkpoint. */
  publicKey: string;
  /** `SHA256:` + hex of the SHA-256 of the public key's DER bytes, for comparing keys by eye. */
  fingerprint: string;
  /** Base64 Ed25519 signature over the canonical JSON of `{ at, format, headHash, seq, town }`. */
  value: string;
}

/** The first record that does not fit the chain. */
export interface LedgerIntegrityBreak {
  file: string;
  line: number;
  seq: number | null;
  reason: string;
}

/**
 * The ledger's own check, at start and every few minutes: `broken` holds the
 * reports back and keeps the admin's alarm up until staff restore the ledger
 * or accept it as it stands (`POST /api/ledger/integrity/accept`).
 */
export type LedgerIntegrity =
  | { status: 'unchecked' }
  | { status: 'ok'; verifiedSeq: number; checkedAt: number; recordsRead: number; whole: boolean }
  | { status: 'broken'; detectedAt: number; broken: LedgerIntegrityBreak; verifiedSeq: number };

export const acceptBreakRequest = z.strictObject({
  reason: z
    .string()
    .trim()
    .min(10, 'say what was found and done, at least 10 characters (请写明调查结果和处理情况)')
    .max(2000, 'at most 2000 characters'),
});

const civilDate = z.string().refine(isCivilDate, 'must be a date like 2026-11-26');
const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 hex digest');
const shortId = z.string().trim().min(1, 'must not be empty').max(64, 'must be at most 64 characters');

export const verifyQuery = z.strictObject({
  seq: z.coerce.number().int('must be a whole number').min(1, 'must be at least 1').optional(),
  headHash: sha256.optional(),
});

/** `GET /api/ledger/export`: the records to export, as CSV or JSON Lines. */
export const exportQuery = z
  .strictObject({
    format: z.enum(['csv', 'jsonl'], 'choose csv or jsonl'),
    type: z.string().trim().max(64).optional(),
    from: civilDate.optional(),
    to: civilDate.optional(),
    noticeId: z.string().trim().max(64).optional(),
    deviceId: z.string().trim().max(64).optional(),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'must not be before from', path: ['to'] });
export type ExportQuery = z.infer<typeof exportQuery>;

// ── Channels ─────────────────────────────────────────────────────────────────

/** Where information was disclosed: the system's own screens, and channels staff record by hand. */
export const CHANNELS = ['kiosk', 'led', 'board', 'wechat', 'website', 'broadcast'] as const;
export type Channel = (typeof CHANNELS)[number];
export const MANUAL_CHANNELS = ['board', 'wechat', 'website', 'broadcast'] as const;
export type ManualChannel = (typeof MANUAL_CHANNELS)[number];
export const CHANNEL_LABELS: Record<Channel, { zh: string; en: string; report: string }> = {
  kiosk: { zh: '触摸屏', en: 'Kiosk', report: '政务公开触摸屏' },
  led: { zh: 'LED 屏', en: 'LED sign', report: 'LED显示屏' },
  board: { zh: '公示栏', en: 'Notice board', report: '政府公示栏' },
  wechat: { zh: '政务微信', en: 'Government WeChat', report: '政务微信' },
  website: { zh: '政府网站', en: 'Government website', report: '政府网站' },
  broadcast: { zh: '广播', en: 'Broadcast', report: '广播' },
};

/** Photos of a paper posting: at most this many bytes, JPEG, PNG or WebP (checked by their first bytes). */
export const PHOTO_MAX_BYTES = 5 * 1024 * 1024;
export const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export type PhotoType = (typeof PHOTO_TYPES)[number];

export interface PhotoRef {
  sha256: string;
  type: PhotoType;
  bytes: number;
}

/** A disclosure made outside the system, as recorded by staff (ledger type `disclosure.manual`). */
export interface ManualDisclosure {
  seq: number;
  entryId: string;
  channel: ManualChannel;
  title: string;
  /** The notice it published, if it is also in the system (then it counts once, on both channels). */
  noticeId: string | null;
  /** null = town-wide. */
  villageId: string | null;
  category: string | null;
  keyAreas: KeyArea[];
  disclosedOn: CivilDate;
  photo: PhotoRef | null;
  note: string;
  actorId: string;
  /** When the controller recorded it; a report shows it next to `disclosedOn`, so backdating shows. */
  recordedAt: number;
  /** Set when `disclosedOn` was more than the town's limit of days before the day it was recorded. */
  late?: LateConfirmation;
}

/** A reviewer's confirmation of a 其他渠道 entry recorded long after the day it claims. */
export interface LateConfirmation {
  /** Whole days from `disclosedOn` to the day it was recorded. */
  days: number;
  /** The reviewer (or admin) who recorded and so confirmed it. */
  confirmedBy: string;
  reason: string;
}

/** 《政府信息公开条例》 (国务院令第492号) took effect on this day: no disclosure under it is older. */
export const REGULATIONS_IN_FORCE: CivilDate = '2008-05-01';

/** Default of {@link TownSettings.manualLateDays}: older entries need a reviewer's confirmation. */
export const DEFAULT_MANUAL_LATE_DAYS = 30;

export const manualDisclosureRequest = z.strictObject({
  channel: z.enum(MANUAL_CHANNELS, `choose one of ${MANUAL_CHANNELS.join(', ')}`),
  title: withoutPii(z.string().trim().min(1, 'enter a title').max(200, 'at most 200 characters')),
  noticeId: shortId.nullable().default(null),
  villageId: shortId.nullable().default(null),
  category: z.enum(CATEGORY_CODES, 'choose a category').nullable().default(null),
  keyAreas: z.array(z.enum(KEY_AREAS, 'unknown key area')).max(10).default([]),
  disclosedOn: civilDate.refine(
    (d) => d >= REGULATIONS_IN_FORCE,
    `before the 条例 took effect on ${REGULATIONS_IN_FORCE} (早于《政府信息公开条例》施行日 ${REGULATIONS_IN_FORCE})`,
  ),
  photo: sha256.nullable().default(null),
  note: withoutPii(z.string().trim().max(500, 'at most 500 characters')).default(''),
  /** Needed, from a reviewer, when `disclosedOn` is older than the town's limit. */
  lateReason: withoutPii(z.string().trim().max(300, 'at most 300 characters')).optional(),
});
export type ManualDisclosureRequest = z.input<typeof manualDisclosureRequest>;

/** `PUT /api/settings/records`: how old a 其他渠道 entry may be before a reviewer must confirm it. */
export const recordSettingsRequest = z.strictObject({
  manualLateDays: z.number().int('whole days').min(1, 'at least 1 day').max(3660, 'at most 10 years'),
});

export const manualListQuery = z.strictObject({
  from: civilDate.optional(),
  to: civilDate.optional(),
});

// ── Statistics reports ───────────────────────────────────────────────────────

export const rangeQuery = z
  .strictObject({
    from: civilDate,
    to: civilDate,
    villageId: shortId.optional(),
  })
  .refine((q) => q.from <= q.to, { message: 'must not be before from', path: ['to'] });
export type RangeQuery = z.infer<typeof rangeQuery>;

export const PERIODS = ['month', 'quarter', 'year'] as const;
export type Period = (typeof PERIODS)[number];
export const periodQuery = z.strictObject({
  period: z.enum(PERIODS, 'choose month, quarter or year'),
  /** `2026-03`, `2026-Q1` or `2026`. */
  key: z.string().regex(/^\d{4}(-\d{2}|-Q[1-4])?$/, 'must look like 2026, 2026-Q1 or 2026-03'),
});

export interface CountRow {
  key: string;
  label: string;
  count: number;
}

/** 主动公开 statistics: each piece of information counts once in the total, and once per channel it went out on. */
export interface DisclosureStats {
  from: CivilDate;
  to: CivilDate;
  total: number;
  byChannel: CountRow[];
  byCategory: CountRow[];
  byKeyArea: CountRow[];
  byVillage: CountRow[];
  byMonth: CountRow[];
  reviewed: number;
  rejected: number;
  corrected: number;
  withdrawn: number;
}

export interface TimelinessRow {
  noticeId: string;
  title: string;
  formedOn: CivilDate;
  deadline: CivilDate;
  approvedOn: CivilDate | null;
  /** Working days after the formed date to approval. */
  workingDaysToApproval: number | null;
  firstShownOn: CivilDate | null;
  workingDaysToFirstDisplay: number | null;
  /** Per device: its first display (null = never shown there). */
  devices: {
    deviceId: string;
    villageId: string;
    firstShownOn: CivilDate | null;
    workingDays: number | null;
    late: boolean;
    /** Display receipts left out (their times are not believed), with the reason. */
    untrusted: UntrustedShowings[];
  }[];
  /** Published (approved) after the deadline, or not yet while the deadline has passed. */
  late: boolean;
}

export interface VillageCheckRow {
  villageId: string;
  village: string;
  published: number;
  manual: number;
  late: number;
  showings: number;
  hoursShown: number;
  interactions: number;
  ratings: number;
  averageRating: number | null;
  devices: number;
}

export interface VillageChecks {
  period: Period;
  key: string;
  from: CivilDate;
  to: CivilDate;
  rows: VillageCheckRow[];
}

export interface SatisfactionRow {
  key: string;
  label: string;
  /** Counts of ratings 1..5. */
  counts: [number, number, number, number, number];
  total: number;
  average: number | null;
}

export interface Satisfaction {
  byNotice: SatisfactionRow[];
  byVillage: SatisfactionRow[];
  comments: { noticeId: string; title: string; villageId: string; rating: number; comment: string; at: number }[];
}

// ── Registers behind the annual report ──────────────────────────────────────

export const APPLICANT_TYPES = ['natural', 'commercial', 'research', 'public_welfare', 'legal_service', 'other'] as const;
export type ApplicantType = (typeof APPLICANT_TYPES)[number];

export const APPLICATION_CHANNELS = ['in_person', 'letter', 'online', 'fax', 'other'] as const;

/** One outcome per application (部分公开 counts only as 部分公开); V2019 folds the three 其他处理 leaves into one row. */
export const OUTCOMES = [
  'granted',
  'partial',
  'deny_state_secret',
  'deny_law_forbidden',
  'deny_three_safety_one_stability',
  'deny_third_party',
  'deny_internal_affairs',
  'deny_process_info',
  'deny_enforcement_file',
  'deny_admin_query',
  'unable_not_held',
  'unable_needs_creation',
  'unable_unclear_after_correction',
  'noprocess_petition_complaint',
  'noprocess_duplicate',
  'noprocess_publication',
  'noprocess_mass_repeated',
  'noprocess_confirm_or_reissue',
  'other_no_correction',
  'other_fee_unpaid',
  'other_misc',
] as const;
export type Outcome = (typeof OUTCOMES)[number];

export interface DisclosureApplication {
  id: string;
  applicantType: ApplicantType;
  receivedOn: CivilDate;
  channel: (typeof APPLICATION_CHANNELS)[number];
  subject: string;
  /** null while still being handled (结转下年度 at a year's end). */
  outcome: Outcome | null;
  repliedOn: CivilDate | null;
  feeYuan: number;
  /**
   * The village the application concerns, or null for the town as a whole (and in entries saved before villages
   * were recorded): an editor limited to villages sees only their villages' entries (domain/villageScope.ts).
   */
  villageId: string | null;
}

export const applicationRequest = z
  .strictObject({
    applicantType: z.enum(APPLICANT_TYPES, 'choose the applicant type'),
    receivedOn: civilDate,
    channel: z.enum(APPLICATION_CHANNELS, 'choose how it arrived').default('in_person'),
    subject: withoutPii(z.string().trim().min(1, 'enter what was asked for').max(300, 'at most 300 characters')),
    outcome: z.enum(OUTCOMES, 'choose one outcome').nullable().default(null),
    repliedOn: civilDate.nullable().default(null),
    feeYuan: z.number().min(0, 'must not be negative').max(1_000_000).default(0),
    villageId: shortId.nullable().default(null),
  })
  .refine((a) => (a.outcome === null) === (a.repliedOn === null), {
    message: 'an outcome needs its reply date, and a reply date its outcome',
    path: ['repliedOn'],
  })
  .refine((a) => a.repliedOn === null || a.repliedOn >= a.receivedOn, {
    message: 'must not be before the received date',
    path: ['repliedOn'],
  });
export type ApplicationRequest = z.input<typeof applicationRequest>;

export const CASE_KINDS = ['reconsideration', 'litigation_direct', 'litigation_after_reconsideration'] as const;
export type CaseKind = (typeof CASE_KINDS)[number];
export const CASE_RESULTS = ['upheld', 'corrected', 'other', 'pending'] as const;
export type CaseResult = (typeof CASE_RESULTS)[number];

export interface LitigationCase {
  id: string;
  kind: CaseKind;
  filedOn: CivilDate;
  result: CaseResult;
  concludedOn: CivilDate | null;
  summary: string;
  /** The village the case concerns, or null for the town as a whole (and in entries saved before villages were recorded). */
  villageId: string | null;
}

export const caseRequest = z
  .strictObject({
    kind: z.enum(CASE_KINDS, 'choose reconsideration or litigation'),
    filedOn: civilDate,
    result: z.enum(CASE_RESULTS, 'choose a result').default('pending'),
    concludedOn: civilDate.nullable().default(null),
    summary: withoutPii(z.string().trim().min(1, 'describe the case').max(300, 'at most 300 characters')),
    villageId: shortId.nullable().default(null),
  })
  .refine((c) => (c.result === 'pending') === (c.concludedOn === null), {
    message: 'a concluded case needs its date; a pending one has none',
    path: ['concludedOn'],
  })
  .refine((c) => c.concludedOn === null || c.concludedOn >= c.filedOn, {
    message: 'must not be before the filing date',
    path: ['concludedOn'],
  });
export type CaseRequest = z.input<typeof caseRequest>;

// ── Annual report ─────────────────────────────────────────────────────────────

export const REPORT_VERSIONS = ['V2019', 'V2021'] as const;
export type ReportVersion = (typeof REPORT_VERSIONS)[number];

/**
 * The format a year's report is written in: 国办公开办函〔2019〕60号 for the 2019 and
 * 2020 reports (and any earlier year, the first standard format), 〔2021〕30号 from
 * the 2021 report on (disclosure-rules.md §1.2).
 *
 * @example reportVersionFor(2020) // 'V2019'
 */
export function reportVersionFor(year: number): ReportVersion {
  return year >= 2021 ? 'V2021' : 'V2019';
}

/** The document that defines a format, as staff and the county name it. */
export const REPORT_VERSION_SOURCES: Record<ReportVersion, string> = {
  V2019: '国办公开办函〔2019〕60号',
  V2021: '国办公开办函〔2021〕30号',
};

/** What staff enter for a year's report: T2 cells the system cannot know, and the narrative of sections 五 and 六. */
export interface AnnualDraft {
  year: number;
  version: ReportVersion;
  /** T2 cells by id `t2.<table>.<row>.<col>`; missing = 0. */
  cells: Record<string, number>;
  /** Extra paragraphs for 一、总体情况 after the generated figures. */
  overview: string;
  problems: string;
  other: string;
  savedAt: number;
  savedBy: string;
}

export const annualDraftRequest = z.strictObject({
  cells: z.record(z.string().regex(/^t2\.\d\.\d\.\d$/, 'unknown cell'), z.number().finite('must be a number')).default({}),
  overview: z.string().max(20_000).default(''),
  problems: z.string().max(20_000).default(''),
  other: z.string().max(20_000).default(''),
});
export type AnnualDraftRequest = z.input<typeof annualDraftRequest>;

export const annualParams = z.strictObject({
  year: z.coerce.number().int('must be a year').min(2008, 'from 2008').max(2100, 'until 2100'),
  version: z.enum(REPORT_VERSIONS, 'choose V2019 or V2021'),
});

/** The annual report's query: `villageId` asks for that village's figures instead of the town's report. */
export const annualQuery = z.strictObject({
  villageId: shortId.optional(),
});

/** One header cell as the template prints it: spans count columns and rows of the printed table. */
export interface HeaderCell {
  text: string;
  colSpan: number;
  rowSpan: number;
}

export interface ReportTable {
  caption: string;
  /** The leaf column headers, label column first (`·` joins a column's header path, as in T4). */
  cols: string[];
  /** The header rows as the template prints them, with spans; absent = one row of `cols`. */
  head?: HeaderCell[][];
  /** Columns the row labels take in print (T3: 3 — 三、本年度办理结果 / （三）不予公开 / 1.属于国家秘密); absent = 1. */
  labelCols?: number;
  /** Column widths in millimetres on an A4 page of 156 mm text width, label columns first (absent = equal). */
  widthsMm?: number[];
  rows: { id: string; label: string; indent: number; heading?: boolean; cells: { id: string; value: number | null; manual: boolean }[] }[];
}

/** A rule the report breaks, naming the cell (e.g. `t3.total.natural`) so the form can point at it. */
export interface ReportProblem {
  cell: string;
  message: string;
}

export interface AnnualReport {
  year: number;
  version: ReportVersion;
  town: string;
  issuer: string;
  /**
   * Set when this is one village's figures, not the town's report (what an editor limited to a village reads,
   * domain/villageScope.ts): its notices and entries, its registers' rows; no staff-entered town figures or text.
   */
  village: { id: string; name: string } | null;
  /** Section 一's paragraphs: generated figures first, then staff text. */
  overview: string[];
  /** The staff text of section 一 as saved (the end of `overview`). */
  staffOverview: string;
  t2: ReportTable[];
  t3: ReportTable;
  t4: ReportTable;
  problems: string;
  other: string;
  /** Empty when the report may be exported. */
  invalid: ReportProblem[];
  figures: {
    total: number;
    byChannel: CountRow[];
    reviewed: number;
    rejected: number;
    corrected: number;
    applications: number;
    cases: number;
  };
  /** Whether sections 五/六 came from last year's saved report (not yet saved for this year). */
  prefilledFromYear: number | null;
}
