/**
 * Compiles the playlist a device should hold: the live versions that target
 * it and have not ended. Pure; the version is derived from the items, so an
 * unchanged playlist keeps its version and is not pushed again.
 */
import { EMERGENCY_LEVELS, type Playlist, type PlaylistItem } from '../protocol/index.js';
import { canonicalJson, sha256Hex } from './canonical.js';
import { type NoticeRecord, liveVersion, targetsVillage } from './notices.js';
import { pinyinInitials } from './pinyin.js';

export const ROTATION_BOUNDS_SEC = { min: 10, max: 45 } as const;
/** Emergencies preempt everything: their priority is above any staff-set one (0–9). */
export const EMERGENCY_PRIORITY_BASE = 100;

/** Seconds on screen in rotation: longer texts stay longer, within bounds. About 8 characters a second of title and opening text, plus time to notice the card. */
export function rotationSeconds(title: string, body: string): number {
  const chars = [...title].length + Math.min([...body].length, 240);
  return Math.min(ROTATION_BOUNDS_SEC.max, Math.max(ROTATION_BOUNDS_SEC.min, Math.round(6 + chars / 8)));
}

export function compilePlaylist(notices: readonly NoticeRecord[], device: { villageId: string }, now: number): Playlist {
  const items: PlaylistItem[] = [];
  for (const notice of notices) {
    const live = liveVersion(notice);
    if (!live || !targetsVillage(live.content.target, device.villageId)) continue;
    const { content } = live;
    const endsAt = content.emergency ? Math.min(content.emergency.expiresAt, live.endsAt ?? Number.POSITIVE_INFINITY) : live.endsAt;
    if (endsAt !== null && endsAt <= now) continue;
    items.push({
      noticeId: notice.id,
      versionId: live.id,
      contentHash: live.contentHash,
      title: content.title,
      initials: pinyinInitials(content.title),
      body: content.body,
      issuer: content.issuer,
      category: content.category,
      docNumber: content.docNumber,
      startsAt: live.startsAt,
      endsAt,
      durationSec: rotationSeconds(content.title, content.body),
      priority: content.emergency
        ? EMERGENCY_PRIORITY_BASE + EMERGENCY_LEVELS.length - EMERGENCY_LEVELS.indexOf(content.emergency.level)
        : content.priority,
      emergency: content.emergency ? { level: content.emergency.level } : null,
      correction: live.correction,
      approvedAt: live.review?.at ?? live.updatedAt,
    });
  }
  items.sort((a, b) => b.priority - a.priority || b.approvedAt - a.approvedAt || a.noticeId.localeCompare(b.noticeId));
  return { version: sha256Hex(canonicalJson(items)).slice(0, 16), generatedAt: now, items };
}
