/**
 * Canonical JSON: object keys sorted, no whitespace, `undefined` members
 * dropped. Two equal values always encode to the same bytes, so their hashes
 * can be compared across machines and years.
 */
import { hash } from 'node:crypto';

export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const member = (value as Record<string, unknown>)[key];
      if (member !== undefined) out[key] = sortKeys(member);
    }
    return out;
  }
  return value;
}

/** SHA-256 hex of the UTF-8 text (the one-shot `crypto.hash`: about half the cost of `createHash` for short inputs). */
export function sha256Hex(text: string): string {
  return hash('sha256', text, 'hex');
}
