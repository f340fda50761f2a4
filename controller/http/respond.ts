/** Every JSON answer is an {@link Ack}; these helpers keep routes to validate → act → answer. */
import type { Request, Response } from 'express';
import type { z } from 'zod';
import { type Ack, type ErrorCode, type Failure, type StaffUser, invalidPayload } from '../protocol/index.js';
import { type VillageScope, scopeOf } from '../domain/villageScope.js';

export const STATUS: Record<ErrorCode, number> = {
  invalid_payload: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  invalid_transition: 409,
  privacy_blocked: 422,
  payload_too_large: 413,
  request_timeout: 408,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
  disk_full: 507,
};

export function send<T>(res: Response, ack: Ack<T>, successStatus = 200): void {
  res.status(ack.ok ? successStatus : STATUS[ack.error]).json(ack);
}

/** Parses `value` with `schema`, or answers 400 naming every failing field and returns undefined. */
export function parse<S extends z.ZodType>(schema: S, value: unknown, res: Response): z.output<S> | undefined {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const failure: Failure = invalidPayload(result.error);
  res.status(400).json(failure);
  return undefined;
}

/** The signed-in staff user, set by the route table's guard (routes.ts) on every route whose access is not `public`. */
export function currentUser(res: Response): StaffUser {
  const user = res.locals.user as StaffUser | undefined;
  if (!user) throw new Error('a public route asked for the signed-in user');
  return user;
}

/** The signed-in user's village scope (domain/villageScope.ts): their villages, or null when town-wide. */
export function userScope(res: Response): VillageScope {
  return scopeOf(currentUser(res));
}

export function param(req: Request, name: string): string {
  const value = req.params[name];
  return typeof value === 'string' ? value : '';
}
