/**
 * The EQ2013-F / EQ2023 font protocol (上海诣阔, led-protocols.md §1.2):
 *
 *     !# + 3-digit address (999 = broadcast) + inline %-codes and GB text + $$
 *
 * No checksum, no escaping, no answer. GB bytes are ≥ 0x81 and GBK trail bytes
 * ≥ 0x40, so `!`, `#`, `$` and `%` only ever occur as ASCII. User text must not
 * contain `%` or `$` (the driver writes them full-width, ％ and ＄).
 */
import { decodeGb, encodeGb } from '../gb.js';

export const EQ_BROADCAST_ADDRESS = 999;

/** Inline codes and the number of decimal digits each takes. `''` is EQ2023's colour (`%1`…`%3`). */
export const EQ_CODES = {
  C: 1, // colour 1 red, 2 green, 3 yellow (EQ2013)
  F: 2, // font size 16/24/32
  AH: 1, // horizontal alignment 1–3
  AV: 1, // vertical alignment 1–3
  ZI: 2, // select area
  ZC: 16, // create area: x, y, w, h as 4 digits each
  ZA: 2, // effect: 01 immediate, 49 continuous left, …
  ZS: 2, // speed 01–99
  ZH: 4, // stay time ×0.1 s
  ZD: 2, // delete area (00 = all)
  ZF: 1, // 1 save area to flash, 2 delete
  '': 1, // EQ2023 colour
} as const;

export type EqCodeName = keyof typeof EQ_CODES;

/**
 * What one EQ generation's documentation lists (led-protocols.md §1.2), and
 * nothing more: a card is never sent a code its generation does not document.
 *
 * - EQ2013-F (EQ2013协议(完整版)): colour `%C1`–`%C3`, font `%F`, alignment
 *   `%AH`/`%AV`, and areas with effect, speed and stay time (`%Z…`); lines
 *   break with LF.
 * - EQ2023 (EQ2023控制协议): colour `%1`–`%3` and text only, in its one
 *   16-point font; lines break with CR LF. It lists no areas, effects or
 *   delete code: each text frame is the whole screen, so a frame with no
 *   text is how the screen is cleared [inferred].
 */
export interface EqDialect {
  readonly name: 'eq2013' | 'eq2023';
  /** As staff know the card. */
  readonly label: string;
  /** The inline codes the generation documents. */
  readonly codes: readonly EqCodeName[];
  /** The code that sets the colour: 1 red, 2 green, 3 yellow. */
  readonly colour: 'C' | '';
  readonly lineBreak: '\n' | '\r\n';
  /** Areas, effects, speed and stay time (`%Z…`). */
  readonly areas: boolean;
}

export const EQ_DIALECTS = {
  eq2013: {
    name: 'eq2013',
    label: 'EQ2013-F',
    codes: ['C', 'F', 'AH', 'AV', 'ZI', 'ZC', 'ZA', 'ZS', 'ZH', 'ZD', 'ZF'],
    colour: 'C',
    lineBreak: '\n',
    areas: true,
  },
  eq2023: { name: 'eq2023', label: 'EQ2023', codes: [''], colour: '', lineBreak: '\r\n', areas: false },
} as const satisfies Record<string, EqDialect>;

export type EqSegment = { type: 'code'; code: EqCodeName; value: string } | { type: 'text'; text: string };

export interface EqFrame {
  address: number;
  segments: EqSegment[];
}

export class EqCodecError extends Error {
  override readonly name = 'EqCodecError';
}

/** Longest first, so `ZC` is tried before `C`. */
const longestFirst = (codes: readonly EqCodeName[]) => [...codes].sort((a, b) => b.length - a.length);
const CODE_NAMES = longestFirst(Object.keys(EQ_CODES) as EqCodeName[]);
const DIALECT_CODES = new Map<EqDialect, EqCodeName[]>();
function codeNames(dialect: EqDialect | undefined): readonly EqCodeName[] {
  if (!dialect) return CODE_NAMES;
  let names = DIALECT_CODES.get(dialect);
  if (!names) DIALECT_CODES.set(dialect, (names = longestFirst(dialect.codes)));
  return names;
}
const shownCode = (code: EqCodeName) => (code === '' ? '%n' : `%${code}`);

export function eqCode(code: EqCodeName, value: number): EqSegment {
  const digits = EQ_CODES[code];
  const text = String(value);
  if (!Number.isInteger(value) || value < 0 || text.length > digits) {
    throw new RangeError(`EQ code %${code} takes ${digits} digit(s), got ${value}`);
  }
  return { type: 'code', code, value: text.padStart(digits, '0') };
}

/**
 * With a dialect, a code the generation does not document is refused.
 *
 * @example
 * encodeEqFrame({ address: 1, segments: [eqCode('C', 1), { type: 'text', text: '欢迎' }] }); // "!#001%C1" + GB + "$$"
 */
export function encodeEqFrame(frame: EqFrame, dialect?: EqDialect): Buffer {
  if (!Number.isInteger(frame.address) || frame.address < 0 || frame.address > 999) {
    throw new RangeError(`EQ address must be 0–999 (999 = broadcast), got ${frame.address}`);
  }
  const parts: Buffer[] = [Buffer.from(`!#${String(frame.address).padStart(3, '0')}`, 'latin1')];
  for (const segment of frame.segments) {
    if (segment.type === 'code') {
      if (dialect && !dialect.codes.includes(segment.code)) {
        throw new RangeError(`EQ code ${shownCode(segment.code)} is not in the ${dialect.label} dialect`);
      }
      const digits = EQ_CODES[segment.code];
      if (!new RegExp(`^\\d{${digits}}$`).test(segment.value)) {
        throw new RangeError(`EQ code %${segment.code} takes exactly ${digits} digit(s), got "${segment.value}"`);
      }
      parts.push(Buffer.from(`%${segment.code}${segment.value}`, 'latin1'));
    } else {
      const bad = /[%$]|!#/.exec(segment.text);
      if (bad) throw new RangeError(`EQ text may not contain “${bad[0]}” (at ${bad.index}); write it full-width`);
      parts.push(encodeGb(segment.text));
    }
  }
  parts.push(Buffer.from('$$', 'latin1'));
  return Buffer.concat(parts);
}

/**
 * Decodes one whole frame, `!#` through `$$`. With a dialect, a code the
 * generation does not document is an error. Throws {@link EqCodecError}.
 */
export function decodeEqFrame(bytes: Uint8Array, dialect?: EqDialect): EqFrame {
  const ascii = (from: number, to: number) => Buffer.from(bytes.subarray(from, to)).toString('latin1');
  if (ascii(0, 2) !== '!#') throw new EqCodecError('an EQ frame starts with !#');
  if (ascii(bytes.length - 2, bytes.length) !== '$$') throw new EqCodecError('an EQ frame ends with $$');
  const addressText = ascii(2, 5);
  if (!/^\d{3}$/.test(addressText)) throw new EqCodecError(`EQ address must be 3 digits, got "${addressText}"`);
  const segments: EqSegment[] = [];
  const end = bytes.length - 2;
  let text: number[] = [];
  const flushText = () => {
    if (text.length > 0) segments.push({ type: 'text', text: decodeGb(Uint8Array.from(text)) });
    text = [];
  };
  for (let i = 5; i < end;) {
    const b = bytes[i] ?? 0;
    if (b >= 0x81) {
      if (i + 1 >= end) throw new EqCodecError(`EQ text ends inside a double-byte character at ${i}`);
      text.push(b, bytes[i + 1] ?? 0);
      i += 2;
    } else if (b === 0x25) {
      flushText();
      const rest = ascii(i + 1, Math.min(end, i + 20));
      const code = codeNames(dialect).find(
        (name) => rest.startsWith(name) && new RegExp(`^\\d{${EQ_CODES[name]}}`).test(rest.slice(name.length)),
      );
      if (code === undefined) {
        throw new EqCodecError(`unknown EQ code at ${i}: %${rest.slice(0, 4)}${dialect ? ` (not in the ${dialect.label} dialect)` : ''}`);
      }
      const digits = EQ_CODES[code];
      segments.push({ type: 'code', code, value: rest.slice(code.length, code.length + digits) });
      i += 1 + code.length + digits;
    } else {
      text.push(b);
      i++;
    }
  }
  flushText();
  return { address: Number(addressText), segments };
}

export function describeEqFrame(frame: EqFrame): string {
  const parts = frame.segments.map((s) => (s.type === 'code' ? `%${s.code}${s.value}` : `"${s.text}"`));
  return `EQ to ${String(frame.address).padStart(3, '0')}: ${parts.join(' ')}`;
}

export type EqFramerEvent =
  { kind: 'frame'; frame: EqFrame; raw: Buffer; end: number } | { kind: 'error'; reason: string; raw: Buffer; end: number };

/** Longer than any text frame a 1 KB card would take: drop and resync. */
export const EQ_MAX_FRAME = 4096;

/**
 * Streaming EQ framer: finds `!#`, reads to `$$` stepping over double-byte
 * characters, restarts at a new `!#`. Never throws.
 */
export class EqFramer {
  /** With a dialect, frames with codes the generation does not document are errors. */
  constructor(private readonly dialect?: EqDialect) {}

  private buf: number[] = [];
  private inFrame = false;
  private prev = -1;
  /** A lead byte was just taken into the frame: the next byte is its trail. */
  private trail = false;

  push(chunk: Uint8Array): EqFramerEvent[] {
    const events: EqFramerEvent[] = [];
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i] ?? 0;
      if (!this.inFrame) {
        if (this.prev === 0x21 && b === 0x23) {
          this.inFrame = true;
          this.buf = [0x21, 0x23];
          this.trail = false;
        }
        this.prev = b;
        continue;
      }
      if (this.trail) {
        this.buf.push(b);
        this.trail = false;
        continue;
      }
      if (b === 0x23 && this.buf[this.buf.length - 1] === 0x21 && this.buf.length > 2) {
        events.push({ kind: 'error', reason: 'truncated', raw: Buffer.from(this.buf.slice(0, -1)), end: i - 1 });
        this.buf = [0x21, 0x23];
        continue;
      }
      this.buf.push(b);
      if (b >= 0x81) this.trail = true;
      if (b === 0x24 && this.buf[this.buf.length - 2] === 0x24 && this.buf.length >= 7) {
        const raw = Buffer.from(this.buf);
        try {
          events.push({ kind: 'frame', frame: decodeEqFrame(raw, this.dialect), raw, end: i + 1 });
        } catch (error) {
          events.push({ kind: 'error', reason: error instanceof Error ? error.message : String(error), raw, end: i + 1 });
        }
        this.inFrame = false;
        this.prev = -1;
      } else if (this.buf.length > EQ_MAX_FRAME) {
        events.push({ kind: 'error', reason: 'too-long', raw: Buffer.from(this.buf), end: i + 1 });
        this.inFrame = false;
        this.prev = -1;
      }
    }
    return events;
  }
}
