/**
 * The emulated sign's side of the wire: wire time at a baud rate in both
 * directions (socat does not enforce baud), the card's processing delay, and
 * the faults of a real line — an answer too late, line noise before an
 * answer, one-byte fragments, unplugging. The card (card.ts) decides what to
 * answer; this decides when the bytes leave.
 */
import type { CardEvent } from './card.js';

/** Faults; each counter is consumed by the frames addressed to this sign. */
export interface EmulatorFaults {
  drop: number;
  corrupt: number;
  busy: number;
  delay: { count: number; ms: number };
  /** Bytes sent before each answer (the host's framer must skip them). */
  noise: Buffer | null;
  /** Send answers one byte per write. */
  fragment: boolean;
}

export interface WireOptions {
  /** Emulate wire time at this baud (null = instant). */
  baudRate: number | null;
  bitsPerChar: number;
  /** Time the card takes to act on a frame before answering. */
  processingMs: number;
}

/** Wire time is kept on the monotonic clock, to the microsecond: `Date.now()` would let an answer leave up to 1 ms early. */
const monotonic = () => performance.now();
const napCell = new Int32Array(new SharedArrayBuffer(4));

/** Blocks for the last fraction of a millisecond a timer cannot resolve (at most about 1 ms, without allocating). */
function sleepUntil(due: number): void {
  const rest = due - monotonic();
  if (rest > 0) Atomics.wait(napCell, 0, 0, rest);
}

export class EmulatorWire {
  readonly faults: EmulatorFaults = { drop: 0, corrupt: 0, busy: 0, delay: { count: 0, ms: 0 }, noise: null, fragment: false };
  /** The cable is out: nothing is heard or sent. */
  unplugged = false;
  private readonly outputs = new Set<(bytes: Buffer) => void>();
  private readonly timers = new Set<NodeJS.Timeout>();
  /**
   * While a scheduled handler runs: the monotonic time it was due, so the answer is timed from when the
   * frame's last byte arrived on the emulated wire, not from when the handler happened to run.
   */
  private due: number | null = null;
  private rxFreeAt = 0;
  private txFreeAt = 0;

  constructor(private readonly options: WireOptions) {}

  onOutput(listener: (bytes: Buffer) => void): () => void {
    this.outputs.add(listener);
    return () => this.outputs.delete(listener);
  }

  /** A chunk from the host of `length` bytes, in which the card found `events`: each is handled when its last byte is in. */
  receive(length: number, events: readonly CardEvent[], handle: (event: CardEvent) => void): void {
    const now = monotonic();
    const start = Math.max(now, this.rxFreeAt);
    this.rxFreeAt = start + this.wireMs(length);
    for (const event of events) {
      const readyAt = start + this.wireMs(event.end);
      this.later(readyAt - now, () => handle(event));
    }
  }

  /** Sends `frame` (after any noise fault) once the card has processed and the line is free; `onLeave` runs as it leaves. */
  reply(frame: Buffer, onLeave: () => void): void {
    const noise = this.faults.noise;
    const bytes = noise ? Buffer.concat([noise, frame]) : frame;
    let delay = this.options.processingMs;
    if (this.faults.delay.count > 0) {
      this.faults.delay.count--;
      delay += this.faults.delay.ms;
    }
    const now = monotonic();
    const start = Math.max((this.due ?? now) + delay, this.txFreeAt);
    this.txFreeAt = start + this.wireMs(bytes.length);
    this.later(this.txFreeAt - now, () => {
      if (this.unplugged) return;
      onLeave();
      this.send(bytes);
    });
  }

  cancelTimers(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  clearOutputs(): void {
    this.outputs.clear();
  }

  private wireMs(bytes: number): number {
    const baud = this.options.baudRate;
    return baud ? (bytes * this.options.bitsPerChar * 1000) / baud : 0;
  }

  /**
   * Runs `fn` `ms` from now on the monotonic clock, neither early nor late by a timer's millisecond
   * granularity: a timer wakes up to a millisecond before, and the rest (under a millisecond) is slept
   * synchronously. Without wire-time emulation (no baud) and no delay, `fn` runs at once.
   */
  private later(ms: number, fn: () => void): void {
    if (ms <= 0 && !this.options.baudRate) {
      fn();
      return;
    }
    const due = monotonic() + Math.max(0, ms);
    const timer = setTimeout(
      () => {
        this.timers.delete(timer);
        sleepUntil(due);
        const outer = this.due;
        this.due = due;
        try {
          fn();
        } finally {
          this.due = outer;
        }
      },
      Math.max(0, ms - 1),
    );
    this.timers.add(timer);
  }

  private send(bytes: Buffer): void {
    if (!this.faults.fragment) {
      for (const out of this.outputs) out(bytes);
      return;
    }
    let i = 0;
    const next = () => {
      if (i >= bytes.length || this.unplugged) return;
      const one = bytes.subarray(i, i + 1);
      i++;
      for (const out of this.outputs) out(one);
      this.later(1, next);
    };
    next();
  }
}
