/**
 * Compiles the playlist a device should hold: the approved notices that target
 * it and have not ended. Pure; the version is derived from the items, so an
 * unchanged playlist keeps its version and is not pushed again.
 */
import type { Notice, Playlist, PlaylistItem } from '../protocol/index.js';
import { canonicalJson, sha256Hex } from './canonical.js';
import { targetsVillage } from './notices.js';

export const ROTATION_BOUNDS_SEC = { min: 10, max: 45 } as const;

/** Seconds on screen in rotation: longer texts stay longer, within bounds. About 8 characters a second of title and opening text, plus time to notice the card. */
export function rotationSeconds(title: string, body: string): number {
  const chars = [...title].length + Math.min([...body].length, 240);
  return Math.min(ROTATION_BOUNDS_SEC.max, Math.max(ROTATION_BOUNDS_SEC.min, Math.round(6 + chars / 8)));
}

export function compilePlaylist(notices: readonly Notice[], device: { villageId: string }, now: number): Playlist {
  const items: PlaylistItem[] = notices
    .filter((n) => n.state === 'approved' && targetsVillage(n.target, device.villageId) && (n.endsAt === null || n.endsAt > now))
    .map((n) => ({
      noticeId: n.id,
      contentHash: n.contentHash,
      title: n.title,
      body: n.body,
      issuer: n.issuer,
      startsAt: n.startsAt,
      endsAt: n.endsAt,
      durationSec: rotationSeconds(n.title, n.body),
      priority: 0,
      approvedAt: n.approvedAt ?? n.updatedAt,
    }))
    .sort((a, b) => b.priority - a.priority || b.approvedAt - a.approvedAt || a.noticeId.localeCompare(b.noticeId));
  return { version: sha256Hex(canonicalJson(items)).slice(0, 16), generatedAt: now, items };
}
