import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeBxRequest } from '../../../controller/led/bx/commands.js';
import { type BxFrame, defaultHeader, encodeBxFrame } from '../../../controller/led/bx/frame.js';
import { BxFramer, type BxFramerEvent, createBxFrameStream } from '../../../controller/led/bx/framer.js';
import { EqFramer, encodeEqFrame, eqCode } from '../../../controller/led/eq/codec.js';

const frameOf = (dst: number, data: Uint8Array): Buffer => encodeBxFrame({ header: defaultHeader(dst), data });
const frames = (events: BxFramerEvent[]): BxFrame[] => events.flatMap((e) => (e.kind === 'frame' ? [e.frame] : []));

/** Feeds `wire` in pieces cut at `cuts` (sorted offsets). */
function feed(framer: BxFramer, wire: Buffer, cuts: number[]): BxFramerEvent[] {
  const points = [...new Set(cuts.map((c) => c % (wire.length + 1)))].sort((a, b) => a - b);
  const events: BxFramerEvent[] = [];
  let from = 0;
  for (const to of [...points, wire.length]) {
    events.push(...framer.push(wire.subarray(from, to)));
    from = to;
  }
  return events;
}

const payload = fc
  .array(fc.oneof(fc.constantFrom(0xa5, 0xa6, 0x5a, 0x5b), fc.integer({ min: 0, max: 255 })), { maxLength: 200 })
  .map((a) => Uint8Array.from(a));

describe('BX framer', () => {
  it('finds every frame however the bytes are split (property)', () => {
    fc.assert(
      fc.property(fc.array(payload, { minLength: 1, maxLength: 5 }), fc.array(fc.nat(), { maxLength: 40 }), (datas, cuts) => {
        const wire = Buffer.concat(datas.map((d, i) => frameOf(i + 1, d)));
        const found = frames(feed(new BxFramer(), wire, cuts));
        expect(found.map((f) => f.header.dst)).toEqual(datas.map((_, i) => i + 1));
        found.forEach((f, i) => expect(Buffer.from(f.data).equals(Buffer.from(datas[i] ?? [])), `frame ${i}`).toBe(true));
      }),
      { numRuns: 200 },
    );
  });

  it('never throws on random bytes, and finds the next good frame after them (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), payload, fc.array(fc.nat(), { maxLength: 20 }), (garbage, data, cuts) => {
        const framer = new BxFramer();
        const events = feed(framer, Buffer.concat([Buffer.from(garbage), frameOf(7, data)]), cuts);
        const found = frames(events);
        // Garbage may itself contain a valid-looking frame only by a 1-in-65536 CRC accident; the good frame is the last.
        expect(found.at(-1)?.header.dst).toBe(7);
        expect(Buffer.from(found.at(-1)?.data ?? []).equals(Buffer.from(data))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('reports a frame cut off by the next preamble as truncated and decodes the next one', () => {
    const first = frameOf(1, encodeBxRequest({ command: { kind: 'ping' }, replyWanted: true }));
    const second = frameOf(2, encodeBxRequest({ command: { kind: 'clear' }, replyWanted: true }));
    const events = new BxFramer().push(Buffer.concat([first.subarray(0, first.length - 6), second]));
    expect(events.map((e) => e.kind)).toEqual(['error', 'frame']);
    expect(events[0]).toMatchObject({ kind: 'error', reason: 'truncated' });
    expect(frames(events)[0]?.header.dst).toBe(2);
  });

  it('reports a corrupted frame as a CRC error with its header, so a card can NACK its sender', () => {
    const wire = frameOf(9, Uint8Array.of(0xa2, 0x00, 0x01, 0x00, 0x00));
    wire[wire.length - 4] = wire[wire.length - 4]! ^ 0x01; // a data byte
    const [event] = new BxFramer().push(wire);
    expect(event).toMatchObject({ kind: 'error', reason: 'crc', header: { dst: 9 } });
  });

  it('drops an endless body and resynchronises', () => {
    const framer = new BxFramer(64);
    const events = framer.push(
      Buffer.concat([Buffer.from([0xa5, 0xa5]), Buffer.alloc(200, 0x11), frameOf(3, Uint8Array.of(1, 2, 3, 4, 5))]),
    );
    expect(events.some((e) => e.kind === 'error' && e.reason === 'too-long')).toBe(true);
    expect(frames(events)[0]?.header.dst).toBe(3);
  });

  it('works as a Transform stream with one-byte chunks', async () => {
    const wire = Buffer.concat([Buffer.from('noise'), frameOf(4, Uint8Array.of(0xa5, 0x5a)), frameOf(5, Uint8Array.of(0x5b))]);
    const events: BxFramerEvent[] = [];
    await new Promise<void>((resolve, reject) => {
      Readable.from([...wire].map((b) => Buffer.of(b)))
        .pipe(createBxFrameStream())
        .on('data', (e: BxFramerEvent) => events.push(e))
        .on('end', resolve)
        .on('error', reject);
    });
    expect(frames(events).map((f) => [f.header.dst, [...f.data]])).toEqual([
      [4, [0xa5, 0x5a]],
      [5, [0x5b]],
    ]);
  });
});

describe('EQ framer', () => {
  const frame = encodeEqFrame({ address: 12, segments: [eqCode('C', 2), { type: 'text', text: '村委会通知 ABC' }] });

  it('finds frames in noise however split, and never throws (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.array(fc.nat(), { maxLength: 20 }), (garbage, cuts) => {
        const framer = new EqFramer();
        const wire = Buffer.concat([Buffer.from(garbage), Buffer.from('$$'), frame]);
        const points = [...new Set(cuts.map((c) => c % (wire.length + 1)))].sort((a, b) => a - b);
        const found: string[] = [];
        let from = 0;
        for (const to of [...points, wire.length]) {
          for (const e of framer.push(wire.subarray(from, to))) if (e.kind === 'frame') found.push(JSON.stringify(e.frame));
          from = to;
        }
        expect(found.at(-1)).toBe(
          JSON.stringify({
            address: 12,
            segments: [
              { type: 'code', code: 'C', value: '2' },
              { type: 'text', text: '村委会通知 ABC' },
            ],
          }),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('restarts at a new !# when a frame was cut off', () => {
    const events = new EqFramer().push(Buffer.concat([frame.subarray(0, 12), frame]));
    expect(events.map((e) => e.kind)).toEqual(['error', 'frame']);
  });
});
