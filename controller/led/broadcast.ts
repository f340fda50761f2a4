/**
 * Frames to every sign on one line at once (led-protocols.md §1.1.2, §1.2,
 * §8 risk 5): BX to screen 0xFFFE with reply flag 02, so that the cards on a
 * shared RS-485 bus do not all answer together; EQ to address 999. No answer
 * is expected, so delivery means the bytes left the port ("sent"). Used where
 * one frame does for all: the daily clock sync and a clear of the whole line.
 */
import { type BxRequest, clockOf, describeBxCommand, encodeBxRequest } from './bx/commands.js';
import { BX_BROADCAST_ADDRESS, defaultHeader, encodeBxFrame } from './bx/frame.js';
import { EQ_BROADCAST_ADDRESS, describeEqFrame, encodeEqFrame, eqCode } from './eq/codec.js';
import type { LinkResult, SerialLink } from './link.js';

export type BroadcastCommand = { kind: 'clock'; at: number } | { kind: 'clear' };

/** The unescaped BX data of a broadcast: the command with RtnReq 02 ("must not reply"). */
export function bxBroadcastFrame(command: BroadcastCommand): Buffer {
  const request: BxRequest =
    command.kind === 'clock'
      ? { command: { kind: 'clock', clock: clockOf(command.at) }, replyWanted: false }
      : { command: { kind: 'clear' }, replyWanted: false };
  return encodeBxFrame({ header: defaultHeader(BX_BROADCAST_ADDRESS), data: encodeBxRequest(request) });
}

/** Sends `command` to every BX card on the link; resolves once the bytes are on the wire. */
export function broadcastBx(link: SerialLink, command: BroadcastCommand): Promise<LinkResult> {
  const frame = bxBroadcastFrame(command);
  const describe = `broadcast ${describeBxCommand(command.kind === 'clock' ? { kind: 'clock', clock: clockOf(command.at) } : { kind: 'clear' })}`;
  return link.request({ frame, describe, replyFrom: null });
}

/** EQ has no clock command; a clear (delete every area) goes to address 999. */
export function broadcastEqClear(link: SerialLink): Promise<LinkResult> {
  const frame = { address: EQ_BROADCAST_ADDRESS, segments: [eqCode('ZD', 0)] };
  return link.request({ frame: encodeEqFrame(frame), describe: `broadcast ${describeEqFrame(frame)}`, replyFrom: null });
}
