/**
 * Streaming BX framer: bytes in, frames (or reasons a frame was dropped) out.
 * Never throws. A receiver treats any A5 as the start of a frame and skips
 * further A5s (Onbon doc §2); a frame ends at 5A, which escaping keeps out of
 * the body. An A5 inside a body means the previous frame was cut off: it is
 * reported as truncated and a new frame starts.
 */
import { Transform, type TransformCallback } from 'node:stream';
import { BX_END_BYTE, BX_MAX_DATA_LENGTH, BX_PREAMBLE_BYTE, type BxFrame, BxFrameError, type BxHeader, decodeBxBody } from './frame.js';

export type BxFramerEvent =
  | { kind: 'frame'; frame: BxFrame; raw: Buffer; end: number }
  | {
      kind: 'error';
      reason: 'escape' | 'short' | 'length' | 'crc' | 'truncated' | 'too-long';
      header: BxHeader | null;
      raw: Buffer;
      end: number;
    }
  | { kind: 'noise'; bytes: number; end: number };

/** Escaped bodies longer than this cannot be a frame we or a card would send: drop and resync. */
export const BX_MAX_ESCAPED_BODY = 2 * (BX_MAX_DATA_LENGTH + 64);

type State = 'hunt' | 'preamble' | 'body';

/**
 * @example
 * const framer = new BxFramer();
 * for (const event of framer.push(chunk)) if (event.kind === 'frame') handle(event.frame);
 */
export class BxFramer {
  private state: State = 'hunt';
  private body: number[] = [];
  private preamble = 0;
  private noise = 0;

  constructor(private readonly maxBody = BX_MAX_ESCAPED_BODY) {}

  /** Feeds bytes; `end` in each event is the index in `chunk` just after the byte that completed it. */
  push(chunk: Uint8Array): BxFramerEvent[] {
    const events: BxFramerEvent[] = [];
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i] ?? 0;
      switch (this.state) {
        case 'hunt':
          if (byte === BX_PREAMBLE_BYTE) {
            this.flushNoise(events, i);
            this.state = 'preamble';
            this.preamble = 1;
          } else {
            this.noise++;
          }
          break;
        case 'preamble':
          if (byte === BX_PREAMBLE_BYTE) {
            this.preamble++;
          } else if (byte === BX_END_BYTE) {
            this.state = 'hunt';
            this.noise += this.preamble + 1;
          } else {
            this.state = 'body';
            this.body = [byte];
          }
          break;
        case 'body':
          if (byte === BX_PREAMBLE_BYTE) {
            events.push({ kind: 'error', reason: 'truncated', header: null, raw: this.raw(), end: i });
            this.state = 'preamble';
            this.preamble = 1;
          } else if (byte === BX_END_BYTE) {
            events.push(this.finish(i + 1));
            this.state = 'hunt';
          } else if (this.body.length >= this.maxBody) {
            events.push({ kind: 'error', reason: 'too-long', header: null, raw: this.raw(), end: i + 1 });
            this.state = 'hunt';
          } else {
            this.body.push(byte);
          }
          break;
      }
    }
    this.flushNoise(events, chunk.length);
    return events;
  }

  /** True when a frame has started and not ended. */
  get midFrame(): boolean {
    return this.state !== 'hunt';
  }

  private flushNoise(events: BxFramerEvent[], end: number): void {
    if (this.noise > 0 && this.state === 'hunt') {
      events.push({ kind: 'noise', bytes: this.noise, end });
      this.noise = 0;
    }
  }

  private raw(): Buffer {
    return Buffer.concat([Buffer.alloc(this.preamble, BX_PREAMBLE_BYTE), Buffer.from(this.body)]);
  }

  private finish(end: number): BxFramerEvent {
    const raw = Buffer.concat([this.raw(), Buffer.of(BX_END_BYTE)]);
    try {
      return { kind: 'frame', frame: decodeBxBody(Uint8Array.from(this.body)), raw, end };
    } catch (error) {
      if (error instanceof BxFrameError) return { kind: 'error', reason: error.reason, header: error.header, raw, end };
      return { kind: 'error', reason: 'short', header: null, raw, end };
    }
  }
}

/** The framer as an object-mode Transform: bytes in, {@link BxFramerEvent}s out. */
export function createBxFrameStream(): Transform {
  const framer = new BxFramer();
  return new Transform({
    readableObjectMode: true,
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      for (const event of framer.push(chunk)) this.push(event);
      callback();
    },
  });
}
