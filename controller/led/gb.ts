/**
 * GB2312/GBK bytes for the font cards. Which characters a sign may show is
 * decided by `unsupportedChars` in controller/protocol/ledText.ts (strict
 * GB2312 ranges, since iconv-lite's 'gb2312' is really GBK); this file only
 * turns already-checked text into bytes and back. The table is the inverse of
 * the WHATWG GBK decoder that Node ships, built once on first use. GB2312 is a
 * subset of GBK with the same codes, so one table serves both charsets.
 */
import { TextDecoder } from 'node:util';
import { SignError } from './errors.js';

/** GBK code by UTF-16 code unit (every GBK character is in the BMP). */
let table: Map<number, number> | null = null;

function gbkDecoder(): TextDecoder {
  return new TextDecoder('gbk');
}

function encodeTable(): Map<number, number> {
  if (table) return table;
  const decoder = gbkDecoder();
  const map = new Map<number, number>();
  const code = new Uint8Array(2);
  for (let lead = 0x81; lead <= 0xfe; lead++) {
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      if (trail === 0x7f) continue;
      code[0] = lead;
      code[1] = trail;
      const char = decoder.decode(code);
      if (char.length !== 1 || char === '\ufffd') continue;
      const cp = char.charCodeAt(0);
      if (cp < 0x80 || (cp >= 0xe000 && cp <= 0xf8ff)) continue;
      if (!map.has(cp)) map.set(cp, (lead << 8) | trail);
    }
  }
  table = map;
  return map;
}

/**
 * GBK bytes of `text`: ASCII (including CR/LF) as is, everything else as two
 * bytes. Throws for a character GBK lacks; check the sign's charset first.
 *
 * @example
 * encodeGb('公示A'); // b9 ab ca be 41
 */
export function encodeGb(text: string): Buffer {
  const map = encodeTable();
  // At most two bytes per UTF-16 unit; one pass without a per-character array.
  const out = Buffer.allocUnsafe(text.length * 2);
  let n = 0;
  for (let index = 0; index < text.length; index++) {
    const unit = text.charCodeAt(index);
    if (unit < 0x80) {
      out[n++] = unit;
      continue;
    }
    const code = map.get(unit);
    if (code === undefined) {
      const char = String.fromCodePoint(text.codePointAt(index) ?? unit);
      throw new SignError('charset', `“${char}” at ${index} has no GBK code`);
    }
    out[n++] = code >> 8;
    out[n++] = code & 0xff;
  }
  return out.subarray(0, n);
}

export function decodeGb(bytes: Uint8Array): string {
  return gbkDecoder().decode(bytes);
}
