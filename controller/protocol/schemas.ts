/**
 * zod schemas for every payload a client sends to the controller, over HTTP or
 * socket.io. The controller parses with these at the edge; the apps may use
 * them to check a form before sending it.
 */
import { z } from 'zod';
import { type Failure, fail } from './ack.js';
import { isCivilDate } from './calendar.js';
import { NOTICE_STATES } from './model.js';
import { CATEGORY_CODES, EMERGENCY_LEVELS, KEY_AREAS, RETENTION_CLASSES } from './taxonomy.js';

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
});
export type ApproveNoticeRequest = z.input<typeof approveNoticeRequest>;

export const rejectNoticeRequest = z.strictObject({ reason: reason('rejecting') });
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

export const createDeviceRequest = z.strictObject({
  name: z.string().trim().min(1, 'enter a device name').max(60),
  villageId: id,
  kind: z.literal('kiosk'),
});
export type CreateDeviceRequest = z.infer<typeof createDeviceRequest>;

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

export const displayReceipt = z
  .strictObject({
    receiptId: z.uuid('must be a UUID'),
    noticeId: id,
    contentHash: sha256Hex,
    startedAt: epochMs,
    endedAt: epochMs,
    clockTrusted: z.boolean(),
  })
  .refine((r) => r.startedAt <= r.endedAt, { message: 'must not be before startedAt', path: ['endedAt'] });
export type DisplayReceipt = z.infer<typeof displayReceipt>;

export const displayReport = z.strictObject({
  receipts: z.array(displayReceipt).min(1, 'send at least one receipt').max(500, 'send at most 500 receipts at once'),
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
