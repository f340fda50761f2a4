/** The Onbon BX-5K/6K font cards in the protocol registry (see ../protocols.ts). */
import type { SignProfile } from '../../protocol/signProfile.js';
import { broadcastBx } from '../broadcast.js';
import { a306Options, bxTextRequest, createBxDriver } from '../bxDriver.js';
import { createBxCard } from '../emulator/bxCard.js';
import type { LedProtocol } from '../protocols.js';
import { createBxAnswerReader } from './answers.js';
import { encodeBxRequest } from './commands.js';
import { BX_BROADCAST_ADDRESS, BX_MAX_DATA_LENGTH } from './frame.js';

/** The A3 06 data bytes `text` needs on this sign, as laid out for it. */
function a306Bytes(text: string, profile: SignProfile): number {
  const content = { key: 'fit', text, layout: profile.layout, stayTimeSec: 4, speed: 4, colour: 'red' as const };
  return encodeBxRequest(bxTextRequest(content, profile, true), a306Options(profile)).length;
}

const bx = (name: 'bx5k' | 'bx6k', label: string): LedProtocol => ({
  name,
  label,
  family: 'bx',
  capabilities: { acknowledges: true, brightness: true, power: true, clock: true },
  broadcastAddress: BX_BROADCAST_ADDRESS,
  answers: createBxAnswerReader,
  maxPacketBytes: BX_MAX_DATA_LENGTH,
  packetBytes: a306Bytes,
  createDriver: ({ timings, ...deps }) =>
    createBxDriver({ ...deps, healthIntervalMs: timings.healthIntervalMs, contentCheckMs: timings.contentCheckMs }),
  emulatorCard: createBxCard,
  broadcastClock: (link, at) => broadcastBx(link, { kind: 'clock', at }),
});

export const BX_PROTOCOLS = { bx5k: bx('bx5k', 'BX-5K'), bx6k: bx('bx6k', 'BX-6K') } as const;
