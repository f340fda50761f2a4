/**
 * A sign's profile: how to reach it and what it can show. Validated once, with
 * every problem named by field, so a wrong profile is refused instead of
 * turning into a sign that shows garbage. Shared with the admin's sign form.
 */
import { z } from './zod.js';
import type { UnsupportedChar } from './ledText.js';
import { noticeTarget } from './schemas.js';

export const SIGN_PROTOCOLS = ['bx5k', 'bx6k', 'eq2013', 'eq2023'] as const;
export type SignProtocolName = (typeof SIGN_PROTOCOLS)[number];

/** The rates BX cards offer are 9600 and 57600 (led-protocols.md §1.1.1); EQ follows whatever its tool set. */
export const SIGN_BAUD_RATES = [2400, 4800, 9600, 19200, 38400, 57600, 115200] as const;

export const TCP_SCHEME = 'tcp://';

export interface TcpAddress {
  host: string;
  port: number;
}

/**
 * `tcp://host:port` → host and port, or null when `address` is not one: a BX
 * network card (port 5005), a serial device server or a 4G DTU. IPv6 hosts go
 * in brackets (`tcp://[fd00::7]:5005`).
 *
 * @example
 * parseTcpAddress('tcp://192.168.1.50:5005'); // { host: '192.168.1.50', port: 5005 }
 */
export function parseTcpAddress(address: string): TcpAddress | null {
  if (!address.startsWith(TCP_SCHEME)) return null;
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?)):(\d{1,5})$/.exec(
    address.slice(TCP_SCHEME.length),
  );
  if (!match) return null;
  const port = Number(match[3]);
  if (port < 1 || port > 65535) return null;
  return { host: match[1] ?? match[2] ?? '', port };
}

/** Whether a sign's address is a device path (or COMn, or the demo's emulated:…) rather than TCP. */
const isDevicePath = (p: string): boolean => p.startsWith('/') || /^COM\d+$/i.test(p) || p.startsWith('emulated:');

const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time like 07:30');

export const signPortSchema = z.strictObject({
  /** A serial device (`/dev/serial/by-id/…`, `COM3`) or `tcp://host:port` (BX network card on 5005, serial device server, DTU). */
  path: z
    .string()
    .trim()
    .min(1, 'enter the device path (e.g. /dev/serial/by-id/…) or tcp://host:port')
    .max(256)
    .superRefine((p, ctx) => {
      if (p.startsWith(TCP_SCHEME) ? parseTcpAddress(p) !== null : isDevicePath(p)) return;
      ctx.addIssue({
        code: 'custom',
        message: p.startsWith(TCP_SCHEME)
          ? 'must be tcp://host:port with a port 1–65535, e.g. tcp://192.168.1.50:5005'
          : 'must be an absolute device path (or COMn), or tcp://host:port',
      });
    }),
  baudRate: z.union(
    SIGN_BAUD_RATES.map((b) => z.literal(b)),
    `must be one of ${SIGN_BAUD_RATES.join(', ')}`,
  ),
  dataBits: z.union([z.literal(7), z.literal(8)], 'must be 7 or 8').default(8),
  parity: z.enum(['none', 'even', 'odd'], 'must be none, even or odd').default('none'),
  stopBits: z.union([z.literal(1), z.literal(2)], 'must be 1 or 2').default(1),
  /** Drop DTR on close; some cards reset on DTR. */
  hupcl: z.boolean().default(true),
  /** DTR level after opening; null leaves it. */
  dtr: z.boolean().nullable().default(null),
});

export const signProfileSchema = z
  .strictObject({
    id: z
      .string()
      .trim()
      .regex(/^[a-z0-9][a-z0-9-]{0,47}$/, 'must be lower-case letters, digits and dashes, e.g. sign-zhangtang-1'),
    name: z.string().trim().min(1, 'enter a name').max(60),
    villageId: z.string().trim().min(1, 'choose a village').max(64),
    protocol: z.enum(SIGN_PROTOCOLS, `must be one of ${SIGN_PROTOCOLS.join(', ')}`),
    port: signPortSchema,
    /** BX: screen number 1–65533 (0xFFFE is the broadcast); EQ: card address 0–998 (999 broadcasts). */
    address: z.number().int('must be a whole number').min(0, 'must be at least 0').max(0xfffd, 'must be at most 65533'),
    /** BX DeviceType byte: 0xFE any, 0x51 5K1, 0x58 5K2, 0x61 6K1 … */
    deviceType: z.number().int().min(0).max(255, 'must be a byte (0–255)').default(0xfe),
    widthPx: z.number().int('must be whole pixels').min(16, 'must be at least 16 px').max(4096, 'must be at most 4096 px'),
    heightPx: z.number().int('must be whole pixels').min(16, 'must be at least 16 px (one line of 16-point text)').max(1024),
    colour: z.enum(['mono', 'dual'], 'must be mono or dual').default('mono'),
    charset: z.enum(['gb2312', 'gbk'], 'must be gb2312 or gbk'),
    /** A3 06 variant (led-protocols.md §8 risk 1). */
    a306Layout: z
      .enum(['with-area-count', 'without-area-count'], 'must be with-area-count or without-area-count')
      .default('with-area-count'),
    xUnit: z.enum(['bytes', 'pixels'], 'must be bytes or pixels').default('bytes'),
    yUnit: z.enum(['pixels', 'bytes'], 'must be pixels or bytes').default('pixels'),
    layout: z.enum(['pages', 'scroll'], 'must be pages or scroll').default('pages'),
    /** Screen on from `on` to `off` (local time); null = always on. */
    onHours: z.strictObject({ on: clockTime, off: clockTime }).nullable().default(null),
    brightness: z
      .strictObject({
        day: z.number().int().min(0, 'must be 0–15').max(15, 'must be 0–15'),
        night: z.number().int().min(0, 'must be 0–15').max(15, 'must be 0–15'),
        nightFrom: clockTime,
        nightTo: clockTime,
      })
      .default({ day: 15, night: 4, nightFrom: '19:00', nightTo: '06:30' }),
    /** Demo: an in-process emulated sign instead of a port. */
    emulated: z.boolean().default(false),
    /** The village node (device id) that drives this sign where it stands; null: the controller's own port. */
    node: z.string().trim().min(1, 'choose a node').max(64).nullable().default(null),
  })
  .superRefine((p, ctx) => {
    const eq = p.protocol === 'eq2013' || p.protocol === 'eq2023';
    if (eq && p.address > 998)
      ctx.addIssue({ code: 'custom', path: ['address'], message: 'EQ card addresses are 0–998 (999 is the broadcast)' });
    if (!eq && p.address < 1) ctx.addIssue({ code: 'custom', path: ['address'], message: 'BX screen numbers start at 1' });
    if (p.xUnit === 'bytes' && p.widthPx % 8 !== 0) {
      ctx.addIssue({ code: 'custom', path: ['widthPx'], message: 'must be a multiple of 8 px when X is counted in bytes' });
    }
    if (p.yUnit === 'bytes' && p.heightPx % 8 !== 0) {
      ctx.addIssue({ code: 'custom', path: ['heightPx'], message: 'must be a multiple of 8 px when Y is counted in bytes' });
    }
    if (eq && p.protocol === 'eq2023' && p.heightPx % 16 !== 0) {
      ctx.addIssue({ code: 'custom', path: ['heightPx'], message: 'EQ2023 has only the 16-point font: use a multiple of 16 px' });
    }
    if (p.onHours && p.onHours.on === p.onHours.off)
      ctx.addIssue({ code: 'custom', path: ['onHours', 'off'], message: 'must differ from the on time' });
  });

export type SignProfile = z.output<typeof signProfileSchema>;
export type SignProfileInput = z.input<typeof signProfileSchema>;

export class SignProfileError extends Error {
  override readonly name = 'SignProfileError';
  constructor(
    readonly fields: Record<string, string>,
    label: string,
  ) {
    super(
      `sign profile ${label} is invalid: ${Object.entries(fields)
        .map(([f, m]) => `${f}: ${m}`)
        .join('; ')}`,
    );
  }
}

/**
 * Parses a profile, or throws {@link SignProfileError} listing every bad field.
 *
 * @example
 * parseSignProfile({ id: 's1', name: '村口', villageId: 'v1', protocol: 'bx5k', port: { path: '/dev/ttyUSB0', baudRate: 9600 }, address: 1, widthPx: 192, heightPx: 32, charset: 'gb2312' });
 */
export function parseSignProfile(input: unknown): SignProfile {
  const result = signProfileSchema.safeParse(input);
  if (result.success) return result.data;
  const fields: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const key = issue.path.join('.') || '(profile)';
    fields[key] ??= issue.message;
  }
  const label = typeof input === 'object' && input !== null && 'id' in input ? JSON.stringify(input.id) : '(no id)';
  throw new SignProfileError(fields, label);
}

/** One LED sign as the admin sees it (`GET /api/signs`). */
/** What a sign's link has done since the controller started: frames, answers, failures and recoveries. */
export interface SignCounters {
  framesSent: number;
  acks: number;
  nacks: number;
  timeouts: number;
  retries: number;
  busy: number;
  reconnects: number;
  /** Content re-sent after a reconnect or a detected sign reboot. */
  restores: number;
}

export interface SignView {
  id: string;
  name: string;
  villageId: string;
  protocol: SignProtocolName;
  address: number;
  portPath: string;
  baudRate: number;
  widthPx: number;
  heightPx: number;
  charset: 'gb2312' | 'gbk';
  emulated: boolean;
  /** The village node driving it (its device id), null for the controller's own signs. */
  nodeId: string | null;
  link: 'connecting' | 'up' | 'down' | 'stopped';
  /** False after a request ran out of retries, until the sign answers again. */
  reachable: boolean;
  lastAckAt: number | null;
  /** What the sign shows, with the proof level: acknowledged (BX) or sent (EQ). */
  showing: { key: string; text: string; proof: 'acknowledged' | 'sent'; since: number } | null;
  /** A change sent but not acknowledged yet (the sign went silent or refused it): the sign still shows `showing`. */
  pending: { change: 'show'; key: string; text: string; since: number } | { change: 'clear'; since: number } | null;
  power: boolean;
  brightness: number;
  counters: SignCounters;
  lastError: { code: string; message: string; at: number } | null;
  /** Playlist items left out because the sign's font lacks characters. */
  refused: { key: string; chars: string[] }[];
}

/** What a sign shows now (`GET /api/signs/:id/frame`): rows of '0'/'1', or only the text without a bitmap font. */
export interface SignFrameView {
  width: number;
  height: number;
  rows: string[] | null;
  text: string[];
  source: 'emulator' | 'last-acknowledged';
}

/**
 * One sign a notice targets, and the characters of its LED text that sign's
 * font lacks (`POST /api/signs/check-text`): empty when the sign can show it.
 */
export interface SignTextCheck {
  id: string;
  name: string;
  villageId: string;
  charset: 'gb2312' | 'gbk';
  unsupported: UnsupportedChar[];
  /**
   * BX cards: the bytes of the A3 06 update this text needs as laid out for the sign, and the most one packet
   * may carry (1 KB); text over it is refused. Null for EQ, which has no documented limit.
   */
  packet: { bytes: number; max: number } | null;
}

/** `POST /api/signs/check-text`: the LED text as the sign would show it (the title when the LED field is empty) and the notice's target. */
export const checkTextRequest = z.strictObject({
  text: z.string('must be text').max(2000, 'must be at most 2000 characters'),
  target: noticeTarget,
});
export type CheckTextRequest = z.input<typeof checkTextRequest>;

/** `POST /api/signs/:id/brightness` */
export const brightnessRequest = z.strictObject({
  level: z.number().int('must be a whole number').min(0, 'must be 0–15').max(15, 'must be 0–15'),
});
export type BrightnessRequest = z.input<typeof brightnessRequest>;

/** `POST /api/signs/:id/power` */
export const powerRequest = z.strictObject({ on: z.boolean('must be true or false') });
export type PowerRequest = z.input<typeof powerRequest>;

/**
 * A staff button for one sign (test pattern, brightness, on/off, clear, re-send), as the signs service runs it:
 * on the controller for its own signs, relayed over `/node` (protocol/node.ts `sign:command`) for a sign behind a
 * village node, which checks it again before running it.
 */
export const signCommand = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('test-pattern') }),
  brightnessRequest.extend({ type: z.literal('brightness') }),
  powerRequest.extend({ type: z.literal('power') }),
  z.strictObject({ type: z.literal('clear') }),
  z.strictObject({ type: z.literal('resend') }),
]);
export type SignCommand = z.infer<typeof signCommand>;
