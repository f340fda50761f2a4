/**
 * An emulated font-card sign: it decodes a protocol's frames from any duplex
 * stream (an in-memory pair, a MockBinding wrapper, the far end of a socat
 * pty), keeps the sign's state, answers only when a frame asks for it, and
 * renders what the sign shows (led-protocols.md §6.2).
 *
 * Three parts: the wire (wire.ts: wire time at a baud rate on both
 * directions, the processing delay, faults), the card, which is the
 * protocol's (card.ts; the registry in ../protocols.ts names each protocol's
 * card: bxCard.ts, eqCard.ts), and this sign around them, which holds the
 * state, the frame log, power and reboots, and what is on screen.
 *
 * Faults tests use: drop the next N frames, corrupt the next frame (→ CRC
 * NACK), answer busy, answer too late, line noise before an answer, one-byte
 * fragments, a reboot that wipes the RAM areas, and unplugging.
 */
import type { Duplex } from 'node:stream';
import type { SignProtocolName } from '../../protocol/signProfile.js';
import type { A306Options } from '../bx/text.js';
import { ledProtocol } from '../protocols.js';
import type { CardHost, EmulatedCard, EmulatorState, EmulatorStats, SignLogEntry } from './card.js';
import type { GlyphSource } from './font.js';
import { type Framebuffer, renderFrame, visibleText } from './render.js';
import { EmulatorWire } from './wire.js';

export type { EmulatorState, EmulatorStats, SignLogEntry } from './card.js';

/** A protocol by name, or a family by its first card (`bx` is a BX-5K, `eq` an EQ2013-F). */
export type EmulatedProtocol = SignProtocolName | 'bx' | 'eq';

const FAMILY_CARD: Record<'bx' | 'eq', SignProtocolName> = { bx: 'bx5k', eq: 'eq2013' };

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
  private readonly wire: EmulatorWire;
  private readonly card: EmulatedCard;
  private readonly changeListeners = new Set<() => void>();
  private readonly log: SignLogEntry[] = [];
  private offUntil = 0;
  private attached: { duplex: Duplex; onData: (chunk: Buffer) => void; off: () => void } | null = null;

  /** Faults; each counter is consumed by the frames addressed to this sign. */
  readonly faults: EmulatorWire['faults'];

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
    this.wire = new EmulatorWire(this.options);
    this.faults = this.wire.faults;
    const name = options.protocol === 'bx' || options.protocol === 'eq' ? FAMILY_CARD[options.protocol] : options.protocol;
    const host: CardHost = {
      address: this.options.address,
      width: this.options.width,
      height: this.options.height,
      now: () => this.options.now(),
      st: this.st,
      counts: this.counts,
      faults: this.faults,
      record: (dir, raw, decoded) => this.record(dir, raw, decoded),
      reply: (frame, label) => this.wire.reply(frame, () => this.record('out', frame, label)),
    };
    this.card = ledProtocol(name).emulatorCard(host, { a306: this.options.a306 });
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
    return this.wire.onOutput(listener);
  }

  /** Called after every change of state (for the admin's live view and `waitFor`). */
  onChange(listener: () => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  /** Bytes from the host. */
  input(chunk: Buffer): void {
    if (this.wire.unplugged) return;
    this.wire.receive(chunk.length, this.card.push(chunk), (event) => {
      if (this.wire.unplugged || this.isOff()) return;
      if (event.handle()) this.changed();
    });
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
    this.wire.unplugged = true;
    this.detach();
    this.wire.cancelTimers();
  }

  plug(duplex?: Duplex): void {
    this.wire.unplugged = false;
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
    this.wire.cancelTimers();
    this.wire.clearOutputs();
    this.changeListeners.clear();
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
