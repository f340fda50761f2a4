/**
 * Whether a notice's LED text fits one packet of the sign's card. BX-5K/6K
 * font cards take at most 1 KB of data per packet (led-protocols.md §1.1.1);
 * the report describes no way to split one `A3 06` dynamic-area update over
 * several packets (only the file-transfer commands A1 05…0B, whose block
 * format it does not give), so text that does not fit is refused — at notice
 * time, by the check the editor and the review page show, not first when the
 * sign is due to show it. EQ frames have no documented limit.
 */
import type { SignProfile } from '../protocol/signProfile.js';
import { isBxProtocol } from '../protocol/signProfile.js';
import { a306Options, bxTextRequest } from './bxDriver.js';
import { encodeBxRequest } from './bx/commands.js';
import { BX_MAX_DATA_LENGTH } from './bx/frame.js';

/** The A3 06 data bytes `text` needs on this sign (as laid out for it), and the card's limit; null for EQ. */
export function packetFit(text: string, profile: SignProfile): { bytes: number; max: number } | null {
  if (!isBxProtocol(profile.protocol)) return null;
  const content = { key: 'fit', text, layout: profile.layout, stayTimeSec: 4, speed: 4, colour: 'red' as const };
  const bytes = encodeBxRequest(bxTextRequest(content, profile, true), a306Options(profile)).length;
  return { bytes, max: BX_MAX_DATA_LENGTH };
}
