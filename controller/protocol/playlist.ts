/**
 * A playlist is what one device should show over the coming days. The
 * controller compiles it; the device stores it and evaluates it locally with
 * {@link activeItems}, so it keeps showing the right notices while offline.
 */
import type { OnHours } from './model.js';
import type { CategoryCode, EmergencyLevel } from './taxonomy.js';

export interface PlaylistItem {
  noticeId: string;
  versionId: string;
  contentHash: string;
  title: string;
  /** Pinyin initials of the title, digits and Latin letters kept (低保公示 → dbgs), for the kiosk's offline search. Absent in playlists compiled before it existed. */
  initials?: string;
  body: string;
  /** The short text for LED signs (the title stands in when empty). Absent in playlists compiled before it existed. */
  ledText?: string;
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
  /**
   * The device's on-hours: an item shows where its posting window and these
   * hours meet (emergencies show at any hour). A weekly pattern rather than a
   * list of dates, so it stays right however long the device is offline.
   * Absent or null: always on.
   */
  onHours?: OnHours | null;
  /** How long a warning holds the whole screen and when it takes it again, by level (the town's settings). Absent: {@link DEFAULT_EMERGENCY_TAKEOVER}. */
  takeover?: EmergencyTakeover;
}

/**
 * How a warning of one level uses the screen: the whole screen for `fullScreenMin` minutes when it
 * arrives (or changes), then the other notices under a warning banner for `againAfterMin` minutes,
 * then the whole screen again, for as long as the warning lasts.
 */
export interface TakeoverTimes {
  fullScreenMin: number;
  againAfterMin: number;
}

export type EmergencyTakeover = Record<EmergencyLevel, TakeoverTimes>;

/** 红/橙 hold the screen longer and come back sooner than 黄/蓝. */
export const DEFAULT_EMERGENCY_TAKEOVER: EmergencyTakeover = {
  red: { fullScreenMin: 10, againAfterMin: 15 },
  orange: { fullScreenMin: 10, againAfterMin: 20 },
  yellow: { fullScreenMin: 3, againAfterMin: 30 },
  blue: { fullScreenMin: 3, againAfterMin: 60 },
};

const DAY_MS = 86_400_000;

/**
 * Whether `now` falls in the on-hours (always, when there are none).
 *
 * @example
 * isOnHours({ utcOffsetMinutes: 480, weekly: Array(7).fill([[480, 1080]]) }, Date.now()); // 08:00–18:00 Beijing time
 */
export function isOnHours(onHours: OnHours | null | undefined, now: number): boolean {
  if (!onHours) return true;
  const local = now + onHours.utcOffsetMinutes * 60_000;
  const days = Math.floor(local / DAY_MS);
  // 1970-01-01 was a Thursday: ISO weekday index 3 with Monday = 0.
  const weekday = (((days + 3) % 7) + 7) % 7;
  const minute = Math.floor((local - days * DAY_MS) / 60_000);
  return (onHours.weekly[weekday] ?? []).some(([from, to]) => from <= minute && minute < to);
}

/**
 * The items of `playlist` that should be on screen at `now`, highest priority
 * first, then most recently approved first. Outside the on-hours only
 * emergencies remain.
 *
 * @example
 * const showing = activeItems(playlist, Date.now());
 */
export function activeItems(playlist: Playlist, now: number): PlaylistItem[] {
  const on = isOnHours(playlist.onHours, now);
  return playlist.items
    .filter(
      (item) =>
        (item.startsAt === null || item.startsAt <= now) && (item.endsAt === null || now < item.endsAt) && (on || item.emergency !== null),
    )
    .sort((a, b) => b.priority - a.priority || b.approvedAt - a.approvedAt || a.noticeId.localeCompare(b.noticeId));
}
