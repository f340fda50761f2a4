/**
 * The `A3 06` payload: realtime text for a dynamic area (led-protocols.md §1.1.3).
 *
 * Two layouts exist in public sources (§8 risk 1), chosen per sign profile:
 * - `with-area-count` (SDK appendix and three independent clients): an AreaNum
 *   byte before the areas, and Reserved[3] after Timeout;
 * - `without-area-count` (the official bx.k.java demo): no AreaNum, and four
 *   bytes (SoundMode, ExtendParaLen, TypeSetting, Alignment) there instead.
 * Units are also uncertain (§8 risk 2): X and width count bytes of 8 px unless
 * the high bit says pixels; Y and height are pixels in the C/Python clients.
 * Both are profile flags. AreaDataLen counts the area's bytes after itself
 * (inferred; a decoder also accepts the count including its own two bytes).
 */
import { decodeGb, encodeGb } from '../gb.js';
import { BxCommandError } from '../errors.js';

export type A306Layout = 'with-area-count' | 'without-area-count';

export interface A306Options {
  layout: A306Layout;
  /** Unit of AreaX/AreaWidth on the wire; default bytes (8 px). */
  xUnit?: 'bytes' | 'pixels';
  /** Unit of AreaY/AreaHeight on the wire; default pixels. */
  yUnit?: 'pixels' | 'bytes';
}

/** DisplayMode: 1 static · 2 quick type-out · 3 move left · 4 move right · 5 move up · 6 move down. */
export const BX_DISPLAY_MODES = { static: 1, typeOut: 2, left: 3, right: 4, up: 5, down: 6 } as const;

export interface BxTextArea {
  areaId: number;
  /** Pixels (converted to the profile's wire units). */
  x: number;
  y: number;
  width: number;
  height: number;
  lineSpacing: number;
  /** 0 loop · 1 stop on last page · 2 blank after timeout · 3 last page after timeout · 4 play once · 5 play N times. */
  runMode: number;
  timeout: number;
  /** 1 single line · 2 multi-line. */
  singleLine: 1 | 2;
  /** 1 explicit breaks only · 2 auto-wrap. */
  newLine: 1 | 2;
  displayMode: number;
  exitMode: number;
  /** 0 fastest … 0x18 slowest. */
  speed: number;
  /** Units of 0.5 s. */
  stayTime: number;
  text: string;
}

export interface BxTextCommand {
  kind: 'text';
  /** 0 keep · 1 clear and re-initialise the area. */
  processMode: number;
  /** Area ids to delete first; `'all'` = FF. */
  deleteAreas: number[] | 'all';
  areas: BxTextArea[];
}

function u8(name: string, v: number, max = 0xff): number {
  if (!Number.isInteger(v) || v < 0 || v > max) throw new RangeError(`A3 06 ${name} must be an integer 0–${max}, got ${v}`);
  return v;
}

function xToWire(name: string, px: number, unit: 'bytes' | 'pixels'): number {
  if (unit === 'pixels') return u8(name, px, 0x7fff) | 0x8000;
  if (px % 8 !== 0) throw new RangeError(`A3 06 ${name} ${px} px must be a multiple of 8 when the profile counts X in bytes`);
  return u8(name, px / 8, 0x7fff);
}

function xFromWire(v: number, unit: 'bytes' | 'pixels'): number {
  if (v & 0x8000) return v & 0x7fff;
  return unit === 'pixels' ? v : v * 8;
}

function yToWire(name: string, px: number, unit: 'pixels' | 'bytes'): number {
  if (unit === 'pixels') return u8(name, px, 0xffff);
  if (px % 8 !== 0) throw new RangeError(`A3 06 ${name} ${px} px must be a multiple of 8 when the profile counts Y in bytes`);
  return u8(name, px / 8, 0xffff);
}

function encodeArea(a: BxTextArea, options: A306Options): Buffer {
  const text = encodeGb(a.text);
  const xUnit = options.xUnit ?? 'bytes';
  const yUnit = options.yUnit ?? 'pixels';
  const fixed: number[] = [];
  const u16 = (v: number) => fixed.push(v & 0xff, (v >> 8) & 0xff);
  fixed.push(0x00); // AreaType: dynamic
  u16(xToWire('x', a.x, xUnit));
  u16(yToWire('y', a.y, yUnit));
  u16(xToWire('width', a.width, xUnit));
  u16(yToWire('height', a.height, yUnit));
  fixed.push(u8('areaId', a.areaId), u8('lineSpacing', a.lineSpacing), u8('runMode', a.runMode));
  u16(u8('timeout', a.timeout, 0xffff));
  fixed.push(...(options.layout === 'with-area-count' ? [0, 0, 0] : [0, 0, 0, 0]));
  fixed.push(u8('singleLine', a.singleLine, 2), u8('newLine', a.newLine, 2), u8('displayMode', a.displayMode, 6));
  fixed.push(u8('exitMode', a.exitMode), u8('speed', a.speed, 0x18), u8('stayTime', a.stayTime));
  const len = Buffer.alloc(4);
  len.writeUInt32LE(text.length);
  const rest = Buffer.concat([Buffer.from(fixed), len, text]);
  const areaLen = Buffer.alloc(2);
  areaLen.writeUInt16LE(u8('area length', rest.length, 0xffff));
  return Buffer.concat([areaLen, rest]);
}

export function encodeTextPayload(command: BxTextCommand, options: A306Options): Buffer {
  u8('processMode', command.processMode, 1);
  const del =
    command.deleteAreas === 'all'
      ? [0xff]
      : [u8('delete count', command.deleteAreas.length, 0xfe), ...command.deleteAreas.map((id) => u8('delete id', id))];
  if (options.layout === 'without-area-count' && command.areas.length !== 1) {
    throw new RangeError(`the without-area-count layout carries exactly one area, got ${command.areas.length}`);
  }
  const count = options.layout === 'with-area-count' ? [u8('area count', command.areas.length)] : [];
  return Buffer.concat([Buffer.from([...del, ...count]), ...command.areas.map((a) => encodeArea(a, options))]);
}

class Reader {
  private i = 0;
  constructor(private readonly p: Uint8Array) {}
  get offset(): number {
    return this.i;
  }
  u8(field: string): number {
    if (this.i >= this.p.length) throw new BxCommandError(`A3 06 payload ends before ${field} (byte ${this.i})`);
    return this.p[this.i++] ?? 0;
  }
  u16(field: string): number {
    return this.u8(field) | (this.u8(field) << 8);
  }
  u32(field: string): number {
    return (this.u16(field) | (this.u16(field) << 16)) >>> 0;
  }
  bytes(n: number, field: string): Uint8Array {
    if (this.i + n > this.p.length) throw new BxCommandError(`A3 06 ${field} needs ${n} bytes, ${this.p.length - this.i} left`);
    const out = this.p.subarray(this.i, this.i + n);
    this.i += n;
    return out;
  }
}

function decodeArea(r: Reader, options: A306Options): BxTextArea {
  const areaLen = r.u16('AreaDataLen');
  const start = r.offset;
  if (r.u8('AreaType') !== 0) throw new BxCommandError('A3 06 AreaType must be 0 (dynamic)');
  const xUnit = options.xUnit ?? 'bytes';
  const yMul = (options.yUnit ?? 'pixels') === 'bytes' ? 8 : 1;
  const x = xFromWire(r.u16('AreaX'), xUnit);
  const y = r.u16('AreaY') * yMul;
  const width = xFromWire(r.u16('AreaWidth'), xUnit);
  const height = r.u16('AreaHeight') * yMul;
  const areaId = r.u8('DynamicAreaLoc');
  const lineSpacing = r.u8('LineSpacing');
  const runMode = r.u8('RunMode');
  const timeout = r.u16('Timeout');
  r.bytes(options.layout === 'with-area-count' ? 3 : 4, 'reserved');
  const singleLine = r.u8('SingleLine');
  const newLine = r.u8('NewLine');
  if ((singleLine !== 1 && singleLine !== 2) || (newLine !== 1 && newLine !== 2)) {
    throw new BxCommandError(`A3 06 SingleLine/NewLine must be 1 or 2, got ${singleLine}/${newLine} (wrong layout variant?)`);
  }
  const displayMode = r.u8('DisplayMode');
  const exitMode = r.u8('ExitMode');
  const speed = r.u8('Speed');
  const stayTime = r.u8('StayTime');
  const textLen = r.u32('DataLen');
  const text = decodeGb(r.bytes(textLen, 'text'));
  const used = r.offset - start;
  if (areaLen !== used && areaLen !== used + 2)
    throw new BxCommandError(`A3 06 AreaDataLen ${areaLen} does not match the ${used} bytes of the area`);
  return { areaId, x, y, width, height, lineSpacing, runMode, timeout, singleLine, newLine, displayMode, exitMode, speed, stayTime, text };
}

export function decodeTextPayload(payload: Uint8Array, processMode: number, options: A306Options): BxTextCommand {
  const r = new Reader(payload);
  const delCount = r.u8('DeleteAreaNum');
  const deleteAreas = delCount === 0xff ? 'all' : Array.from(r.bytes(delCount, 'DeleteAreaIds'));
  const count = options.layout === 'with-area-count' ? r.u8('AreaNum') : 1;
  const areas: BxTextArea[] = [];
  for (let i = 0; i < count; i++) areas.push(decodeArea(r, options));
  if (r.offset !== payload.length)
    throw new BxCommandError(`A3 06 has ${payload.length - r.offset} bytes after its areas (wrong layout variant?)`);
  return { kind: 'text', processMode, deleteAreas, areas };
}
