/**
 * A warning takes over the whole screen, above browsing and the rotation:
 * the level in colour and in words (红色预警 一级), the instructions, and a
 * chime every 30 s until it expires or is cancelled (it leaves the playlist).
 * Each warning is acknowledged once per takeover through `onShown`.
 */
import { EMERGENCY_LEVEL_WORDS, type PlaylistItem } from '@protocol';
import { useEffect, useRef } from 'preact/hooks';
import { CHIME_INTERVAL_SEC, type PlayChime } from '../chime';
import { formatClock, formatDate, paragraphs, useTownOffset } from '../format';
import type { EmergencyShown } from '../interactions';

export interface EmergencyTakeoverProps {
  /** The warning on screen now. */
  item: PlaylistItem;
  /** Every active warning, highest level first (each is acknowledged). */
  all: readonly PlaylistItem[];
  place: string;
  now: number;
  playChime: PlayChime;
  onShown?: EmergencyShown | undefined;
}

const keyOf = (item: PlaylistItem): string => `${item.noticeId}:${item.contentHash}`;

export function EmergencyTakeover({ item, all, place, now, playChime, onShown }: EmergencyTakeoverProps) {
  const offset = useTownOffset();
  const acknowledged = useRef(new Set<string>());
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
  useEffect(() => {
    chime.current();
    const timer = setInterval(() => chime.current(), CHIME_INTERVAL_SEC * 1000);
    return () => clearInterval(timer);
  }, []);

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
        </p>
      </main>
    </div>
  );
}
