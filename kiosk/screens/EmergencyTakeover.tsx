/**
 * A warning takes over the whole screen, above browsing and the rotation:
 * the level in colour and in words (红色预警 一级), the instructions, and a
 * chime every 30 s while it holds the screen (kiosk/takeover.ts says how
 * long). Each warning is acknowledged once per takeover through `onShown`:
 * from its arrival until it leaves the playlist, however often it returns to
 * the whole screen or a villager opens it from the banner.
 *
 * A warning staff updated while it was on this screen says so, with when
 * (本预警已于 … 更新), here and on the banner, for as long as it stays.
 *
 * Opened by a villager from the banner (`onClose` given) it has a way back
 * and no chime. The banner itself is {@link WarningBanner}.
 */
import { EMERGENCY_LEVEL_WORDS, type PlaylistItem } from '@protocol';
import { useEffect, useRef } from 'preact/hooks';
import { CHIME_INTERVAL_SEC, type PlayChime } from '../chime';
import { formatClock, formatDate, paragraphs, useTownOffset } from '../format';
import { emergencyBanner } from '../NoticeCard';
import type { EmergencyShown } from '../interactions';

export interface EmergencyTakeoverProps {
  /** The warning on screen now. */
  item: PlaylistItem;
  /** Every active warning, highest level first (each is acknowledged). */
  all: readonly PlaylistItem[];
  /** The warnings (notice ids) updated while on this screen: said so, with when. */
  updated?: readonly string[] | undefined;
  place: string;
  now: number;
  /** Null: no chime (the villager opened it). */
  playChime: PlayChime | null;
  onShown?: EmergencyShown | undefined;
  /** The warnings acknowledged in this takeover (kept by the app across the takeover's returns). */
  acknowledged?: Set<string> | undefined;
  /** While holding the screen: when the villager may browse the other notices again. */
  until?: number | null | undefined;
  /** Opened from the banner: the way back to the other notices. */
  onClose?: (() => void) | undefined;
}

const keyOf = (item: PlaylistItem): string => `${item.noticeId}:${item.contentHash}`;

export function EmergencyTakeover({
  item,
  all,
  updated = [],
  place,
  now,
  playChime,
  onShown,
  acknowledged: kept,
  until,
  onClose,
}: EmergencyTakeoverProps) {
  const offset = useTownOffset();
  const own = useRef(new Set<string>());
  const acknowledged = useRef(kept ?? own.current);
  acknowledged.current = kept ?? own.current;
  const onShownRef = useRef(onShown);
  onShownRef.current = onShown;

  useEffect(() => {
    for (const warning of all) {
      const key = keyOf(warning);
      if (acknowledged.current.has(key)) continue;
      acknowledged.current.add(key);
      onShownRef.current?.(warning);
    }
  }, [all]);

  const chime = useRef(playChime);
  chime.current = playChime;
  const chiming = playChime !== null;
  useEffect(() => {
    if (!chiming) return;
    chime.current?.();
    const timer = setInterval(() => chime.current?.(), CHIME_INTERVAL_SEC * 1000);
    return () => clearInterval(timer);
  }, [chiming]);

  const level = item.emergency?.level ?? 'red';
  const words = EMERGENCY_LEVEL_WORDS[level];
  const index = all.findIndex((w) => keyOf(w) === keyOf(item));
  return (
    <div class={`takeover emergency-${level}`} data-notice-id={item.noticeId} data-level={level}>
      <header class="takeover-head">
        <p class="takeover-place">{place}</p>
        <p class="takeover-clock">
          {formatDate(now, offset)} {formatClock(now, offset)}
        </p>
      </header>
      <main class="takeover-main" aria-labelledby="takeover-title">
        <p class="takeover-level" role="alert">
          <span class="takeover-colour">{words.colour}预警</span>
          <span class="takeover-grade">{words.grade}</span>
        </p>
        {updated.includes(item.noticeId) && (
          <p class="takeover-updated">
            本预警已于 {formatDate(item.approvedAt, offset)} {formatClock(item.approvedAt, offset)} 更新
          </p>
        )}
        <h1 class="takeover-title" id="takeover-title">
          {item.title}
        </h1>
        <div class="takeover-body">
          {paragraphs(item.body).map((p, i) => (
            <p key={i}>{p}</p>
          ))}
        </div>
        <p class="takeover-foot">
          <span>发布单位：{item.issuer}</span>
          {item.endsAt !== null && (
            <span>
              预警至 {formatDate(item.endsAt, offset)} {formatClock(item.endsAt, offset)}
            </span>
          )}
          {all.length > 1 && (
            <span>
              第 {index + 1} / {all.length} 条预警
            </span>
          )}
          {until != null && !onClose && <span class="takeover-until">{formatClock(until, offset)} 后可查看其他公告</span>}
        </p>
        {onClose && (
          <button type="button" class="takeover-close" onClick={onClose}>
            ‹ 返回 查看其他公告
          </button>
        )}
      </main>
    </div>
  );
}

export interface WarningBannerProps {
  /** Every active warning, highest level first. */
  warnings: readonly PlaylistItem[];
  /** The warnings (notice ids) updated while on this screen. */
  updated?: readonly string[] | undefined;
  onOpen: () => void;
}

/**
 * Between takeovers: the warning stays on every screen as a bar in its level's colour and words,
 * and a touch opens it whole.
 */
export function WarningBanner({ warnings, updated = [], onOpen }: WarningBannerProps) {
  const [first] = warnings;
  if (!first?.emergency) return null;
  const level = first.emergency.level;
  return (
    <button type="button" class={`warning-banner emergency-${level}`} data-level={level} data-notice-id={first.noticeId} onClick={onOpen}>
      <span class="warning-banner-level">⚠ {emergencyBanner(level)}</span>
      <span class="warning-banner-title">
        {first.title}
        {updated.includes(first.noticeId) && <span class="warning-banner-updated">（已更新）</span>}
      </span>
      <span class="warning-banner-more">{warnings.length > 1 ? `共 ${warnings.length} 条预警 · 点此查看` : '点此查看'}</span>
    </button>
  );
}
