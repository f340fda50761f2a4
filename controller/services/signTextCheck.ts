/**
 * A notice's LED text against the fonts of the signs it targets (the signs of
 * its villages, or every sign for the whole town): each character a sign
 * cannot show, by position, and whether the text fits one packet of the card.
 */
import { packetFit } from '../led/fit.js';
import { type NoticeTarget, unsupportedChars } from '../protocol/index.js';
import type { SignProfile, SignTextCheck } from '../protocol/signProfile.js';

export function checkSignText(profiles: readonly SignProfile[], text: string, target: NoticeTarget): SignTextCheck[] {
  return profiles
    .filter((p) => target.scope === 'town' || target.villageIds.includes(p.villageId))
    .map((p) => {
      const unsupported = unsupportedChars(text, p.charset);
      // Characters the font lacks cannot be encoded; they count as two bytes, as any hanzi.
      const packet = packetFit(
        unsupported.length > 0 ? [...text].map((c) => ((c.codePointAt(0) ?? 0) < 0x80 ? c : '一')).join('') : text,
        p,
      );
      return { id: p.id, name: p.name, villageId: p.villageId, charset: p.charset, unsupported, packet };
    });
}
