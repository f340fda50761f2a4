/**
 * Text that can be stored and shown: every string a client sends must be
 * well-formed UTF-16. A lone surrogate (half of a pair, e.g. JSON `"\ud800"`)
 * is no character at all: it cannot be written as UTF-8, so the ledger's
 * canonical JSON, the DOCX and the public page would each turn it into
 * something else, and the record would no longer say what was sent.
 */
import { type Failure, fail } from './ack.js';

/** True when `text` holds a high surrogate without its low half, or a low one without its high half. */
export function hasLoneSurrogate(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0xd800 || unit > 0xdfff) continue;
    if (unit <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
    }
    return true;
  }
  return false;
}

/** How deep {@link loneSurrogatePaths} looks: payloads are shallow, and a deeper one is refused by its schema anyway. */
const MAX_DEPTH = 32;

/**
 * The paths (`title`, `content.body`, `receipts.3.comment`; `(payload)` for the value itself) of every string,
 * and every object key, in `value` that holds a lone surrogate.
 */
export function loneSurrogatePaths(value: unknown): string[] {
  const found: string[] = [];
  // The path as a chain to the root, joined only for a finding: a batch of thousands of records is walked without
  // building a path for each of its strings.
  interface Step {
    up: Step | null;
    key: string;
  }
  const pathOf = (at: Step | null, last?: string): string => {
    const keys: string[] = last === undefined ? [] : [last];
    for (let s = at; s !== null; s = s.up) keys.push(s.key);
    return keys.reverse().join('.') || '(payload)';
  };
  const visit = (v: unknown, at: Step | null, depth: number): void => {
    if (typeof v === 'string') {
      if (hasLoneSurrogate(v)) found.push(pathOf(at));
      return;
    }
    if (typeof v !== 'object' || v === null || depth > MAX_DEPTH) return;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) visit(v[i], { up: at, key: String(i) }, depth + 1);
      return;
    }
    for (const key in v) {
      if (!Object.hasOwn(v, key)) continue;
      if (hasLoneSurrogate(key)) found.push(pathOf(at, '(key)'));
      else {
        const item = (v as Record<string, unknown>)[key];
        // A plain value needs no step of its own unless it is a string with a lone surrogate.
        if (typeof item === 'string') {
          if (hasLoneSurrogate(item)) found.push(pathOf(at, key));
        } else if (typeof item === 'object' && item !== null) visit(item, { up: at, key }, depth + 1);
      }
    }
  };
  visit(value, null, 0);
  return found;
}

/** The field's message (the admin shows it in Chinese, admin/i18n/zh.ts `fieldMessages`). */
export const LONE_SURROGATE_MESSAGE = 'contains a broken character (a lone UTF-16 surrogate); retype it';

/** A refusal naming every field with a lone surrogate, or null when the payload's text is all well-formed. */
export function loneSurrogateRefusal(value: unknown): Failure | null {
  const paths = loneSurrogatePaths(value);
  if (paths.length === 0) return null;
  const fields = Object.fromEntries(paths.map((p) => [p, LONE_SURROGATE_MESSAGE]));
  return fail('invalid_payload', `${paths.map((p) => `${p}: ${LONE_SURROGATE_MESSAGE}`).join('; ')} (含有无效字符，请重新输入)`, fields);
}
