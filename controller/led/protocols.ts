/**
 * The LED protocols Gongshi speaks, one entry each: how its driver is made,
 * how the link reads what its signs send back, its emulated card, the most
 * one packet may carry and what its cards can do. Everything that differs by
 * protocol is found here (the fleet, the packet check, the shared-line clock
 * sync, the emulator), so a third protocol is one folder under `led/` plus
 * one entry below — in the manner of zigbee-herdsman's adapter factory.
 */
import type { SignDriver } from '../domain/signs.js';
import type { Logger } from '../logger.js';
import type { CardFactory } from './emulator/card.js';
import type { SignProfile, SignProtocolName } from '../protocol/signProfile.js';
import { BX_PROTOCOLS } from './bx/protocol.js';
import { EQ_PROTOCOLS } from './eq/protocol.js';
import type { AnswerReader, LinkResult, SerialLink } from './link.js';

/** A driver as the fleet runs it: the domain's port plus a way to stop its timers. */
export type LedDriver = SignDriver & { stop(): void };

export interface DriverTimings {
  /** Ping period while the link is up (0 = off); acknowledging protocols only. */
  healthIntervalMs: number;
  /** Re-send the desired content this often while the link is up (0 = off): the bound on an unseen reboot. */
  contentCheckMs: number;
  /** Re-send period for protocols without an answer (0 = off). */
  refreshMs: number;
}

export interface ProtocolDriverDeps {
  profile: SignProfile;
  link: SerialLink;
  logger: Logger;
  now: () => number;
  timings: DriverTimings;
}

export interface LedCapabilities {
  /** The card answers each frame (proof "acknowledged"); otherwise delivery is "sent". */
  acknowledges: boolean;
  brightness: boolean;
  power: boolean;
  clock: boolean;
}

export interface LedProtocol {
  readonly name: SignProtocolName;
  /** As staff know the card, e.g. "BX-5K". */
  readonly label: string;
  /** Signs of one family share a line's framing; a line carries one family. */
  readonly family: 'bx' | 'eq';
  readonly capabilities: LedCapabilities;
  /** The address every card on a line listens to; never asked for an answer. */
  readonly broadcastAddress: number;
  /** Reads the cards' answers for the link; null when the protocol never answers. */
  readonly answers: (() => AnswerReader) | null;
  /** The most data bytes one packet may carry, or null when the protocol documents none. */
  readonly maxPacketBytes: number | null;
  /** The data bytes `text` takes on this sign as laid out for it (for the packet check), or null without a limit. */
  packetBytes(text: string, profile: SignProfile): number | null;
  createDriver(deps: ProtocolDriverDeps): LedDriver;
  /** The card the sign emulator plays for this protocol (emulator/card.ts). */
  readonly emulatorCard: CardFactory;
  /** One frame that sets the clock of every card on the line (no answer asked), or null. */
  broadcastClock: ((link: SerialLink, at: number) => Promise<LinkResult>) | null;
}

export const LED_PROTOCOLS: Readonly<Record<SignProtocolName, LedProtocol>> = { ...BX_PROTOCOLS, ...EQ_PROTOCOLS };

/**
 * @example
 * ledProtocol('bx5k').capabilities.acknowledges; // true
 */
export function ledProtocol(name: SignProtocolName): LedProtocol {
  return LED_PROTOCOLS[name];
}
