/**
 * Heartbeats: every half minute the kiosk tells the controller its build,
 * what is on screen, its clock and its queue; the answer carries the
 * controller's clock, from which the kiosk decides whether to trust its own
 * (receipts written while it is off carry `clockTrusted: false`).
 */
import type { Heartbeat } from '@protocol';
import type { KioskLink } from './link';

export const HEARTBEAT_MS = 30_000;
/** A device clock further off the controller's than this is not trusted (the controller uses the same limit). */
export const CLOCK_TRUST_LIMIT_MS = 2 * 60_000;

export interface ClockTrust {
  /** Whether the last comparison with the controller's clock was close enough; true until one says otherwise. */
  trusted: () => boolean;
  offsetMs: () => number | null;
}

export interface HeartbeatDeps {
  link: () => KioskLink | null;
  beat: () => Omit<Heartbeat, 'clock'>;
  now: () => number;
  every?: number;
}

/**
 * Starts beating; returns the clock trust it keeps and a stop function.
 *
 * @example
 * const { clock, stop } = startHeartbeat({ link: () => link.current, beat: () => ({ build, showing, queued, quarantined }), now: Date.now });
 */
export function startHeartbeat(deps: HeartbeatDeps): { clock: ClockTrust; beatNow: () => Promise<void>; stop: () => void } {
  let offset: number | null = null;
  const beatNow = async (): Promise<void> => {
    const link = deps.link();
    if (!link) return;
    const sentAt = deps.now();
    try {
      const answer = await link.heartbeat({ ...deps.beat(), clock: sentAt });
      if (!answer.ok) return;
      // Half the round trip is the best guess of when the controller read its clock.
      const receivedAt = deps.now();
      offset = (sentAt + receivedAt) / 2 - answer.data.serverTime;
    } catch {
      // Offline: keep the last judgement; the next beat tries again.
    }
  };
  const timer = setInterval(() => void beatNow(), deps.every ?? HEARTBEAT_MS);
  return {
    clock: {
      trusted: () => offset === null || Math.abs(offset) <= CLOCK_TRUST_LIMIT_MS,
      offsetMs: () => offset,
    },
    beatNow,
    stop: () => clearInterval(timer),
  };
}
