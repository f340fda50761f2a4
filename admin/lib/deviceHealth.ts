/** How a device is doing, in the terms the devices page flags. Pure, from the controller's {@link Device} view. */
import type { Device } from '@protocol';

/**
 * A device clock further off than this is flagged. The controller uses the
 * same limit (`CLOCK_SKEW_LIMIT_MS` in controller/services/devices.ts) to mark
 * receipts written meanwhile as untrusted.
 */
export const CLOCK_FLAG_MS = 2 * 60_000;

export interface ClockOffset {
  /** Device clock ahead of the controller (positive offset), behind, or within a second. */
  direction: 'ahead' | 'behind' | 'exact';
  minutes: number;
  seconds: number;
  flagged: boolean;
}

/**
 * @example
 * clockOffset(-312_000); // { direction: 'behind', minutes: 5, seconds: 12, flagged: true }
 */
export function clockOffset(offsetMs: number): ClockOffset {
  const total = Math.round(Math.abs(offsetMs) / 1000);
  return {
    direction: total === 0 ? 'exact' : offsetMs > 0 ? 'ahead' : 'behind',
    minutes: Math.floor(total / 60),
    seconds: total % 60,
    flagged: Math.abs(offsetMs) > CLOCK_FLAG_MS,
  };
}

export const isRevoked = (device: Pick<Device, 'revokedAt'>): boolean => device.revokedAt !== null;

/** Devices the page warns about: offline longer than the town's threshold (the controller decides). */
export const offlineAlerts = <T extends Pick<Device, 'offlineAlert' | 'revokedAt'>>(devices: readonly T[]): T[] =>
  devices.filter((d) => d.offlineAlert && !isRevoked(d));

/** Working devices first, revoked ones last; otherwise the controller's order. */
export function byStanding<T extends Pick<Device, 'revokedAt'>>(devices: readonly T[]): T[] {
  return [...devices.filter((d) => !isRevoked(d)), ...devices.filter(isRevoked)];
}
