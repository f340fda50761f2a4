/**
 * What the app needs to switch between its screens: the rotation (attract
 * mode), a villager's visit (browse → notice), and a warning's takeover above
 * both, on the schedule of kiosk/takeover.ts (whole screen, then a banner over
 * the other notices, then the whole screen again). Decides which playlist the
 * rotation runs on (only the warnings during a takeover, so receipts match
 * what is on screen) and when it pauses.
 */
import { type Playlist, type PlaylistItem, activeItems } from '@protocol';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { type PlayChime, createChime } from '../chime';
import { type RatingBackend, type RatingGate, browserRatingBackend, createRatingGate } from '../ratingLimit';
import { type SpeechEngine, browserSpeech } from '../speech';
import { type TakeoverMode, initialTakeover, stepTakeover } from '../takeover';
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
  /** Active warnings, highest first. */
  emergencies: PlaylistItem[];
  /** The warnings (notice ids) staff updated while they were on this screen. */
  updated: readonly string[];
  /** 'full': the warnings hold the whole screen; 'banner': the other notices show under a warning banner; 'none': no warning. */
  takeover: TakeoverMode;
  /** While 'full': when the villager may browse again (epoch ms). */
  takeoverUntil: number | null;
  /** The villager opened the warnings from the banner (shown whole, with a way back). */
  warningOpen: boolean;
  openWarning: () => void;
  closeWarning: () => void;
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
  const [warningOpen, setWarningOpen] = useState(false);
  const now = options.now();
  const active = playlist ? activeItems(playlist, now) : [];
  const emergencies = active.filter((i) => i.emergency);
  // Each render (the rotation ticks every second) steps the schedule; the state only changes on a new takeover.
  const schedule = useRef(initialTakeover);
  const step = stepTakeover(schedule.current, emergencies, now, { browsing: browsing || warningOpen, settings: playlist?.takeover });
  schedule.current = step.state;
  const takeover = step.mode === 'full';
  const shown = useMemo(() => (takeover && playlist ? onlyEmergencies(playlist) : playlist), [playlist, takeover]);
  const idleSec = options.idleSec ?? (typeof location === 'undefined' ? null : idleSecondsFromUrl(location.href)) ?? DEFAULT_IDLE_SEC;
  const speech = useMemo(() => (options.speech === undefined ? browserSpeech() : options.speech), [options.speech]);
  const [ratings] = useState(() =>
    createRatingGate(options.ratingBackend === undefined ? browserRatingBackend() : options.ratingBackend, options.now),
  );
  const [defaultChime] = useState(() => createChime());

  // A takeover ends any visit; when it is over the screen goes back to the rotation (or the banner).
  const fullSince = takeover ? step.state.fullSince : null;
  useEffect(() => {
    if (fullSince === null) return;
    setBrowsing(false);
    setWarningOpen(false);
  }, [fullSince]);
  const noWarning = step.mode === 'none';
  useEffect(() => {
    if (noWarning) setWarningOpen(false);
  }, [noWarning]);
  useIdle(browsing || warningOpen, idleSec, () => {
    setBrowsing(false);
    setWarningOpen(false);
  });

  return {
    browsing: browsing && !takeover,
    startBrowsing: () => setBrowsing(true),
    stopBrowsing: () => setBrowsing(false),
    emergencies,
    updated: step.state.updated,
    takeover: step.mode,
    takeoverUntil: takeover ? step.until : null,
    warningOpen: warningOpen && step.mode === 'banner',
    openWarning: () => setWarningOpen(true),
    closeWarning: () => setWarningOpen(false),
    active,
    shown,
    speech,
    ratings,
    playChime: options.playChime ?? defaultChime,
  };
}
