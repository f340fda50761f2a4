/**
 * BX-5K/6K font-card commands: the data part of a frame, both ways
 * (docs/reference/led-protocols.md §1.1.2–1.1.3).
 *
 * Request data: `CmdGroup Cmd RtnReq r0 r1 payload…`; RtnReq 01 = reply, 02 =
 * do not reply (used for broadcasts so cards on one RS-485 line stay quiet).
 * Reply data: `A0 00|01 error r0 r1 …` (ACK / NACK).
 */
import { BxCommandError } from '../errors.js';
import { type A306Options, decodeTextPayload, encodeTextPayload, type BxTextCommand } from './text.js';

export { BxCommandError };

export const BX_CMD = {
  ack: [0xa0, 0x00],
  nack: [0xa0, 0x01],
  ping: [0xa2, 0x00],
  clock: [0xa2, 0x03],
  power: [0xa3, 0x00],
  brightness: [0xa3, 0x02],
  text: [0xa3, 0x06],
  clear: [0xa3, 0x10],
} as const;

export const RTN_REPLY = 0x01;
export const RTN_NO_REPLY = 0x02;

/** Wall-clock fields as the sign keeps them (local time of the town). */
export interface BxClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** 1 = Monday … 7 = Sunday. */
  weekday: number;
}

export type BxCommand =
  | { kind: 'ping' }
  | { kind: 'clock'; clock: BxClock }
  | { kind: 'power'; on: boolean }
  | { kind: 'brightness'; mode: 'force' | 'timed'; level: number; table: number[] }
  | { kind: 'clear' }
  | BxTextCommand
  | { kind: 'reply'; ack: boolean; error: number }
  | { kind: 'unknown'; group: number; cmd: number };

export interface BxRequest {
  command: BxCommand;
  /** RtnReq = 01. */
  replyWanted: boolean;
}

function toBcd(n: number, field: string): number {
  if (!Number.isInteger(n) || n < 0 || n > 99) throw new RangeError(`clock ${field} must be 0–99 for BCD, got ${n}`);
  return ((Math.floor(n / 10) << 4) | (n % 10)) & 0xff;
}

function fromBcd(b: number, field: string): number {
  const hi = b >> 4;
  const lo = b & 0x0f;
  if (hi > 9 || lo > 9) throw new BxCommandError(`clock ${field} byte ${b.toString(16)} is not BCD`);
  return hi * 10 + lo;
}

function checkLevel(level: number, field: string): void {
  if (!Number.isInteger(level) || level < 0 || level > 15)
    throw new RangeError(`brightness ${field} must be an integer 0–15, got ${level}`);
}

/**
 * The clock sync payload: year as two BCD bytes little-endian (2025 → 25 20),
 * then month, day, hour, minute, second, weekday, all BCD.
 *
 * @example
 * encodeClock({ year: 2025, month: 3, day: 9, hour: 14, minute: 5, second: 0, weekday: 7 }); // 25 20 03 09 14 05 00 07
 */
export function encodeClock(c: BxClock): Buffer {
  if (c.month < 1 || c.month > 12) throw new RangeError(`clock month must be 1–12, got ${c.month}`);
  if (c.day < 1 || c.day > 31) throw new RangeError(`clock day must be 1–31, got ${c.day}`);
  if (c.hour > 23 || c.minute > 59 || c.second > 59)
    throw new RangeError(`clock time ${c.hour}:${c.minute}:${c.second} is not a time of day`);
  if (c.weekday < 1 || c.weekday > 7) throw new RangeError(`clock weekday must be 1 (Monday) – 7 (Sunday), got ${c.weekday}`);
  return Buffer.from([
    toBcd(c.year % 100, 'year'),
    toBcd(Math.floor(c.year / 100), 'century'),
    toBcd(c.month, 'month'),
    toBcd(c.day, 'day'),
    toBcd(c.hour, 'hour'),
    toBcd(c.minute, 'minute'),
    toBcd(c.second, 'second'),
    toBcd(c.weekday, 'weekday'),
  ]);
}

export function decodeClock(p: Uint8Array): BxClock {
  if (p.length < 8) throw new BxCommandError(`clock payload is ${p.length} bytes, needs 8`);
  const at = (i: number, f: string) => fromBcd(p[i] ?? 0, f);
  return {
    year: at(1, 'century') * 100 + at(0, 'year'),
    month: at(2, 'month'),
    day: at(3, 'day'),
    hour: at(4, 'hour'),
    minute: at(5, 'minute'),
    second: at(6, 'second'),
    weekday: at(7, 'weekday'),
  };
}

/** The clock fields of `at` in China Standard Time (UTC+8, no daylight saving), the zone of the town's signs. */
export function clockOf(at: number, utcOffsetMinutes = 480): BxClock {
  const d = new Date(at + utcOffsetMinutes * 60_000);
  const weekday = d.getUTCDay();
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    weekday: weekday === 0 ? 7 : weekday,
  };
}

function head(code: readonly [number, number], replyWanted: boolean, r0 = 0, r1 = 0): number[] {
  return [code[0], code[1], replyWanted ? RTN_REPLY : RTN_NO_REPLY, r0, r1];
}

/**
 * The data part of a request frame.
 *
 * @example
 * encodeBxRequest({ command: { kind: 'ping' }, replyWanted: true }); // a2 00 01 00 00
 */
export function encodeBxRequest(request: BxRequest, text: A306Options = { layout: 'with-area-count' }): Buffer {
  const { command, replyWanted } = request;
  switch (command.kind) {
    case 'ping':
      return Buffer.from(head(BX_CMD.ping, replyWanted));
    case 'clear':
      return Buffer.from(head(BX_CMD.clear, replyWanted));
    case 'clock':
      return Buffer.concat([Buffer.from(head(BX_CMD.clock, replyWanted)), encodeClock(command.clock)]);
    case 'power':
      return Buffer.from([...head(BX_CMD.power, replyWanted), command.on ? 0x01 : 0x02]);
    case 'brightness': {
      checkLevel(command.level, 'level');
      if (command.table.length !== 48) throw new RangeError(`brightness table needs 48 half-hour levels, got ${command.table.length}`);
      command.table.forEach((l, i) => checkLevel(l, `table[${i}]`));
      return Buffer.from([
        ...head(BX_CMD.brightness, replyWanted),
        command.mode === 'force' ? 0x01 : 0x02,
        command.level,
        ...command.table,
      ]);
    }
    case 'text':
      return Buffer.concat([Buffer.from(head(BX_CMD.text, replyWanted, command.processMode, 0)), encodeTextPayload(command, text)]);
    case 'reply':
      return Buffer.from([BX_CMD.ack[0], command.ack ? 0x00 : 0x01, command.error & 0xff, 0, 0]);
    case 'unknown':
      return Buffer.from(head([command.group, command.cmd], replyWanted));
  }
}

/** Decodes the data part of a frame; throws {@link BxCommandError} on a malformed payload. */
export function decodeBxRequest(data: Uint8Array, text: A306Options = { layout: 'with-area-count' }): BxRequest {
  if (data.length < 2) throw new BxCommandError(`command data is ${data.length} bytes; group and command need 2`);
  const group = data[0] ?? 0;
  const cmd = data[1] ?? 0;
  const is = (code: readonly [number, number]) => group === code[0] && cmd === code[1];
  if (group === 0xa0 && (cmd === 0x00 || cmd === 0x01)) {
    return { command: { kind: 'reply', ack: cmd === 0x00, error: data[2] ?? 0 }, replyWanted: false };
  }
  if (data.length < 5)
    throw new BxCommandError(`request ${group.toString(16)} ${cmd.toString(16)} is ${data.length} bytes; needs at least 5`);
  const replyWanted = data[2] === RTN_REPLY;
  const payload = data.subarray(5);
  if (is(BX_CMD.ping)) return { command: { kind: 'ping' }, replyWanted };
  if (is(BX_CMD.clear)) return { command: { kind: 'clear' }, replyWanted };
  if (is(BX_CMD.clock)) return { command: { kind: 'clock', clock: decodeClock(payload) }, replyWanted };
  if (is(BX_CMD.power)) {
    if (payload[0] !== 0x01 && payload[0] !== 0x02) throw new BxCommandError(`on/off payload must be 01 or 02, got ${String(payload[0])}`);
    return { command: { kind: 'power', on: payload[0] === 0x01 }, replyWanted };
  }
  if (is(BX_CMD.brightness)) {
    if (payload.length < 50) throw new BxCommandError(`brightness payload is ${payload.length} bytes, needs 50`);
    return {
      command: {
        kind: 'brightness',
        mode: payload[0] === 0x01 ? 'force' : 'timed',
        level: payload[1] ?? 0,
        table: Array.from(payload.subarray(2, 50)),
      },
      replyWanted,
    };
  }
  if (is(BX_CMD.text)) return { command: decodeTextPayload(payload, data[3] ?? 0, text), replyWanted };
  return { command: { kind: 'unknown', group, cmd }, replyWanted };
}

/** One line for the frame log. */
export function describeBxCommand(command: BxCommand): string {
  switch (command.kind) {
    case 'ping':
    case 'clear':
      return command.kind;
    case 'clock': {
      const c = command.clock;
      const p = (n: number) => String(n).padStart(2, '0');
      return `clock ${c.year}-${p(c.month)}-${p(c.day)} ${p(c.hour)}:${p(c.minute)}:${p(c.second)} weekday ${c.weekday}`;
    }
    case 'power':
      return `power ${command.on ? 'on' : 'off'}`;
    case 'brightness':
      return `brightness ${command.mode} ${command.level}`;
    case 'text':
      return `text ${command.areas.map((a) => `area ${a.areaId} ${a.width}×${a.height}@${a.x},${a.y} mode ${a.displayMode} "${a.text}"`).join('; ')}`;
    case 'reply':
      return command.ack ? 'ACK' : `NACK ${command.error}`;
    case 'unknown':
      return `unknown ${command.group.toString(16)} ${command.cmd.toString(16)}`;
  }
}
