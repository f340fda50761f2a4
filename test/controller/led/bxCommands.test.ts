import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type BxCommand,
  type BxRequest,
  clockOf,
  decodeBxRequest,
  encodeBxRequest,
  encodeClock,
} from '../../../controller/led/bx/commands.js';
import { defaultHeader, encodeBxFrame, hex } from '../../../controller/led/bx/frame.js';
import { type A306Options, type BxTextArea } from '../../../controller/led/bx/text.js';
import { charsetChars } from '../../../controller/protocol/ledText.js';

const GBK = [...charsetChars('gbk')];

describe('BX commands', () => {
  it('encodes the clock in BCD, year little-endian, weekday 1 = Monday', () => {
    // 2025-03-09 is a Sunday.
    expect(hex(encodeClock({ year: 2025, month: 3, day: 9, hour: 14, minute: 5, second: 0, weekday: 7 }))).toBe('25 20 03 09 14 05 00 07');
    // 2026-11-26 04:00 UTC is 12:00 Thursday in China.
    expect(clockOf(Date.UTC(2026, 10, 26, 4, 0, 0))).toEqual({
      year: 2026,
      month: 11,
      day: 26,
      hour: 12,
      minute: 0,
      second: 0,
      weekday: 4,
    });
  });

  it('refuses impossible clock fields and brightness levels, naming them', () => {
    expect(() => encodeClock({ year: 2025, month: 13, day: 1, hour: 0, minute: 0, second: 0, weekday: 1 })).toThrow(/month/);
    expect(() =>
      encodeBxRequest({
        command: { kind: 'brightness', mode: 'force', level: 16, table: new Array<number>(48).fill(1) },
        replyWanted: true,
      }),
    ).toThrow(/level/);
  });

  it('lays out on/off, brightness and the reply flag as documented', () => {
    expect(hex(encodeBxRequest({ command: { kind: 'power', on: false }, replyWanted: true }))).toBe('a3 00 01 00 00 02');
    const broadcast = encodeBxRequest({ command: { kind: 'power', on: true }, replyWanted: false });
    expect(hex(broadcast)).toBe('a3 00 02 00 00 01');
    const brightness = encodeBxRequest({
      command: { kind: 'brightness', mode: 'force', level: 7, table: new Array<number>(48).fill(7) },
      replyWanted: true,
    });
    expect(brightness.length).toBe(5 + 50);
    expect(hex(brightness.subarray(0, 7))).toBe('a3 02 01 00 00 01 07');
  });

  it('decodes ACK and NACK replies with their error code', () => {
    expect(decodeBxRequest(Uint8Array.of(0xa0, 0x00, 0x00, 0, 0)).command).toEqual({ kind: 'reply', ack: true, error: 0 });
    expect(decodeBxRequest(Uint8Array.of(0xa0, 0x01, 0x05, 0, 0)).command).toEqual({ kind: 'reply', ack: false, error: 5 });
  });

  it('lays out an A3 06 area with the area count (SDK layout) and without it (bx.k.java layout)', () => {
    const area: BxTextArea = {
      areaId: 0,
      x: 0,
      y: 0,
      width: 192,
      height: 32,
      lineSpacing: 0,
      runMode: 0,
      timeout: 0,
      singleLine: 2,
      newLine: 2,
      displayMode: 1,
      exitMode: 0,
      speed: 0,
      stayTime: 10,
      text: '公示',
    };
    const command: BxCommand = { kind: 'text', processMode: 1, deleteAreas: [], areas: [area] };
    const sdk = encodeBxRequest({ command, replyWanted: true }, { layout: 'with-area-count' });
    const java = encodeBxRequest({ command, replyWanted: true }, { layout: 'without-area-count' });
    // a3 06 01 01 00 | DeleteAreaNum 00 | AreaNum 01 | AreaDataLen 31: 27 fixed bytes + 4 of text
    expect(hex(sdk.subarray(0, 9))).toBe('a3 06 01 01 00 00 01 1f 00');
    // no AreaNum, one more reserved byte: the area is one byte longer and the total the same.
    expect(hex(java.subarray(0, 8))).toBe('a3 06 01 01 00 00 20 00');
    expect(sdk.length).toBe(java.length);
    // X and width in bytes of 8 px, Y and height in pixels: 192 px wide = 24 = 0x18.
    expect(hex(sdk.subarray(10, 18))).toBe('00 00 00 00 18 00 20 00');
    // DataLen u32 = 4, then GB2312 公示.
    expect(hex(sdk.subarray(-8))).toBe('04 00 00 00 b9 ab ca be');
    // A card reading the other layout misreads the frame and says so.
    expect(() => decodeBxRequest(java, { layout: 'with-area-count' })).toThrow(/layout|A3 06/);
  });

  it('counts X in pixels with the high bit when the profile says so', () => {
    const area: BxTextArea = {
      areaId: 1,
      x: 4,
      y: 0,
      width: 100,
      height: 16,
      lineSpacing: 0,
      runMode: 0,
      timeout: 0,
      singleLine: 1,
      newLine: 1,
      displayMode: 3,
      exitMode: 0,
      speed: 3,
      stayTime: 2,
      text: 'A',
    };
    const options: A306Options = { layout: 'with-area-count', xUnit: 'pixels' };
    const data = encodeBxRequest(
      { command: { kind: 'text', processMode: 0, deleteAreas: 'all', areas: [area] }, replyWanted: true },
      options,
    );
    expect(decodeBxRequest(data, options).command).toEqual({ kind: 'text', processMode: 0, deleteAreas: 'all', areas: [area] });
    expect(() => encodeBxRequest({ command: { kind: 'text', processMode: 0, deleteAreas: [], areas: [area] }, replyWanted: true })).toThrow(
      /multiple of 8/,
    );
  });
});

const gbText = fc
  .array(fc.oneof(fc.constantFrom(...GBK), fc.constantFrom('A', 'z', '0', ' ', '!', '~')), { maxLength: 120 })
  .map((a) => a.join(''));

const textArea = fc.record<BxTextArea>({
  areaId: fc.integer({ min: 0, max: 255 }),
  x: fc.integer({ min: 0, max: 64 }).map((n) => n * 8),
  y: fc.integer({ min: 0, max: 512 }),
  width: fc.integer({ min: 1, max: 512 }).map((n) => n * 8),
  height: fc.integer({ min: 1, max: 512 }),
  lineSpacing: fc.integer({ min: 0, max: 255 }),
  runMode: fc.integer({ min: 0, max: 5 }),
  timeout: fc.integer({ min: 0, max: 0xffff }),
  singleLine: fc.constantFrom(1 as const, 2 as const),
  newLine: fc.constantFrom(1 as const, 2 as const),
  displayMode: fc.integer({ min: 1, max: 6 }),
  exitMode: fc.integer({ min: 0, max: 255 }),
  speed: fc.integer({ min: 0, max: 0x18 }),
  stayTime: fc.integer({ min: 0, max: 255 }),
  text: gbText,
});

const request = fc.oneof(
  fc.constant<BxCommand>({ kind: 'ping' }),
  fc.constant<BxCommand>({ kind: 'clear' }),
  fc.boolean().map<BxCommand>((on) => ({ kind: 'power', on })),
  fc
    .record({
      level: fc.integer({ min: 0, max: 15 }),
      table: fc.array(fc.integer({ min: 0, max: 15 }), { minLength: 48, maxLength: 48 }),
      timed: fc.boolean(),
    })
    .map<BxCommand>(({ level, table, timed }) => ({ kind: 'brightness', mode: timed ? 'timed' : 'force', level, table })),
  fc
    .date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true })
    .map<BxCommand>((d) => ({ kind: 'clock', clock: clockOf(d.getTime()) })),
  fc
    .record({
      processMode: fc.integer({ min: 0, max: 1 }),
      deleteAreas: fc.oneof(fc.constant('all' as const), fc.array(fc.integer({ min: 0, max: 254 }), { maxLength: 4 })),
      areas: fc.array(textArea, { minLength: 1, maxLength: 3 }),
    })
    .map<BxCommand>((t) => ({ kind: 'text', ...t })),
);

describe('BX command round trip (property)', () => {
  it('decode(encode(request)) is the request, through a whole frame, for both A3 06 layouts', () => {
    fc.assert(
      fc.property(
        request,
        fc.boolean(),
        fc.constantFrom<A306Options['layout']>('with-area-count', 'without-area-count'),
        (command, replyWanted, layout) => {
          const options: A306Options = { layout };
          if (layout === 'without-area-count' && command.kind === 'text' && command.areas.length !== 1) {
            expect(() => encodeBxRequest({ command, replyWanted }, options)).toThrow(/exactly one area/);
            return;
          }
          const req: BxRequest = { command, replyWanted };
          const data = encodeBxRequest(req, options);
          const frame = encodeBxFrame({ header: defaultHeader(3), data });
          expect(frame.subarray(8, -1).includes(0x5a)).toBe(false);
          expect(decodeBxRequest(data, options)).toEqual(req);
        },
      ),
      { numRuns: 300 },
    );
  });
});
