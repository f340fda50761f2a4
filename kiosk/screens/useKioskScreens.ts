/**
 * What the app needs to switch between its screens: the rotation (attract
 * mode), a villager's visit (browse → notice), and a warning's takeover above
 * both. Decides which playlist the rotation runs on (only the warnings during
 * a takeover, so receipts match what is on screen) and when it pauses.
 */
import { type Playlist, type PlaylistItem, activeItems } from '@protocol';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { type PlayChime, createChime } from '../chime';
import { type RatingBackend, type RatingGate, browserRatingBackend, createRatingGate } from '../ratingLimit';
import { type SpeechEngine, browserSpeech } from '../speech';
import { DEFAULT_IDLE_SEC, idleSecondsFromUrl, useIdle } from '../useIdle';

export interface ScreenOptions {
  now: () => number;
  /** Seconds without a touch before a visit ends; default `?idle=` in the address, else {@link DEFAULT_IDLE_SEC}. */
  idleSec?: number | undefined;
  /** The speech engine; null = none (no read-aloud button). Default: the browser's. */
  speech?: SpeechEngine | null | undefined;
  /** Where rating times are kept; default localStorage. */
  ratingBackend?: RatingBackend | null | undefined;
  playChime?: PlayChime | undefined;
}

export interface KioskScreens {
  browsing: boolean;
  startBrowsing: () => void;
  stopBrowsing: () => void;
  /** Active warnings, highest first; non-empty = the takeover is on. */
  emergencies: PlaylistItem[];
  /** The notices active now (for browsing). */
  active: PlaylistItem[];
  /** What the rotation should run on. */
  shown: Playlist | null;
  speech: SpeechEngine | null;
  ratings: RatingGate;
  playChime: PlayChime;
}

const onlyEmergencies = (playlist: Playlist): Playlist => ({ ...playlist, items: playlist.items.filter((i) => i.emergency) });

export function useKioskScreens(playlist: Playlist | null, options: ScreenOptions): KioskScreens {
  const [browsing, setBrowsing] = useState(false);
  const active = playlist ? activeItems(playlist, options.now()) : [];
  const emergencies = active.filter((i) => i.emergency);
  const takeover = emergencies.length > 0;
  const shown = useMemo(() => (takeover && playlist ? onlyEmergencies(playlist) : playlist), [playlist, takeover]);
  const idleSec = options.idleSec ?? (typeof location === 'undefined' ? null : idleSecondsFromUrl(location.href)) ?? DEFAULT_IDLE_SEC;
  const speech = useMemo(() => (options.speech === undefined ? browserSpeech() : options.speech), [options.speech]);
  const [ratings] = useState(() =>
    createRatingGate(options.ratingBackend === undefined ? browserRatingBackend() : options.ratingBackend, options.now),
  );
  const [defaultChime] = useState(() => createChime());

  // A warning ends any visit; when it is over the screen goes back to the rotation.
  useEffect(() => {
    if (takeover) setBrowsing(false);
  }, [takeover]);
  useIdle(browsing, idleSec, () => setBrowsing(false));

  return {
    browsing: browsing && !takeover,
    startBrowsing: () => setBrowsing(true),
    stopBrowsing: () => setBrowsing(false),
    emergencies,
    active,
    shown,
    speech,
    ratings,
    playChime: options.playChime ?? defaultChime,
  };
}
