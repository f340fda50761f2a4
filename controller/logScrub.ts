/**
 * Belt and braces for the logs: the controller does not log secrets or
 * personal numbers in the first place, and this removes the known shapes if
 * one slips through anyway (a field named `password`, a cookie header, a
 * `token=` in a URL, an unmasked ID or bank card number in a message).
 */
import { maskPii, scanPii } from './protocol/privacy.js';

/** Field names whose values are never logged, whatever they hold. */
const SECRET_KEY = /pass(word)?|secret|token|cookie|session|authori[sz]ation|claim|credential/i;
/** `name=value` pairs in text (URLs, cookie headers) whose value is a secret. */
const SECRET_PAIR = /\b(token|gongshi_session|session|password|claim)=([^&;\s"']+)/gi;
/** Cheap gate before the full scan: IDs and card numbers are runs of 15+ (possibly full-width) digits. */
const LONG_NUMBER = /[0-9０-９]{15}/;
const MASKED_KINDS = new Set(['id_card', 'id_card_legacy', 'bank_card']);

export const REDACTED = '[redacted]';

export function scrubText(text: string): string {
  let out = text.replace(SECRET_PAIR, (_m, name: string) => `${name}=${REDACTED}`);
  if (LONG_NUMBER.test(out)) {
    const hits = scanPii(out).filter((h) => MASKED_KINDS.has(h.kind));
    if (hits.length > 0) out = maskPii(out, hits);
  }
  return out;
}

/** A scrubbed copy of log fields: secret-named keys redacted, strings and errors scrubbed, depth bounded. */
export function scrubFields(fields: Record<string, unknown>): Record<string, unknown> {
  return scrubValue(fields, 0) as Record<string, unknown>;
}

const MAX_DEPTH = 8;

function scrubValue(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return scrubText(value);
  if (typeof value !== 'object' || value === null) return value;
  if (depth >= MAX_DEPTH) return '[too deep]';
  if (value instanceof Error) {
    const copy = new Error(scrubText(value.message));
    copy.name = value.name;
    copy.stack = value.stack === undefined ? undefined : scrubText(value.stack);
    return copy;
  }
  if (Array.isArray(value)) return value.map((v: unknown) => scrubValue(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) out[key] = SECRET_KEY.test(key) ? REDACTED : scrubValue(v, depth + 1);
  return out;
}
