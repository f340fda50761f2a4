/**
 * The Onbon BX-5K/6K font-card link layer (docs/reference/led-protocols.md
 * §1.1.1–1.1.2):
 *
 *     A5×8 | escaped( 14-byte header | data | CRC-16/ARC little-endian ) | 5A
 *
 * Escaping: A5→A6 02, A6→A6 01, 5A→5B 02, 5B→5B 01. The CRC and every length
 * field are computed on the unescaped bytes. Pure functions, no I/O.
 */

export const BX_PREAMBLE_BYTE = 0xa5;
export const BX_PREAMBLE_LENGTH = 8;
export const BX_END_BYTE = 0x5a;
export const BX_HEADER_LENGTH = 14;
export const BX_PROTOCOL_VERSION = 0x02;
/** The PC's source address. */
export const BX_HOST_ADDRESS = 0x8000;
/** Wildcard destination: every card on the line. */
export const BX_BROADCAST_ADDRESS = 0xfffe;
/** Any device type. */
export const BX_ANY_DEVICE = 0xfe;
/** Cards other than 5E/6E/6Q take at most 1 KB per packet (§1.1.1 "Maximum packet"). */
export const BX_MAX_DATA_LENGTH = 1024;

export interface BxHeader {
  /** Screen number; {@link BX_BROADCAST_ADDRESS} for every card. */
  dst: number;
  src: number;
  /** 0 = no barcode. */
  option: number;
  /** 0 = CRC16 (always sent); 1 = 16-bit sum; 2 = none. */
  checksumMode: number;
  /** 0 = normal; 1 = dynamic areas over programs. */
  displayMode: number;
  deviceType: number;
  protocolVersion: number;
}

export interface BxFrame {
  header: BxHeader;
  data: Uint8Array;
}

export type BxDecodeFailure = 'escape' | 'short' | 'length' | 'crc';

export class BxFrameError extends Error {
  override readonly name = 'BxFrameError';
  constructor(
    readonly reason: BxDecodeFailure,
    message: string,
    /** The header, when it could be read: a CRC failure can still be answered to its sender. */
    readonly header: BxHeader | null = null,
  ) {
    super(message);
  }
}

const CRC_TABLE = (() => {
  const table = new Uint16Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xa001 : c >>> 1;
    table[n] = c;
  }
  return table;
})();

/**
 * CRC-16/ARC: polynomial 0x8005 reflected (0xA001), init 0, no final XOR.
 *
 * @example
 * crc16Arc(Buffer.from('123456789')); // 0xBB3D
 */
export function crc16Arc(bytes: Uint8Array): number {
  let crc = 0;
  for (const byte of bytes) crc = (crc >>> 8) ^ (CRC_TABLE[(crc ^ byte) & 0xff] ?? 0);
  return crc & 0xffff;
}

export function needsEscape(byte: number): boolean {
  return byte === 0xa5 || byte === 0xa6 || byte === 0x5a || byte === 0x5b;
}

export function escapeBx(raw: Uint8Array): Buffer {
  let extra = 0;
  for (const b of raw) if (needsEscape(b)) extra++;
  const out = Buffer.allocUnsafe(raw.length + extra);
  let o = 0;
  for (const b of raw) {
    if (b === 0xa5 || b === 0xa6) {
      out[o++] = 0xa6;
      out[o++] = b === 0xa5 ? 0x02 : 0x01;
    } else if (b === 0x5a || b === 0x5b) {
      out[o++] = 0x5b;
      out[o++] = b === 0x5a ? 0x02 : 0x01;
    } else {
      out[o++] = b;
    }
  }
  return out;
}

/** Reverses {@link escapeBx}; an escape byte followed by anything but 01/02 is an error. */
export function unescapeBx(escaped: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(escaped.length);
  let o = 0;
  for (let i = 0; i < escaped.length; i++) {
    const b = escaped[i] ?? 0;
    if (b === 0xa6 || b === 0x5b) {
      const next = escaped[++i];
      if (next !== 0x01 && next !== 0x02) {
        throw new BxFrameError('escape', `bad escape ${hex([b])} ${next === undefined ? '(end)' : hex([next])} at byte ${i - 1}`);
      }
      out[o++] = b === 0xa6 ? (next === 0x02 ? 0xa5 : 0xa6) : next === 0x02 ? 0x5a : 0x5b;
    } else {
      out[o++] = b;
    }
  }
  return out.subarray(0, o);
}

export function defaultHeader(dst: number, deviceType = BX_ANY_DEVICE): BxHeader {
  return { dst, src: BX_HOST_ADDRESS, option: 0, checksumMode: 0, displayMode: 0, deviceType, protocolVersion: BX_PROTOCOL_VERSION };
}

function checkField(name: string, value: number, max: number): void {
  if (!Number.isInteger(value) || value < 0 || value > max)
    throw new RangeError(`BX header ${name} must be an integer 0–${max}, got ${value}`);
}

/** The unescaped header + data + CRC. */
export function bxBody(frame: BxFrame): Buffer {
  const { header, data } = frame;
  checkField('dst', header.dst, 0xffff);
  checkField('src', header.src, 0xffff);
  for (const name of ['option', 'checksumMode', 'displayMode', 'deviceType', 'protocolVersion'] as const)
    checkField(name, header[name], 0xff);
  if (data.length > 0xffff) throw new RangeError(`BX data is ${data.length} bytes; the length field holds at most 65535`);
  const body = Buffer.alloc(BX_HEADER_LENGTH + data.length + 2);
  body.writeUInt16LE(header.dst, 0);
  body.writeUInt16LE(header.src, 2);
  // 4–6 reserved
  body[7] = header.option;
  body[8] = header.checksumMode;
  body[9] = header.displayMode;
  body[10] = header.deviceType;
  body[11] = header.protocolVersion;
  body.writeUInt16LE(data.length, 12);
  body.set(data, BX_HEADER_LENGTH);
  body.writeUInt16LE(crc16Arc(body.subarray(0, BX_HEADER_LENGTH + data.length)), BX_HEADER_LENGTH + data.length);
  return body;
}

/**
 * A whole frame as it goes on the wire.
 *
 * @example
 * encodeBxFrame({ header: defaultHeader(1), data: Uint8Array.of(0xa2, 0x00, 0x01, 0x00, 0x00) });
 */
export function encodeBxFrame(frame: BxFrame): Buffer {
  const escaped = escapeBx(bxBody(frame));
  const out = Buffer.alloc(BX_PREAMBLE_LENGTH + escaped.length + 1, BX_PREAMBLE_BYTE);
  escaped.copy(out, BX_PREAMBLE_LENGTH);
  out[out.length - 1] = BX_END_BYTE;
  return out;
}

function readHeader(body: Uint8Array): BxHeader {
  const view = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  return {
    dst: view.readUInt16LE(0),
    src: view.readUInt16LE(2),
    option: view[7] ?? 0,
    checksumMode: view[8] ?? 0,
    displayMode: view[9] ?? 0,
    deviceType: view[10] ?? 0,
    protocolVersion: view[11] ?? 0,
  };
}

/**
 * Decodes what lies between the preamble and the end byte (still escaped).
 * Throws {@link BxFrameError}; the streaming framer turns that into an event.
 * A frame whose checksum mode is not CRC (1, 2) is accepted unchecked.
 */
export function decodeBxBody(escaped: Uint8Array): BxFrame {
  const body = unescapeBx(escaped);
  if (body.length < BX_HEADER_LENGTH + 2) throw new BxFrameError('short', `frame body is ${body.length} bytes; a header and CRC need 16`);
  const header = readHeader(body);
  const dataLength = body.readUInt16LE(12);
  if (BX_HEADER_LENGTH + dataLength + 2 !== body.length) {
    throw new BxFrameError(
      'length',
      `DataLen says ${dataLength} bytes but the frame carries ${body.length - BX_HEADER_LENGTH - 2}`,
      header,
    );
  }
  const sent = body.readUInt16LE(body.length - 2);
  const computed = crc16Arc(body.subarray(0, body.length - 2));
  if (header.checksumMode === 0 && sent !== computed) {
    throw new BxFrameError('crc', `CRC ${hex4(sent)} does not match the computed ${hex4(computed)}`, header);
  }
  return { header, data: body.subarray(BX_HEADER_LENGTH, BX_HEADER_LENGTH + dataLength) };
}

/** `a5 a5 …` lower-case, space-separated: the form the frame log and the docs use. */
export function hex(bytes: Iterable<number>): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
}

function hex4(n: number): string {
  return `0x${n.toString(16).toUpperCase().padStart(4, '0')}`;
}
