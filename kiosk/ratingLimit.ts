/**
 * One satisfaction rating per notice per device every few minutes, so a
 * passer-by cannot flood a notice with ratings. Remembered in localStorage so
 * a reload does not reset it.
 */

/** Minutes between two ratings of the same notice on one kiosk. */
export const RATING_INTERVAL_MIN = 10;

const KEY = 'gongshi.kiosk.ratedAt';

export type RatingBackend = Pick<Storage, 'getItem' | 'setItem'>;

export interface RatingGate {
  /** Epoch ms from which `noticeId` may be rated again; `now` or earlier = it may be rated now. */
  nextAllowedAt: (noticeId: string) => number;
  record: (noticeId: string) => void;
}

function read(backend: RatingBackend | null): Record<string, number> {
  try {
    const parsed: unknown = JSON.parse(backend?.getItem(KEY) ?? '{}');
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, number>) : {};
  } catch {
    return {};
  }
}

export function createRatingGate(backend: RatingBackend | null, now: () => number, intervalMs = RATING_INTERVAL_MIN * 60_000): RatingGate {
  let memory = read(backend);
  return {
    nextAllowedAt: (noticeId) => (memory[noticeId] ?? Number.NEGATIVE_INFINITY) + intervalMs,
    record(noticeId) {
      const at = now();
      // Forget what no longer limits anything, so the record stays small.
      memory = Object.fromEntries(Object.entries({ ...memory, [noticeId]: at }).filter(([, t]) => at - t < intervalMs));
      try {
        backend?.setItem(KEY, JSON.stringify(memory));
      } catch {
        // Storage full or blocked: the limit still holds until the next reload.
      }
    },
  };
}

/** localStorage where the browser allows it. */
export function browserRatingBackend(): RatingBackend | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}
