/**
 * An emulated font-card sign: it decodes BX-5K/6K or EQ frames from any
 * duplex stream (an in-memory pair, a MockBinding wrapper, the far end of a
 * socat pty), keeps the sign's state, answers only when a frame asks for it,
 * and renders what the sign shows (led-protocols.md §6.2).
 *
 * Realism that tests need: optional wire time at a baud rate on both
 * directions (socat does not enforce baud), a processing delay, and faults —
 * drop the next N frames, corrupt the next frame (→ CRC NACK), answer busy,
 * answer too late, line noise before an answer, one-byte fragments, a reboot
 * that wipes the RAM areas, and unplugging.
 */
import type { Duplex } from 'node:stream';
import { type BxCommand, decodeBxRequest, describeBxCommand, encodeBxRequest, type BxClock } from '../bx/commands.js';
import { BX_BROADCAST_ADDRESS, BX_HOST_ADDRESS, defaultHeader, encodeBxFrame } from '../bx/frame.js';
import { BxFramer, type BxFramerEvent } from '../bx/framer.js';
import type { A306Options } from '../bx/text.js';
import { EQ_BROADCAST_ADDRESS, type EqFrame, EqFramer, describeEqFrame } from '../eq/codec.js';
import { BX_ERROR_BUSY, BX_ERROR_CRC } from '../errors.js';
import type { GlyphSource } from './font.js';
import { type AreaView, type Framebuffer, renderFrame, visibleText } from './render.js';

export type EmulatedProtocol = 'bx' | 'eq';

export interface SignEmulatorOptions {
  protocol: EmulatedProtocol;
  address: number;
  width: number;
  height: number;
  /** BX only: which A3 06 layout this card understands (a wrong one gets NACK 18). */
  a306?: A306Options;
  /** Emulate wire time at this baud (null = instant). */
  baudRate?: number | null;
  bitsPerChar?: number;
  /** Time the card takes to act on a frame before answering. */
  processingMs?: number;
  font?: GlyphSource | null;
  now?: () => number;
  /** How many frames `frameLog()` keeps, newest last (default 500). */
  logLimit?: number;
}

export interface EmulatorState {
  power: boolean;
  brightness: number;
  brightnessMode: 'force' | 'timed';
  /** Set by the last clock sync: the sign's clock then, and our time then. */
  clock: { set: BxClock; at: number } | null;
  areas: AreaView[];
  /** EQ colour code last seen. */
  colour: string | null;
  boots: number;
}

export interface EmulatorStats {
  framesReceived: number;
  framesForMe: number;
  acks: number;
  nacks: number;
  dropped: number;
  badFrames: number;
  commands: Record<string, number>;
}

export interface SignLogEntry {
  t: number;
  dir: 'in' | 'out';
  hex: string;
  decoded: string;
}

const BX_BAD_PARAMETER = 18;

/** Wire time is kept on the monotonic clock, to the microsecond: `Date.now()` would let an answer leave up to 1 ms early. */
const monotonic = () => performance.now();
const napCell = new Int32Array(new SharedArrayBuffer(4));

/** Blocks for the last fraction of a millisecond a timer cannot resolve (at most about 1 ms, without allocating). */
function sleepUntil(due: number): void {
  const rest = due - monotonic();
  if (rest > 0) Atomics.wait(napCell, 0, 0, rest);
}
const BX_NO_SUCH_COMMAND = 2;

export class SignEmulator {
  readonly options: Required<Omit<SignEmulatorOptions, 'font' | 'a306'>> & { a306: A306Options; font: GlyphSource | null };
  private readonly st: EmulatorState = {
    power: true,
    brightness: 15,
    brightnessMode: 'force',
    clock: null,
    areas: [],
    colour: null,
    boots: 0,
  };
  private readonly counts: EmulatorStats = { framesReceived: 0, framesForMe: 0, acks: 0, nacks: 0, dropped: 0, badFrames: 0, commands: {} };
  private readonly bxFramer = new BxFramer();
  private readonly eqFramer = new EqFramer();
  private readonly outputs = new Set<(bytes: Buffer) => void>();
  private readonly changeListeners = new Set<() => void>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly log: SignLogEntry[] = [];
  /**
   * While a scheduled handler runs: the monotonic time it was due, so the answer is timed from when the
   * frame's last byte arrived on the emulated wire, not from when the handler happened to run.
   */
  private due: number | null = null;
  private rxFreeAt = 0;
  private txFreeAt = 0;
  private offUntil = 0;
  private unplugged = false;
  private attached: { duplex: Duplex; onData: (chunk: Buffer) => void; off: () => void } | null = null;

  /** Faults; each counter is consumed by the frames addressed to this sign. */
  readonly faults = {
    drop: 0,
    corrupt: 0,
    busy: 0,
    delay: { count: 0, ms: 0 },
    /** Bytes sent before each answer (the host's framer must skip them). */
    noise: null as Buffer | null,
    /** Send answers one byte per write. */
    fragment: false,
  };

  constructor(options: SignEmulatorOptions) {
    this.options = {
      baudRate: null,
      bitsPerChar: 10,
      processingMs: 0,
      now: () => Date.now(),
      logLimit: 500,
      ...options,
      font: options.font ?? null,
      a306: options.a306 ?? { layout: 'with-area-count' },
    };
  }

  /** Listens on `duplex` and answers into it. */
  attach(duplex: Duplex): this {
    this.detach();
    const onData = (chunk: Buffer) => this.input(chunk);
    const off = this.onOutput((bytes) => {
      if (!duplex.destroyed && duplex.writable) duplex.write(bytes);
    });
    duplex.on('data', onData);
    this.attached = { duplex, onData, off };
    return this;
  }

  detach(): void {
    if (!this.attached) return;
    this.attached.duplex.off('data', this.attached.onData);
    this.attached.off();
    this.attached = null;
  }

  onOutput(listener: (bytes: Buffer) => void): () => void {
    this.outputs.add(listener);
    return () => this.outputs.delete(listener);
  }

  /** Called after every change of state (for the admin's live view and `waitFor`). */
  onChange(listener: () => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  /** Bytes from the host. */
  input(chunk: Buffer): void {
    if (this.unplugged) return;
    const now = monotonic();
    const start = Math.max(now, this.rxFreeAt);
    const events = this.options.protocol === 'bx' ? this.bxFramer.push(chunk) : this.eqFramer.push(chunk);
    this.rxFreeAt = start + this.wireMs(chunk.length);
    for (const event of events) {
      const readyAt = start + this.wireMs(event.end);
      this.later(readyAt - now, () =>
        this.options.protocol === 'bx' ? this.onBx(event as BxFramerEvent) : this.onEq(event as ReturnType<EqFramer['push']>[number]),
      );
    }
  }

  state(): Readonly<EmulatorState> {
    return this.st;
  }

  stats(): Readonly<EmulatorStats> {
    return this.counts;
  }

  frameLog(): readonly SignLogEntry[] {
    return this.log;
  }

  /** The sign's wall clock now, if it was ever set. */
  clockNow(): number | null {
    const c = this.st.clock;
    if (!c) return null;
    const { set } = c;
    return Date.UTC(set.year, set.month - 1, set.day, set.hour, set.minute, set.second) + (this.options.now() - c.at);
  }

  /** Text on screen at `t`, per area: what a person would read. */
  visible(t = this.options.now()): string[] {
    if (!this.st.power) return [];
    return this.st.areas.flatMap((a) => visibleText(a, t));
  }

  /** The whole text each area holds. */
  texts(): string[] {
    return this.st.areas.map((a) => a.text);
  }

  /** The framebuffer at `t`, or null without a font (then use {@link visible}). */
  frameAt(t = this.options.now()): Framebuffer | null {
    const font = this.options.font;
    if (!font) return null;
    return renderFrame({ width: this.options.width, height: this.options.height, areas: this.st.areas, power: this.st.power }, font, t);
  }

  /** Power cut: RAM areas vanish; the card ignores the line for `offMs`. */
  reboot(offMs = 0): void {
    this.st.areas = [];
    this.st.power = true;
    this.st.boots++;
    this.offUntil = this.options.now() + offMs;
    this.changed();
  }

  /** Stops listening and answering (the cable is out). */
  unplug(): void {
    this.unplugged = true;
    this.detach();
    this.cancelTimers();
  }

  plug(duplex?: Duplex): void {
    this.unplugged = false;
    if (duplex) this.attach(duplex);
  }

  /** Resolves once `predicate` holds (checked on every change), or rejects after `timeoutMs`. */
  waitFor(predicate: (emu: this) => boolean, timeoutMs = 5000): Promise<void> {
    if (predicate(this)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new Error(`sign ${this.options.address}: condition not met within ${timeoutMs} ms; holds ${JSON.stringify(this.texts())}`));
      }, timeoutMs);
      const off = this.onChange(() => {
        if (!predicate(this)) return;
        clearTimeout(timer);
        off();
        resolve();
      });
    });
  }

  dispose(): void {
    this.detach();
    this.cancelTimers();
    this.outputs.clear();
    this.changeListeners.clear();
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

  private cancelTimers(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private changed(): void {
    for (const listener of this.changeListeners) listener();
  }

  private record(dir: 'in' | 'out', raw: Buffer, decoded: string): void {
    this.log.push({ t: this.options.now(), dir, hex: raw.toString('hex'), decoded });
    if (this.log.length > this.options.logLimit) this.log.shift();
  }

  private isOff(): boolean {
    return this.options.now() < this.offUntil;
  }

  private onBx(event: BxFramerEvent): void {
    if (event.kind === 'noise' || this.unplugged || this.isOff()) return;
    this.counts.framesReceived++;
    if (event.kind === 'error') {
      this.counts.badFrames++;
      const header = event.header;
      this.record('in', event.raw, `bad frame (${event.reason})`);
      // A CRC failure can be answered to its sender; anything else is unreadable.
      if (event.reason === 'crc' && header && header.dst === this.options.address) this.answer(false, BX_ERROR_CRC);
      return;
    }
    const { header, data } = event.frame;
    if (header.src === this.options.address || (header.dst !== this.options.address && header.dst !== BX_BROADCAST_ADDRESS)) return;
    this.counts.framesForMe++;
    if (this.faults.drop > 0) {
      this.faults.drop--;
      this.counts.dropped++;
      this.record('in', event.raw, 'dropped (fault)');
      return;
    }
    let decoded: ReturnType<typeof decodeBxRequest>;
    try {
      decoded = decodeBxRequest(data, this.options.a306);
    } catch (error) {
      this.record('in', event.raw, `undecodable: ${String(error)}`);
      if (data[2] === 0x01) this.answer(false, BX_BAD_PARAMETER);
      return;
    }
    const { command, replyWanted } = decoded;
    this.record('in', event.raw, describeBxCommand(command));
    if (this.faults.corrupt > 0) {
      this.faults.corrupt--;
      this.counts.badFrames++;
      this.answer(false, BX_ERROR_CRC);
      return;
    }
    if (this.faults.busy > 0) {
      this.faults.busy--;
      if (replyWanted) this.answer(false, BX_ERROR_BUSY);
      return;
    }
    const ok = this.apply(command);
    this.counts.commands[command.kind] = (this.counts.commands[command.kind] ?? 0) + 1;
    if (replyWanted) this.answer(ok, ok ? 0 : BX_NO_SUCH_COMMAND);
    this.changed();
  }

  private apply(command: BxCommand): boolean {
    const now = this.options.now();
    switch (command.kind) {
      case 'ping':
        return true;
      case 'clock':
        this.st.clock = { set: command.clock, at: now };
        return true;
      case 'power':
        this.st.power = command.on;
        return true;
      case 'brightness':
        this.st.brightness = command.level;
        this.st.brightnessMode = command.mode;
        return true;
      case 'clear':
        this.st.areas = [];
        return true;
      case 'text': {
        const keep = command.deleteAreas === 'all' ? [] : this.st.areas.filter((a) => !(command.deleteAreas as number[]).includes(a.id));
        const updated: AreaView[] = command.areas.map((a) => ({
          id: a.areaId,
          x: a.x,
          y: a.y,
          width: Math.min(a.width, this.options.width - a.x),
          height: Math.min(a.height, this.options.height - a.y),
          text: a.text,
          layout: a.displayMode >= 3 && a.singleLine === 1 ? 'scroll' : 'pages',
          stayMs: Math.max(1, a.stayTime) * 500,
          pxMs: (a.speed + 1) * 8,
          updatedAt: now,
        }));
        this.st.areas = [...keep.filter((k) => !updated.some((u) => u.id === k.id)), ...updated].sort((x, y) => x.id - y.id);
        return true;
      }
      case 'reply':
      case 'unknown':
        return false;
    }
  }

  private answer(ack: boolean, error: number): void {
    if (ack) this.counts.acks++;
    else this.counts.nacks++;
    const data = encodeBxRequest({ command: { kind: 'reply', ack, error }, replyWanted: false });
    const frame = encodeBxFrame({ header: { ...defaultHeader(BX_HOST_ADDRESS), src: this.options.address }, data });
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
      this.record('out', frame, ack ? 'ACK' : `NACK ${error}`);
      this.send(bytes);
    });
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

  private onEq(event: ReturnType<EqFramer['push']>[number]): void {
    if (this.unplugged || this.isOff()) return;
    this.counts.framesReceived++;
    if (event.kind === 'error') {
      this.counts.badFrames++;
      this.record('in', event.raw, `bad frame (${event.reason})`);
      return;
    }
    const frame = event.frame;
    if (frame.address !== this.options.address && frame.address !== EQ_BROADCAST_ADDRESS) return;
    this.counts.framesForMe++;
    if (this.faults.drop > 0) {
      this.faults.drop--;
      this.counts.dropped++;
      return;
    }
    this.record('in', event.raw, describeEqFrame(frame));
    this.applyEq(frame);
    this.counts.commands.eq = (this.counts.commands.eq ?? 0) + 1;
    this.changed();
  }

  private applyEq(frame: EqFrame): void {
    const now = this.options.now();
    let area: AreaView | null = null;
    const full = (id: number): AreaView => ({
      id,
      x: 0,
      y: 0,
      width: this.options.width,
      height: this.options.height,
      text: '',
      layout: 'pages',
      stayMs: 3000,
      pxMs: 40,
      updatedAt: now,
    });
    const select = (id: number): AreaView => {
      const found = this.st.areas.find((a) => a.id === id);
      if (found) return found;
      const created = full(id);
      this.st.areas.push(created);
      return created;
    };
    let wroteText = false;
    for (const s of frame.segments) {
      if (s.type === 'text') {
        area ??= select(1);
        area.text = wroteText ? area.text + s.text : s.text;
        area.updatedAt = now;
        wroteText = true;
        continue;
      }
      const v = Number(s.value);
      switch (s.code) {
        case 'ZD':
          this.st.areas = v === 0 ? [] : this.st.areas.filter((a) => a.id !== v);
          area = null;
          break;
        case 'ZI':
          area = select(v);
          wroteText = false;
          break;
        case 'ZC': {
          area ??= select(1);
          const [x, y, w, h] = [0, 4, 8, 12].map((o) => Number(s.value.slice(o, o + 4)));
          Object.assign(area, { x: x ?? 0, y: y ?? 0, width: w ?? this.options.width, height: h ?? this.options.height });
          break;
        }
        case 'ZA':
          area ??= select(1);
          area.layout = v >= 49 ? 'scroll' : 'pages';
          break;
        case 'ZS':
          area ??= select(1);
          area.pxMs = Math.max(1, v) * 4;
          break;
        case 'ZH':
          area ??= select(1);
          area.stayMs = Math.max(1, v) * 100;
          break;
        case 'C':
        case '':
          this.st.colour = s.value;
          break;
        case 'F':
        case 'AH':
        case 'AV':
        case 'ZF':
          break;
      }
    }
  }
}

/**
 * Several emulated signs on one line (RS-485 multi-drop): every sign hears the
 * host; answers are merged back onto the line.
 */
export function attachBus(duplex: Duplex, signs: readonly SignEmulator[]): () => void {
  const onData = (chunk: Buffer) => {
    for (const sign of signs) sign.input(chunk);
  };
  duplex.on('data', onData);
  const offs = signs.map((sign) =>
    sign.onOutput((bytes) => {
      if (!duplex.destroyed && duplex.writable) duplex.write(bytes);
    }),
  );
  return () => {
    duplex.off('data', onData);
    for (const off of offs) off();
  };
}
