/**
 * A strict JSON syntax check (RFC 8259) over the bytes of one ledger line
 * that also finds where its top-level `seq`, `prevHash` and `hash` members
 * are, without building the record: verify's fast path. `JSON.parse` of the
 * decoded line cost more than hashing it, and its objects more again in
 * garbage collection.
 *
 * It accepts nothing `JSON.parse` rejects. It answers "ask JSON.parse"
 * (false) for anything unusual among those three members: one missing or
 * given twice, a key or string value with an escape, a value of another
 * type. The caller then takes the slow path, which parses the line.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;
/** Nesting deeper than this is left to JSON.parse. */
const MAX_DEPTH = 256;

const SEQ = Buffer.from('"seq"');
const PREV_HASH = Buffer.from('"prevHash"');
const HASH = Buffer.from('"hash"');
const TRUE = Buffer.from('true');
const FALSE = Buffer.from('false');
const NULL = Buffer.from('null');

/** Byte offsets in the scanned buffer; each range is [start, end). */
export interface LineMembers {
  /** The `seq` value: a non-negative integer without sign, fraction or exponent. */
  seq: number;
  /** The `prevHash` string, without its quotes. */
  prevHashStart: number;
  prevHashEnd: number;
  /** The whole `"hash":"…"` member, and the string inside its quotes. */
  hashMemberStart: number;
  hashMemberEnd: number;
  hashStart: number;
  hashEnd: number;
}

export interface LineScanner {
  /** Fills `members` and answers true if the bytes are one JSON object whose three members are plain; false: ask JSON.parse. */
  scan(buffer: Buffer, start: number, end: number): boolean;
  readonly members: LineMembers;
}

export function createLineScanner(): LineScanner {
  const members: LineMembers = { seq: 0, prevHashStart: 0, prevHashEnd: 0, hashMemberStart: 0, hashMemberEnd: 0, hashStart: 0, hashEnd: 0 };
  let b: Buffer = Buffer.alloc(0);
  let p = 0;
  let end = 0;
  /** Whether the last string scanned held an escape. */
  let escaped = false;
  let found = 0;

  const space = (): void => {
    while (p < end) {
      const c = b[p];
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return;
      p++;
    }
  };

  const string = (): boolean => {
    p++; // the opening quote
    escaped = false;
    while (p < end) {
      const c = b[p] ?? 0;
      if (c === QUOTE) {
        p++;
        return true;
      }
      if (c < 0x20) return false;
      if (c === BACKSLASH) {
        escaped = true;
        const next = b[p + 1];
        if (next === 0x75) {
          for (let i = p + 2; i < p + 6; i++) if (i >= end || !isHex(b[i] ?? 0)) return false;
          p += 6;
        } else if (
          next === QUOTE ||
          next === BACKSLASH ||
          next === 0x2f ||
          next === 0x62 ||
          next === 0x66 ||
          next === 0x6e ||
          next === 0x72 ||
          next === 0x74
        ) {
          p += 2;
        } else return false;
      } else p++;
    }
    return false;
  };

  const digits = (): boolean => {
    const from = p;
    while (p < end && (b[p] ?? 0) >= ZERO && (b[p] ?? 0) <= NINE) p++;
    return p > from;
  };

  const number = (): boolean => {
    if (b[p] === MINUS) p++;
    if (b[p] === ZERO) p++;
    else if (!digits()) return false;
    if (b[p] === DOT) {
      p++;
      if (!digits()) return false;
    }
    if (b[p] === 0x65 || b[p] === 0x45) {
      p++;
      if (b[p] === PLUS || b[p] === MINUS) p++;
      if (!digits()) return false;
    }
    return true;
  };

  const literal = (word: Buffer): boolean => {
    if (p + word.length > end || !sameBytes(b, p, word)) return false;
    p += word.length;
    return true;
  };

  const value = (depth: number): boolean => {
    if (depth > MAX_DEPTH || p >= end) return false;
    const c = b[p] ?? 0;
    if (c === QUOTE) return string();
    if (c === OPEN_OBJECT) return object(depth, false);
    if (c === OPEN_ARRAY) return array(depth);
    if (c === 0x74) return literal(TRUE);
    if (c === 0x66) return literal(FALSE);
    if (c === 0x6e) return literal(NULL);
    if (c === MINUS || (c >= ZERO && c <= NINE)) return number();
    return false;
  };

  const array = (depth: number): boolean => {
    p++;
    space();
    if (b[p] === CLOSE_ARRAY) {
      p++;
      return true;
    }
    for (;;) {
      space();
      if (!value(depth + 1)) return false;
      space();
      if (b[p] === COMMA) p++;
      else if (b[p] === CLOSE_ARRAY) {
        p++;
        return true;
      } else return false;
    }
  };

  const keyIs = (keyStart: number, keyEnd: number, key: Buffer): boolean => keyEnd - keyStart === key.length && sameBytes(b, keyStart, key);

  /** A top-level member of interest: notes where it is; false if it is not plain (or given twice). */
  const noteMember = (keyStart: number, keyEnd: number, valueStart: number, valueEnd: number, valueEscaped: boolean): boolean => {
    if (keyIs(keyStart, keyEnd, SEQ)) {
      if (found & 1) return false;
      found |= 1;
      let seq = 0;
      for (let i = valueStart; i < valueEnd; i++) {
        const c = b[i] ?? 0;
        if (c < ZERO || c > NINE) return false;
        seq = seq * 10 + (c - ZERO);
      }
      members.seq = seq;
      return Number.isSafeInteger(seq);
    }
    const isString = b[valueStart] === QUOTE && !valueEscaped;
    if (keyIs(keyStart, keyEnd, PREV_HASH)) {
      if (found & 2 || !isString) return false;
      found |= 2;
      members.prevHashStart = valueStart + 1;
      members.prevHashEnd = valueEnd - 1;
      return true;
    }
    if (keyIs(keyStart, keyEnd, HASH)) {
      if (found & 4 || !isString) return false;
      found |= 4;
      members.hashMemberStart = keyStart;
      members.hashMemberEnd = valueEnd;
      members.hashStart = valueStart + 1;
      members.hashEnd = valueEnd - 1;
    }
    return true;
  };

  const object = (depth: number, top: boolean): boolean => {
    p++;
    space();
    if (b[p] === CLOSE_OBJECT) {
      p++;
      return true;
    }
    for (;;) {
      space();
      if (b[p] !== QUOTE) return false;
      const keyStart = p;
      if (!string()) return false;
      const keyEscaped = escaped;
      const keyEnd = p;
      space();
      if (b[p] !== COLON) return false;
      p++;
      space();
      const valueStart = p;
      if (!value(depth + 1)) return false;
      // An escaped top-level key might spell one of the three: JSON.parse decides what it means.
      if (top && (keyEscaped || !noteMember(keyStart, keyEnd, valueStart, p, escaped))) return false;
      space();
      if (b[p] === COMMA) p++;
      else if (b[p] === CLOSE_OBJECT) {
        p++;
        return true;
      } else return false;
    }
  };

  return {
    members,
    scan(buffer, start, stop) {
      b = buffer;
      p = start;
      end = stop;
      found = 0;
      space();
      if (b[p] !== OPEN_OBJECT || !object(0, true)) return false;
      space();
      return p === end && found === 7;
    },
  };
}

/** Whether `word` is at `at` in `buffer` (a loop: for a few bytes, Buffer#compare's call costs more than it saves). */
function sameBytes(buffer: Buffer, at: number, word: Buffer): boolean {
  for (let i = 0; i < word.length; i++) if (buffer[at + i] !== word[i]) return false;
  return true;
}

function isHex(c: number): boolean {
  return (c >= ZERO && c <= NINE) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);
}
