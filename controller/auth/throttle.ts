/**
 * Failure counting with a backoff, per key (an address, an account): after
 * `freeFailures` failed attempts each further attempt must wait, the wait
 * doubling up to a cap. signInGuard.ts decides which keys lock and which only
 * delay. In memory on purpose — a restart forgives, which is the safe
 * direction for a town's only server.
 */

export interface ThrottleRule {
  freeFailures: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Failures older than this are forgotten. */
  windowMs: number;
}

/** Per address; loose, as a village office may share one address among several staff. */
export const ADDRESS_RULE: ThrottleRule = { freeFailures: 20, baseDelayMs: 1_000, maxDelayMs: 15 * 60_000, windowMs: 24 * 3600_000 };

interface Entry {
  failures: number;
  lastFailureAt: number;
}

export interface LoginThrottle {
  /** Milliseconds the caller must still wait before trying these keys, 0 if free to try. */
  waitMs(keys: readonly { key: string; rule: ThrottleRule }[]): number;
  failed(keys: readonly { key: string; rule: ThrottleRule }[]): void;
  /** Failures counted for the key inside its rule's window. */
  failures(key: string, rule: ThrottleRule): number;

  succeeded(key: string): void;
}

export function delayAfter(failures: number, rule: ThrottleRule): number {
  const over = failures - rule.freeFailures;
  if (over < 0) return 0;
  return Math.min(rule.maxDelayMs, rule.baseDelayMs * 2 ** Math.min(over, 30));
}

export function createLoginThrottle(deps: { now: () => number; maxEntries?: number }): LoginThrottle {
  const entries = new Map<string, Entry>();
  const maxEntries = deps.maxEntries ?? 10_000;

  const current = (key: string, rule: ThrottleRule): Entry | undefined => {
    const entry = entries.get(key);
    if (entry && deps.now() - entry.lastFailureAt > rule.windowMs) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  };

  return {
    waitMs(keys) {
      let wait = 0;
      for (const { key, rule } of keys) {
        const entry = current(key, rule);
        if (entry) wait = Math.max(wait, entry.lastFailureAt + delayAfter(entry.failures, rule) - deps.now());
      }
      return Math.max(0, wait);
    },

    failed(keys) {
      for (const { key, rule } of keys) {
        const entry = current(key, rule) ?? { failures: 0, lastFailureAt: 0 };
        entries.delete(key);
        entries.set(key, { failures: entry.failures + 1, lastFailureAt: deps.now() });
      }
      // Bounded memory under a spray of made-up user names: drop the oldest.
      while (entries.size > maxEntries) {
        const oldest = entries.keys().next().value;
        if (oldest === undefined) break;
        entries.delete(oldest);
      }
    },

    failures(key, rule) {
      return current(key, rule)?.failures ?? 0;
    },

    succeeded(key) {
      entries.delete(key);
    },
  };
}
