/** Error codes a client may see. Internal details never cross the wire. */
export const ERROR_CODES = [
  'invalid_payload',
  'unauthorized',
  'forbidden',
  'not_found',
  'conflict',
  'invalid_transition',
  'privacy_blocked',
  'payload_too_large',
  /** The request body did not arrive in time (a stalled or trickling upload): send it again. */
  'request_timeout',
  'rate_limited',
  'unavailable',
  /** The controller's data disk is full (ENOSPC/EDQUOT): nothing was saved; free space and retry. */
  'disk_full',
  'internal',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** Answer to every client→server socket event and the body of every JSON API response. */
export type Ack<T> = { ok: true; data: T } | Failure;

/**
 * A refused request. `message` says what to do; `fields` maps a payload path
 * (e.g. `target.villageIds`) to what is wrong with it, for forms that show
 * errors next to the field.
 */
export interface Failure {
  ok: false;
  error: ErrorCode;
  message: string;
  fields?: Record<string, string>;
}

export type AckCallback<T> = (ack: Ack<T>) => void;

export function ok<T>(data: T): Ack<T> {
  return { ok: true, data };
}

export function fail(error: ErrorCode, message: string, fields?: Record<string, string>): Failure {
  return fields ? { ok: false, error, message, fields } : { ok: false, error, message };
}
