/**
 * Token buckets keyed by whatever is being limited (an address, a device).
 * Each key may spend `burst` at once and earns `perSecond` back; a caller over
 * its limit is refused without affecting any other key. Idle full buckets are
 * dropped so a flood of distinct keys cannot grow memory without bound.
 */
export interface RateLimit {
  /** Takes `cost` tokens (one by default) for `key`; false, taking none, when the key has fewer. */
  take(key: string, cost?: number): boolean;
  /** Seconds until `key` may try again (0 when it may now). */
  retryAfterSec(key: string): number;
  /** Gives back one token `key` spent on something that turned out well (never above the burst). */
  refund(key: string): void;
}

export function createRateLimit(options: { burst: number; perSecond: number; now: () => number; maxKeys?: number }): RateLimit {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const maxKeys = options.maxKeys ?? 100_000;

  const refill = (key: string): { tokens: number; at: number } => {
    const now = options.now();
    const bucket = buckets.get(key) ?? { tokens: options.burst, at: now };
    bucket.tokens = Math.min(options.burst, bucket.tokens + ((now - bucket.at) / 1000) * options.perSecond);
    bucket.at = now;
    return bucket;
  };
  const prune = (): void => {
    for (const [key, bucket] of buckets) {
      if (refill(key).tokens >= options.burst) buckets.delete(key);
      else if (bucket.tokens < 0) buckets.delete(key);
    }
  };

  return {
    take(key, cost = 1) {
      const bucket = refill(key);
      if (bucket.tokens < cost) {
        buckets.set(key, bucket);
        return false;
      }
      bucket.tokens -= cost;
      buckets.set(key, bucket);
      if (buckets.size > maxKeys) prune();
      return true;
    },
    refund(key) {
      const bucket = refill(key);
      bucket.tokens = Math.min(options.burst, bucket.tokens + 1);
      if (bucket.tokens >= options.burst) buckets.delete(key);
      else buckets.set(key, bucket);
    },
    retryAfterSec(key) {
      const bucket = refill(key);
      return bucket.tokens >= 1 ? 0 : Math.ceil((1 - bucket.tokens) / options.perSecond);
    },
  };
}
