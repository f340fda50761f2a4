/**
 * A ledger record and its encoding. Each record is written as one line: the
 * canonical JSON (keys sorted, no whitespace) of `{...entry, seq, ts,
 * prevHash, hash}`, where `hash` = SHA-256 of `prevHash + "\n" + the same
 * canonical JSON without the `hash` member`. The line as written is therefore
 * the hashed text plus the `"hash":"…"` member, which is what lets
 * `verify.ts` check a line's bytes without re-encoding it.
 *
 * Encoding is the append path's main cost, so records of one shape (the same
 * keys, as every display receipt has) reuse the sorted member list computed
 * for the first: each record is then one string per member and one hash.
 */
import { hash as oneShotHash } from 'node:crypto';
import { canonicalJson } from '../domain/canonical.js';
import type { StoredLedgerRecord } from '../protocol/ledgerRecords.js';

export const GENESIS_HASH = '0'.repeat(64);

export type { LedgerEntry } from '../protocol/ledgerRecords.js';

/** What the encoder and the chain see of an entry: its type and its fields, whatever they are. */
export interface AnyEntry {
  readonly type: string;
  readonly [field: string]: unknown;
}

/** A record as stored, before its own hash is added: an entry of any type (old ledgers hold types this build may not declare). */
export interface UnhashedRecord {
  type: string;
  seq: number;
  ts: number;
  prevHash: string;
  [field: string]: unknown;
}

/** A record as read back; `isLedgerRecord` (controller/protocol) narrows it to a declared type. */
export type LedgerRecord = StoredLedgerRecord;

/** SHA-256 hex of `prevHash + "\n" + text`, the chain's one hashing rule. */
export function chainHash(prevHash: string, text: string): string {
  return oneShotHash('sha256', `${prevHash}\n${text}`, 'hex');
}

/** The record's hash by the definition: canonical JSON of everything but `hash`, after the previous hash. */
export function hashRecord(record: UnhashedRecord): string {
  return chainHash(record.prevHash, canonicalJson(record));
}

/** Where a member's value comes from: the entry, or one of the fields the ledger sets. */
type Source = 'entry' | 'seq' | 'ts' | 'prevHash';

interface Member {
  key: string;
  /** `"key":`, encoded once per shape. */
  prefix: string;
  source: Source;
}

/** The members of one shape of entry, in canonical order, split around where `hash` goes. */
interface Shape {
  keys: readonly string[];
  before: readonly Member[];
  after: readonly Member[];
}

const LEDGER_FIELDS: ReadonlyMap<string, Source> = new Map([
  ['seq', 'seq'],
  ['ts', 'ts'],
  ['prevHash', 'prevHash'],
]);
const ARRAY_INDEX = /^(?:0|[1-9]\d*)$/;
/** Shapes remembered; a controller writes a few dozen record types. */
const SHAPE_CACHE = 64;

/**
 * Keys the member-wise encoding cannot reproduce exactly: an entry's own `hash`
 * (hashed with the record, then replaced in the line), array-index keys (which
 * objects enumerate first, in numeric order) and `__proto__` (which an object
 * literal does not keep as a member). Those records take the plain path.
 */
function plainOnly(key: string): boolean {
  return key === 'hash' || key === '__proto__' || ARRAY_INDEX.test(key);
}

function shapeOf(keys: readonly string[]): Shape | null {
  if (keys.some(plainOnly)) return null;
  const sorted = [...new Set([...keys, 'seq', 'ts', 'prevHash'])].sort();
  const members = sorted.map((key) => ({ key, prefix: `${JSON.stringify(key)}:`, source: LEDGER_FIELDS.get(key) ?? 'entry' }));
  return { keys, before: members.filter((m) => m.key < 'hash'), after: members.filter((m) => m.key > 'hash') };
}

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Whether JSON writes the string as it is between quotes: no `"`, `\\`, controls or surrogates (escaped when unpaired). */
function plainJsonString(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0xd800 && c <= 0xdfff)) return false;
  }
  return true;
}

/**
 * A member's value exactly as `canonicalJson` of the whole record would write
 * it (undefined: the member is left out). Plain strings, numbers and booleans
 * are written directly: a `JSON.stringify` call per member was the encoder's
 * largest cost.
 */
function encodeValue(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return plainJsonString(value) ? `"${value}"` : JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? `${value}` : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      return value === null ? 'null' : canonicalJson(value);
    default: {
      // undefined, a function or a symbol: no member (JSON.stringify's typing says string; it returns undefined).
      const encoded: string | undefined = JSON.stringify(value);
      return encoded;
    }
  }
}

export interface RecordEncoder {
  /**
   * The line (without its newline) and hash of `{...entry, seq, ts, prevHash}`;
   * equal to `hashRecord` and `canonicalJson` of the whole record (a property
   * test checks), at a fraction of the cost.
   */
  encode(entry: AnyEntry, seq: number, ts: number, prevHash: string): { hash: string; line: string };
}

export function createRecordEncoder(): RecordEncoder {
  const shapes: Shape[] = [];

  function shapeFor(keys: readonly string[]): Shape | null {
    for (const shape of shapes) if (sameKeys(shape.keys, keys)) return shape;
    const shape = shapeOf(keys);
    if (shape) {
      if (shapes.length >= SHAPE_CACHE) shapes.pop();
      shapes.unshift(shape);
    }
    return shape;
  }

  function members(list: readonly Member[], entry: AnyEntry, seq: number, ts: number, prevHash: string): string {
    let out = '';
    for (const m of list) {
      const value = m.source === 'entry' ? entry[m.key] : m.source === 'seq' ? seq : m.source === 'ts' ? ts : prevHash;
      const encoded = encodeValue(value);
      if (encoded === undefined) continue;
      out = out === '' ? m.prefix + encoded : `${out},${m.prefix}${encoded}`;
    }
    return out;
  }

  return {
    encode(entry, seq, ts, prevHash) {
      const shape = shapeFor(Object.keys(entry));
      if (!shape) {
        const base: UnhashedRecord = { ...entry, seq, ts, prevHash };
        const hash = hashRecord(base);
        return { hash, line: canonicalJson({ ...base, hash }) };
      }
      const before = members(shape.before, entry, seq, ts, prevHash);
      const after = members(shape.after, entry, seq, ts, prevHash);
      const body = before === '' || after === '' ? `{${before}${after}}` : `{${before},${after}}`;
      const hash = chainHash(prevHash, body);
      const member = `"hash":"${hash}"`;
      return { hash, line: `{${before === '' ? '' : `${before},`}${member}${after === '' ? '' : `,${after}`}}` };
    },
  };
}

/**
 * The record's hash and line, for one record: `createRecordEncoder` is the
 * same with the shape remembered across records.
 */
export function encodeRecord(base: UnhashedRecord): { hash: string; line: string } {
  return createRecordEncoder().encode(base, base.seq, base.ts, base.prevHash);
}
