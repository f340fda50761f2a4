/**
 * The emergency chime: three short descending tones made with Web Audio (no
 * sound file to cache). Where audio is blocked or missing it stays silent and
 * never throws; the warning is on screen either way.
 *
 * Chromium holds an AudioContext back ("The AudioContext was not allowed to
 * start") on a page nobody has touched, unless the kiosk's browser runs with
 * `--autoplay-policy=no-user-gesture-required` (docs/OPERATIONS.md). The kiosk
 * opens its one context at start, says in every heartbeat whether it can sound
 * ({@link soundState}), and resumes the context at the first touch.
 */
import type { SoundState } from '@protocol';

/** Seconds between chimes while a warning is on screen. */
export const CHIME_INTERVAL_SEC = 30;

export type PlayChime = () => void;

type AudioContextClass = new () => AudioContext;

let shared: AudioContext | null | undefined;

/** The kiosk's one audio context, opened on first use; null where the browser has no Web Audio. */
function audio(): AudioContext | null {
  if (shared !== undefined) return shared;
  shared = null;
  try {
    const Ctor = typeof window === 'undefined' ? undefined : (window as unknown as { AudioContext?: AudioContextClass }).AudioContext;
    if (!Ctor) return null;
    const ctx = new Ctor();
    shared = ctx;
    // A touch is the gesture the autoplay policy waits for: from then on the chime can sound.
    const unlock = (): void => {
      if (ctx.state === 'suspended') ctx.resume().catch(() => undefined);
    };
    for (const type of ['pointerdown', 'keydown'] as const) document.addEventListener(type, unlock, { capture: true, passive: true });
  } catch {
    shared = null;
  }
  return shared;
}

/**
 * Whether a chime played now would be heard by the browser's rules: `ok`, `blocked` (autoplay
 * policy, until a touch) or `none` (no Web Audio). Opens the context on first call.
 */
export function soundState(): SoundState {
  const ctx = audio();
  if (!ctx) return 'none';
  if (ctx.state === 'running') return 'ok';
  // A context created without a user gesture starts suspended; resuming may be refused, which is what we report.
  ctx.resume().catch(() => undefined);
  return 'blocked';
}

/** Opens the context now and calls `listener` whenever its state changes (a touch unlocks it, the device goes); returns the unsubscribe. */
export function watchSound(listener: () => void): () => void {
  const ctx = audio();
  if (!ctx) return () => undefined;
  ctx.addEventListener('statechange', listener);
  return () => ctx.removeEventListener('statechange', listener);
}

export function createChime(): PlayChime {
  return () => {
    try {
      const ctx = audio();
      if (!ctx) return;
      if (ctx.state === 'suspended') ctx.resume().catch(() => undefined);
      const start = ctx.currentTime + 0.05;
      [880, 740, 587].forEach((hz, i) => {
        const osc = ctx.createOscillator();
        const gain = ctx.createGain();
        const t = start + i * 0.45;
        osc.type = 'sine';
        osc.frequency.value = hz;
        gain.gain.setValueAtTime(0.0001, t);
        gain.gain.exponentialRampToValueAtTime(0.6, t + 0.03);
        gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.4);
        osc.connect(gain).connect(ctx.destination);
        osc.start(t);
        osc.stop(t + 0.42);
      });
    } catch {
      // No audio device, autoplay refused, or an old engine: the screen still shows the warning.
    }
  };
}
