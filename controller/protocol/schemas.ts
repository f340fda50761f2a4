/**
 * zod schemas for every payload a client sends to the controller, over HTTP or
 * socket.io. The controller parses with these at the edge; the apps may use
 * them to check a form before sending it.
 */
import { z } from 'zod';
import { type Failure, fail } from './ack.js';

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

export const createNoticeRequest = z
  .strictObject({
    title: z.string().trim().min(1, 'enter a title').max(120, 'titles are at most 120 characters'),
    body: z.string().trim().min(1, 'enter the text of the notice').max(20_000, 'the text is at most 20,000 characters'),
    target: noticeTarget,
    startsAt: epochMs.nullable().default(null),
    endsAt: epochMs.nullable().default(null),
  })
  .refine((n) => n.startsAt === null || n.endsAt === null || n.startsAt < n.endsAt, {
    message: 'the end must come after the start',
    path: ['endsAt'],
  });
export type CreateNoticeRequest = z.input<typeof createNoticeRequest>;

/** Body of `POST /api/notices/:id/submit` and `/approve`: nothing yet; later issues add the attestation. */
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
