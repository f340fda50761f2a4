/**
 * What an emulated card is to the sign emulator (signEmulator.ts): it finds
 * its protocol's frames in the bytes that reach it and acts on them, on the
 * sign's state, through a host that owns the wire (wire.ts). One card per
 * protocol family: `bxCard.ts` (BX-5K/6K, answers every frame that asks) and
 * `eqCard.ts` (EQ2013-F / EQ2023 font cards, each generation in its own
 * dialect, never answering). Protocols name their card in the registry
 * (../protocols.ts).
 */
import type { BxClock } from '../bx/commands.js';
import type { A306Options } from '../bx/text.js';
import type { AreaView } from './render.js';
import type { EmulatorFaults } from './wire.js';

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

/** The sign around a card: its size and address, its state, and the wire back to the host. */
export interface CardHost {
  readonly address: number;
  readonly width: number;
  readonly height: number;
  now(): number;
  readonly st: EmulatorState;
  readonly counts: EmulatorStats;
  /** Faults the card consumes (drop, corrupt, busy); the wire applies the rest. */
  readonly faults: EmulatorFaults;
  record(dir: 'in' | 'out', raw: Buffer, decoded: string): void;
  /** Sends `frame` back after the card's processing time, once the wire is free; logged as `label` when it leaves. */
  reply(frame: Buffer, label: string): void;
}

/**
 * One frame (or unreadable stretch) the card found, `end` bytes into the
 * chunk, and what the card does with it once its last byte is in: `handle`
 * says whether the sign's state may have changed.
 */
export interface CardEvent {
  end: number;
  handle(): boolean;
}

export interface EmulatedCard {
  push(chunk: Buffer): CardEvent[];
}

/** What differs between cards of one protocol. */
export interface CardOptions {
  /** BX only: which A3 06 layout this card understands (a wrong one gets NACK 18). */
  a306: A306Options;
}

export type CardFactory = (host: CardHost, options: CardOptions) => EmulatedCard;
