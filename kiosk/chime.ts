/**
 * The emergency chime: three short descending tones made with Web Audio (no
 * sound file to cache). Where audio is blocked or missing it stays silent and
 * never throws; the warning is on screen either way.
 */

/** Seconds between chimes while a warning is on screen. */
export const CHIME_INTERVAL_SEC = 30;

export type PlayChime = () => void;

type AudioContextClass = new () => AudioContext;

export function createChime(): PlayChime {
  let context: AudioContext | null = null;
  return () => {
    try {
      const Ctor = (window as unknown as { AudioContext?: AudioContextClass; webkitAudioContext?: AudioContextClass }).AudioContext;
      if (!Ctor) return;
      context ??= new Ctor();
      const ctx = context;
      // A context created without a user gesture starts suspended; resuming may be refused, which is fine.
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
