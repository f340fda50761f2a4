/**
 * A playlist is what one device should show over the coming days. The
 * controller compiles it; the device stores it and evaluates it locally with
 * {@link activeItems}, so it keeps showing the right notices while offline.
 */
import type { CategoryCode, EmergencyLevel } from './taxonomy.js';

export interface PlaylistItem {
  noticeId: string;
  versionId: string;
  contentHash: string;
  title: string;
  /** Pinyin initials of the title, digits and Latin letters kept (低保公示 → dbgs), for the kiosk's offline search. Absent in playlists compiled before it existed. */
  initials?: string;
  body: string;
  issuer: string;
  category: CategoryCode;
  docNumber: string | null;
  /** Set for warnings: shown with the level in colour and words, ahead of everything else. */
  emergency: { level: EmergencyLevel } | null;
  /** 更正: this version corrects an earlier one, for this reason. */
  correction: { reason: string } | null;
  /** Epoch ms; the item is shown in [startsAt, endsAt). null = unbounded. */
  startsAt: number | null;
  endsAt: number | null;
  /** Seconds the item stays on screen in rotation. */
  durationSec: number;
  /** Higher first. */
  priority: number;
  approvedAt: number;
}

export interface Playlist {
  /** Content-derived: equal versions mean equal items. */
  version: string;
  generatedAt: number;
  items: PlaylistItem[];
}

/**
 * The items of `playlist` that should be on screen at `now`, highest priority
 * first, then most recently approved first.
 *
 * @example
 * const showing = activeItems(playlist, Date.now());
 */
export function activeItems(playlist: Playlist, now: number): PlaylistItem[] {
  return playlist.items
    .filter((item) => (item.startsAt === null || item.startsAt <= now) && (item.endsAt === null || now < item.endsAt))
    .sort((a, b) => b.priority - a.priority || b.approvedAt - a.approvedAt || a.noticeId.localeCompare(b.noticeId));
}
