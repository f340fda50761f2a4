/**
 * Whether a notice's LED text fits one packet of the sign's card. BX-5K/6K
 * font cards take at most 1 KB of data per packet (led-protocols.md §1.1.1);
 * the report describes no way to split one `A3 06` dynamic-area update over
 * several packets (only the file-transfer commands A1 05…0B, whose block
 * format it does not give), so text that does not fit is refused — at notice
 * time, by the check the editor and the review page show, not first when the
 * sign is due to show it. EQ frames have no documented limit. Each protocol's
 * limit and packet size come from its registry entry.
 */
import type { SignProfile } from '../protocol/signProfile.js';
import { ledProtocol } from './protocols.js';

/** The data bytes `text` needs on this sign (as laid out for it), and the card's limit; null without a documented limit. */
export function packetFit(text: string, profile: SignProfile): { bytes: number; max: number } | null {
  const protocol = ledProtocol(profile.protocol);
  const bytes = protocol.packetBytes(text, profile);
  return bytes === null || protocol.maxPacketBytes === null ? null : { bytes, max: protocol.maxPacketBytes };
}
