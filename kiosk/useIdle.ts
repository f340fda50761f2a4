/** Calls `onIdle` once after `seconds` without a touch, key or pointer movement while `active`. */
import { useEffect, useRef } from 'preact/hooks';

/** Seconds without a touch before the kiosk goes back to its rotating notices. */
export const DEFAULT_IDLE_SEC = 90;

const EVENTS = ['pointerdown', 'click', 'keydown', 'wheel', 'touchstart', 'scroll'] as const;

export function useIdle(active: boolean, seconds: number, onIdle: () => void): void {
  const callback = useRef(onIdle);
  callback.current = onIdle;
  useEffect(() => {
    if (!active) return;
    let timer = setTimeout(() => callback.current(), seconds * 1000);
    const reset = (): void => {
      clearTimeout(timer);
      timer = setTimeout(() => callback.current(), seconds * 1000);
    };
    for (const type of EVENTS) document.addEventListener(type, reset, { capture: true, passive: true });
    return () => {
      clearTimeout(timer);
      for (const type of EVENTS) document.removeEventListener(type, reset, { capture: true });
    };
  }, [active, seconds]);
}

/**
 * The idle time from the kiosk's address (`?idle=<seconds>`), at least 10 s.
 *
 * @example
 * idleSecondsFromUrl('http://town/kiosk/?device=k1&idle=120'); // 120
 */
export function idleSecondsFromUrl(href: string): number | null {
  try {
    const value = Number(new URL(href).searchParams.get('idle') ?? Number.NaN);
    return Number.isFinite(value) && value >= 10 ? value : null;
  } catch {
    return null;
  }
}
