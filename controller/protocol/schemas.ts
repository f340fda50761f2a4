/**
 * zod schemas for every payload a client sends to the controller, over HTTP or
 * socket.io. The controller parses with these at the edge; the apps may use
 * them to check a form before sending it.
 */
import { z } from './zod.js';
import { type Failure, fail } from './ack.js';
import { isCivilDate } from './calendar.js';
import { FAST_PATH_MAX_HOURS_LIMIT } from './api.js';
import { lateStartDecision } from './lateStart.js';
import { DOC_TYPES, NOTICE_STATES } from './model.js';
import { SHOWING_INTERVAL_MS } from './showings.js';
import { CATEGORY_CODES, EMERGENCY_LEVELS, INTERACTION_ACTIONS, KEY_AREAS, RATING_COMMENT_MAX, RETENTION_CLASSES } from './taxonomy.js';

const id = z.string().trim().min(1, 'must not be empty').max(64, 'must be at most 64 characters');
const epochMs = z.number().int('must be a whole number of milliseconds').min(0).max(8_640_000_000_000);
const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 hex digest');

export const loginRequest = z.strictObject({
  username: z.string().trim().min(1, 'enter a user name').max(64),
  password: z.string().min(1, 'enter the password').max(256),
});
export type LoginRequest = z.infer<typeof loginRequest>;

export const noticeTarget = z.discriminatedUnion('scope', [
  z.strictObject({ scope: z.literal('town') }),
  z.strictObject({
    scope: z.literal('villages'),
    villageIds: z.array(id).min(1, 'choose at least one village').max(500),
  }),
]);

const civilDate = z.string().refine(isCivilDate, 'must be a date like 2026-11-26');

export const postingRule = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('calendar_days'), days: z.number().int().min(1, 'at least 1 day').max(3650) }),
  z.strictObject({ kind: z.literal('working_days'), days: z.number().int().min(1, 'at least 1 working day').max(2500) }),
  z.strictObject({ kind: z.literal('long_term') }),
  z.strictObject({ kind: z.literal('until'), end: civilDate }),
]);

const plainText = (max: number, what: string) =>
  z
    .string()
    .max(max, `${what} is at most ${max.toLocaleString('en')} characters`)
    // Control characters other than line breaks and tabs have no place on a notice board.
    .refine(
      // eslint-disable-next-line no-control-regex -- finding control characters is the point
      (t) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/u.test(t),
      `${what} contains control characters; paste it as plain text`,
    )
    .transform((t) => t.replace(/\r\n?/g, '\n').trim());

/**
 * The content of a notice as staff send it. Optional fields get defaults the
 * controller fills: issuer (the town's), formed date and posting start (today).
 */
export const noticeContentRequest = z
  .strictObject({
    title: plainText(120, 'the title').pipe(z.string().min(1, 'enter a title')),
    body: plainText(20_000, 'the text').pipe(z.string().min(1, 'enter the text of the notice')),
    ledText: plainText(500, 'the LED text').default(''),
    category: z.enum(CATEGORY_CODES, 'choose a category').default('a20-other'),
    keyAreas: z.array(z.enum(KEY_AREAS)).max(KEY_AREAS.length).default([]),
    docNumber: z
      .string()
      .trim()
      .max(60)
      .nullable()
      .default(null)
      .transform((d) => d || null),
    docType: z.enum(DOC_TYPES, 'choose 规章, 行政规范性文件 or other (请选择文件类型)').optional(),
    issuer: z.string().trim().max(60).default(''),
    formedOn: civilDate.optional(),
    target: noticeTarget,
    posting: z.strictObject({ start: civilDate.optional(), rule: postingRule }).default({ rule: { kind: 'long_term' } }),
    priority: z.number().int().min(0).max(9).default(0),
    emergency: z
      .strictObject({ level: z.enum(EMERGENCY_LEVELS), expiresAt: epochMs })
      .nullable()
      .default(null),
    retention: z.enum(RETENTION_CLASSES).optional(),
  })
  .refine((n) => !n.emergency || n.emergency.expiresAt > 0, { path: ['emergency', 'expiresAt'], message: 'an emergency needs an expiry' });
export type NoticeContentRequest = z.input<typeof noticeContentRequest>;
export type NoticeContentInput = z.output<typeof noticeContentRequest>;

/** `POST /api/notices` */
export const createNoticeRequest = noticeContentRequest;
export type CreateNoticeRequest = NoticeContentRequest;

/** `PUT /api/notices/:id/draft`: edit the working version, or start a revision of the live one. */
export const editNoticeRequest = z.strictObject({
  content: noticeContentRequest,
  /** 更正: marks a revision of a published notice as the correction of an error. */
  correctionReason: z.string().trim().min(2, 'say what was wrong').max(500).optional(),
});
export type EditNoticeRequest = z.input<typeof editNoticeRequest>;

const reason = (what: string) => z.string().trim().min(2, `give the reason for ${what}`).max(1000);

export const submitNoticeRequest = z.strictObject({
  /** Needed only when the scanner still finds personal data: why it must be published as it is. */
  privacyOverrideRequest: reason('publishing personal data').optional(),
});

export const attestation = z.strictObject({
  noStateSecret: z.literal(true, 'confirm there is no state secret'),
  noCommercialSecret: z.literal(true, 'confirm there is no commercial secret'),
  noUnmaskedPersonalData: z.literal(true, 'confirm personal data is masked'),
  checkedAgainstSource: z.literal(true, 'confirm the text was checked against the source'),
  opinion: z.string().trim().max(1000).default(''),
});

export const approveNoticeRequest = z.strictObject({
  attestation,
  privacyOverride: z.strictObject({ reason: reason('publishing personal data') }).optional(),
  /** Emergencies only: approve a warning one reviewer wrote, without a second person. Recorded as such. */
  fastPath: z.literal(true, 'send true or leave it out').optional(),
  /** A 公示 whose start is already past: move it to today (顺延), or for a wholly past period say why it is published as it is. */
  lateStart: lateStartDecision.optional(),
});
export type ApproveNoticeRequest = z.input<typeof approveNoticeRequest>;

export const rejectNoticeRequest = z.strictObject({ reason: reason('rejecting') });
/** `POST /api/notices/:id/confirm`: a second reviewer confirms a warning one reviewer published alone (确认快速签发). */
export const confirmFastPathRequest = z.strictObject({
  versionId: id,
  opinion: z.string().trim().min(2, 'give your opinion (请填写确认意见)').max(1000),
});

export const withdrawNoticeRequest = z.strictObject({ reason: reason('withdrawing') });

export const listNoticesQuery = z.strictObject({
  state: z.enum(NOTICE_STATES).optional(),
  category: z.enum(CATEGORY_CODES).optional(),
  villageId: id.optional(),
  from: civilDate.optional(),
  to: civilDate.optional(),
  q: z.string().trim().max(100).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export type ListNoticesQuery = z.input<typeof listNoticesQuery>;

/** `PUT /api/settings/holidays`: days off and 调休 working days the built-in calendar does not have yet. */
export const holidayOverridesRequest = z.strictObject({
  holidays: z.array(civilDate).max(400).default([]),
  workdays: z.array(civilDate).max(400).default([]),
});

/** Body of actions that carry nothing. */
export const noticeActionRequest = z.strictObject({});

const deviceName = z.string().trim().min(1, 'enter a device name').max(60, 'at most 60 characters');
const deviceLocation = z.string().trim().max(100, 'at most 100 characters');

const minuteOfDay = z.number().int('whole minutes').min(0, 'from 0 (00:00)').max(1440, 'up to 1440 (24:00)');
export const onHours = z.strictObject({
  utcOffsetMinutes: z.number().int().min(-720).max(840),
  weekly: z
    .array(
      z
        .array(z.tuple([minuteOfDay, minuteOfDay]).refine(([from, to]) => from < to, 'each period must end after it starts'))
        .max(6, 'at most 6 periods a day'),
    )
    .length(7, 'give the hours for each of the 7 weekdays, Monday first'),
});

export const createDeviceRequest = z.strictObject({
  name: deviceName,
  villageId: id,
  kind: z.literal('kiosk'),
  location: deviceLocation.default(''),
});
/** What the admin app sends (location may be left out). */
export type CreateDeviceRequest = z.input<typeof createDeviceRequest>;
export type CreateDevice = z.output<typeof createDeviceRequest>;

/** `POST /api/devices/pair`: staff type the code a new kiosk shows. */
export const pairDeviceRequest = z.strictObject({
  code: z
    .string()
    .trim()
    .regex(/^\d{6}$/, 'the pairing code is the 6 digits the kiosk or village node shows'),
  name: deviceName,
  villageId: id,
  location: deviceLocation.default(''),
  /** What shows the code: a kiosk, or a village node (村级节点) that drives the signs attached to it. */
  kind: z.enum(['kiosk', 'node'], 'must be kiosk or node').default('kiosk'),
});
export type PairDeviceRequest = z.input<typeof pairDeviceRequest>;
export type PairDevice = z.output<typeof pairDeviceRequest>;

/** `PATCH /api/devices/:id` */
export const updateDeviceRequest = z
  .strictObject({
    name: deviceName.optional(),
    villageId: id.optional(),
    location: deviceLocation.optional(),
    onHours: onHours.nullable().optional(),
  })
  .refine((r) => Object.keys(r).length > 0, 'change at least one of name, villageId, location, onHours');
export type UpdateDeviceRequest = z.infer<typeof updateDeviceRequest>;

export const revokeDeviceRequest = z.strictObject({
  reason: z.string().trim().min(1, 'say why the device is revoked (lost, replaced, …)').max(200),
});

/** `PUT /api/settings/devices` */
export const deviceSettingsRequest = z
  .strictObject({
    offlineAlertMinutes: z
      .number()
      .int('whole minutes')
      .min(5, 'at least 5 minutes')
      .max(7 * 24 * 60, 'at most a week'),
    outageGraceSeconds: z.number().int('whole seconds').min(0, 'at least 0 seconds').max(600, 'at most 10 minutes').optional(),
    rotationBoundsSec: z.strictObject({
      min: z.number().int().min(5, 'at least 5 seconds').max(120),
      max: z.number().int().min(5).max(300, 'at most 300 seconds'),
    }),
  })
  .refine((r) => r.rotationBoundsSec.min <= r.rotationBoundsSec.max, {
    message: 'the shortest time must not exceed the longest',
    path: ['rotationBoundsSec', 'min'],
  });

const takeoverTimes = z.strictObject({
  fullScreenMin: z
    .number()
    .int('whole minutes')
    .min(1, 'at least 1 minute')
    .max(24 * 60, 'at most a day (1440 minutes)'),
  againAfterMin: z
    .number()
    .int('whole minutes')
    .min(1, 'at least 1 minute')
    .max(24 * 60, 'at most a day (1440 minutes)'),
});

/** `PUT /api/settings/emergency`: how long a warning holds a kiosk's whole screen, by level. */
export const emergencySettingsRequest = z
  .strictObject({
    emergencyTakeover: z.strictObject({ red: takeoverTimes, orange: takeoverTimes, yellow: takeoverTimes, blue: takeoverTimes }).optional(),
    /** The longest a warning one reviewer approves alone may run (TownSettings.fastPathMaxHours). */
    fastPathMaxHours: z
      .number()
      .int('whole hours (整小时)')
      .min(1, 'at least 1 hour (至少 1 小时)')
      .max(FAST_PATH_MAX_HOURS_LIMIT, `at most ${FAST_PATH_MAX_HOURS_LIMIT} hours, a week (最长 ${FAST_PATH_MAX_HOURS_LIMIT} 小时)`)
      .optional(),
  })
  .refine(
    (r) => r.emergencyTakeover !== undefined || r.fastPathMaxHours !== undefined,
    'change emergencyTakeover, fastPathMaxHours or both',
  );
export type EmergencySettingsRequest = z.infer<typeof emergencySettingsRequest>;

/** `POST /api/pairing/claim` */
export const pairingClaimRequest = z.strictObject({
  claim: z.string().regex(/^[A-Za-z0-9_-]{22,64}$/, 'must be the claim the controller gave with the code'),
});

/** What a kiosk says of its warning chime in its heartbeat. */
export const SOUND_STATES = ['ok', 'blocked', 'none'] as const;
export type SoundState = (typeof SOUND_STATES)[number];

/** `device:heartbeat`: a kiosk says how it is, every half minute. */
export const heartbeat = z.strictObject({
  build: z.string().max(64),
  clock: epochMs,
  showing: z.strictObject({ noticeId: id, contentHash: sha256Hex }).nullable(),
  queued: z.number().int().min(0).max(10_000_000),
  quarantined: z.number().int().min(0).max(10_000_000).default(0),
  /**
   * Whether the kiosk can sound the warning chime: `ok`, `blocked` (the browser's autoplay policy holds
   * audio back until someone touches the screen) or `none` (no Web Audio). Absent from kiosks built before it.
   */
  sound: z.enum(SOUND_STATES).optional(),
});
export type Heartbeat = z.infer<typeof heartbeat>;

export const listRecordsQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  beforeSeq: z.coerce.number().int().min(1).optional(),
});
export type ListRecordsQuery = z.infer<typeof listRecordsQuery>;

/** What a kiosk presents when it connects to `/kiosk`. */
export const kioskAuth = z.strictObject({
  deviceId: id,
  token: z.string().min(1).max(200).optional(),
  build: z.string().max(64).optional(),
});
export type KioskAuth = z.infer<typeof kioskAuth>;

/**
 * What every kiosk receipt carries: an id the controller deduplicates by, the
 * device's own sequence number (1, 2, … with no gaps, so a lost receipt shows
 * as a gap), whether the device trusted its clock when it wrote it, and how
 * far off the controller's its clock was then (device minus controller, as
 * its last heartbeat measured; absent when not measured yet). The controller
 * corrects the receipt's times by it (reports/projection/receiptTime.ts).
 */
const receiptBase = {
  receiptId: z.uuid('must be a UUID'),
  seq: z.number().int('must be a whole number').min(1, 'sequence numbers start at 1').max(Number.MAX_SAFE_INTEGER).optional(),
  clockTrusted: z.boolean(),
  clockOffsetMs: z
    .number()
    .int('must be a whole number of milliseconds')
    .min(-1e13, 'must be within ±1e13 ms')
    .max(1e13, 'must be within ±1e13 ms')
    .optional(),
};

/** The device showed a notice version from `startedAt` to `endedAt`. */
export const displayReceipt = z
  .strictObject({
    kind: z.literal('display'),
    ...receiptBase,
    noticeId: id,
    contentHash: sha256Hex,
    startedAt: epochMs,
    endedAt: epochMs,
  })
  .refine((r) => r.startedAt <= r.endedAt, { message: 'must not be before startedAt', path: ['endedAt'] });
export type DisplayReceipt = z.infer<typeof displayReceipt>;

/** Most showings an interval may hold: one every second of its span and more would be no rotation. */
export const INTERVAL_SHOWINGS_MAX = 100_000;
/** An interval's showings start within one period (protocol/showings.ts); the last may run on past it. */
export const INTERVAL_SPAN_MAX_MS = 2 * SHOWING_INTERVAL_MS;

/**
 * The device showed a notice version `showings` times, `shownMs` on screen in all, from the first showing's
 * `startedAt` to the last one's `endedAt`, all starting in one period of controller time (protocol/showings.ts).
 */
export const showingsReceipt = z
  .strictObject({
    kind: z.literal('showings'),
    ...receiptBase,
    noticeId: id,
    contentHash: sha256Hex,
    startedAt: epochMs,
    endedAt: epochMs,
    showings: z
      .number()
      .int('must be a whole number')
      .min(1, 'an interval holds at least one showing')
      .max(INTERVAL_SHOWINGS_MAX, `an interval holds at most ${INTERVAL_SHOWINGS_MAX} showings`),
    shownMs: z.number().int('must be a whole number of milliseconds').min(0, 'must not be negative'),
  })
  .refine((r) => r.startedAt <= r.endedAt, { message: 'must not be before startedAt', path: ['endedAt'] })
  .refine((r) => r.endedAt - r.startedAt <= INTERVAL_SPAN_MAX_MS, {
    message: `an interval spans at most ${INTERVAL_SPAN_MAX_MS / 3_600_000} hours (its showings start within ${SHOWING_INTERVAL_MS / 3_600_000})`,
    path: ['endedAt'],
  })
  .refine((r) => r.shownMs <= r.endedAt - r.startedAt, {
    message: 'must not exceed the time from startedAt to endedAt',
    path: ['shownMs'],
  });
export type ShowingsReceipt = z.infer<typeof showingsReceipt>;

/** A villager opened, listened to, scanned or rated a notice. */
export const interactionReceipt = z
  .strictObject({
    kind: z.literal('interaction'),
    ...receiptBase,
    action: z.enum(INTERACTION_ACTIONS, `must be one of ${INTERACTION_ACTIONS.join(', ')}`),
    noticeId: id,
    contentHash: sha256Hex,
    at: epochMs,
    rating: z.number().int().min(1, 'ratings run from 1 to 5').max(5, 'ratings run from 1 to 5').optional(),
    comment: plainText(RATING_COMMENT_MAX, 'the comment').optional(),
  })
  .refine((r) => (r.action === 'rated') === (r.rating !== undefined), {
    message: 'a rating goes with the action "rated" and only with it',
    path: ['rating'],
  })
  .refine((r) => r.comment === undefined || r.action === 'rated', { message: 'a comment goes only with a rating', path: ['comment'] });
export type InteractionReceipt = z.infer<typeof interactionReceipt>;

/** The kiosk put an emergency warning on screen. */
export const emergencyAckReceipt = z.strictObject({
  kind: z.literal('emergency_ack'),
  ...receiptBase,
  noticeId: id,
  contentHash: sha256Hex,
  at: epochMs,
});
export type EmergencyAckReceipt = z.infer<typeof emergencyAckReceipt>;

export const kioskReceipt = z.discriminatedUnion('kind', [displayReceipt, showingsReceipt, interactionReceipt, emergencyAckReceipt]);
export type KioskReceipt = z.infer<typeof kioskReceipt>;
export type KioskReceiptKind = KioskReceipt['kind'];

export const displayReport = z.strictObject({
  receipts: z.array(kioskReceipt).min(1, 'send at least one receipt').max(500, 'send at most 500 receipts at once'),
});
export type DisplayReport = z.infer<typeof displayReport>;

export const emptyRequest = z.strictObject({});

/**
 * Turns a zod error into a refusal that names every failing field.
 *
 * @example
 * const parsed = loginRequest.safeParse(body);
 * if (!parsed.success) return invalidPayload(parsed.error);
 */
export function invalidPayload(error: z.ZodError): Failure {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const path = issue.path.map(String).join('.') || '(payload)';
    fields[path] ??= issue.message;
  }
  const message = Object.entries(fields)
    .map(([path, msg]) => `${path}: ${msg}`)
    .join('; ');
  return fail('invalid_payload', message, fields);
}
