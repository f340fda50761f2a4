/**
 * Compiles the playlist a device should hold: the live versions that target
 * it and have not ended. Pure; the version is derived from the items, so an
 * unchanged playlist keeps its version and is not pushed again.
 */
import {
  DEFAULT_ROTATION_BOUNDS_SEC,
  EMERGENCY_LEVELS,
  type EmergencyTakeover,
  type OnHours,
  type Playlist,
  type PlaylistItem,
} from '../protocol/index.js';
import { canonicalJson, sha256Hex } from './canonical.js';
import { type NoticeRecord, liveVersion, targetsVillage } from './notices.js';
import { pinyinInitials } from './pinyin.js';

/** Emergencies preempt everything: their priority is above any staff-set one (0–9). */
export const EMERGENCY_PRIORITY_BASE = 100;

/** Seconds on screen in rotation: longer texts stay longer, within bounds. About 8 characters a second of title and opening text, plus time to notice the card. */
export function rotationSeconds(title: string, body: string, bounds: { min: number; max: number } = DEFAULT_ROTATION_BOUNDS_SEC): number {
  const chars = [...title].length + Math.min([...body].length, 240);
  return Math.min(bounds.max, Math.max(bounds.min, Math.round(6 + chars / 8)));
}

export interface PlaylistTarget {
  villageId: string;
  onHours?: OnHours | null | undefined;
}

export interface CompileOptions {
  rotationBoundsSec?: { min: number; max: number } | undefined;
  /** The town's warning takeover times; left out of the playlist (the kiosk's defaults apply) when the town never set them. */
  emergencyTakeover?: EmergencyTakeover | undefined;
}

/**
 * Items starting in the future are included (a device offline for a week
 * still starts them on the right day); items already ended are not.
 *
 * @example
 * const playlist = compilePlaylist(state.notices, { villageId: 'v2', onHours: null }, Date.now());
 */
export function compilePlaylist(
  notices: readonly NoticeRecord[],
  device: PlaylistTarget,
  now: number,
  options: CompileOptions = {},
): Playlist {
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
      ledText: content.ledText,
      issuer: content.issuer,
      category: content.category,
      docNumber: content.docNumber,
      startsAt: live.startsAt,
      endsAt,
      durationSec: rotationSeconds(content.title, content.body, options.rotationBoundsSec),
      priority: content.emergency
        ? EMERGENCY_PRIORITY_BASE + EMERGENCY_LEVELS.length - EMERGENCY_LEVELS.indexOf(content.emergency.level)
        : content.priority,
      emergency: content.emergency ? { level: content.emergency.level } : null,
      correction: live.correction,
      approvedAt: live.review?.at ?? live.updatedAt,
    });
  }
  items.sort((a, b) => b.priority - a.priority || b.approvedAt - a.approvedAt || a.noticeId.localeCompare(b.noticeId));
  const onHours = device.onHours ?? null;
  const takeover = options.emergencyTakeover;
  const versioned = takeover ? { items, onHours, takeover } : { items, onHours };
  return { version: sha256Hex(canonicalJson(versioned)).slice(0, 16), generatedAt: now, ...versioned };
}
