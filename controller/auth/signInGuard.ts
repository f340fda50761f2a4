/**
 * Sign-in throttling that slows the attacker, not the owner (issue 12 point 2).
 *
 * - The lock is on the failing address: after ADDRESS_RULE's free failures an
 *   address must wait (doubling, capped) before its next guess is even checked.
 *   A check still running counts as a failure until it ends, so guesses sent
 *   in parallel cannot slip past the lock together: past the free failures an
 *   address has at most one guess being checked at a time.
 * - A browser that signed in to the account before carries a client cookie
 *   (its hash is kept on the user, see sessions.ts); it is never held by the
 *   address lock, so the owner behind the attacker's village router or 4G NAT
 *   still gets in. A client cookie that fails CLIENT_FAILURES times in a row
 *   loses that standing until the next restart.
 * - Per account there is no lock, only a short pause after each failure
 *   (doubling, at most ACCOUNT_DELAY_CAP_MS): an attempt inside it waits it
 *   out before the password is checked. A right password, from a known or a
 *   new address, always passes.
 * - Failures per account since its last sign-in are kept (count, last time,
 *   addresses) and shown to the user when they next sign in.
 *
 * In memory on purpose, as the throttle: a restart forgives, the safe
 * direction for a town's only server.
 */
import type { FailedSignIns } from '../protocol/index.js';
import { ADDRESS_RULE, type ThrottleRule, createLoginThrottle, delayAfter } from './throttle.js';

/** Per account: no lock, a pause after each failure past the fifth, doubling up to two seconds. */
export const ACCOUNT_DELAY_RULE: ThrottleRule = { freeFailures: 5, baseDelayMs: 250, maxDelayMs: 2_000, windowMs: 24 * 3600_000 };
export const ACCOUNT_DELAY_CAP_MS = ACCOUNT_DELAY_RULE.maxDelayMs;
/** Wrong passwords a known client may send in a row before the address lock applies to it too. */
export const CLIENT_FAILURES = 5;
const MAX_ADDRESSES = 10;

export interface SignInAttempt {
  username: string;
  address: string;
  /** SHA-256 of the client cookie the browser sent, if any. */
  clientHash?: string;
  /** Whether that client signed in to this account before (the caller looks it up). */
  clientKnown: boolean;
}

export type SignInDecision = { kind: 'refuse'; retryAfterMs: number } | { kind: 'check'; delayMs: number };

export interface SignInGuard {
  /** Before checking the password: refuse (a locked address), or check after a short delay. */
  before(attempt: SignInAttempt): SignInDecision;
  failed(attempt: SignInAttempt): void;
  /** The failures since the account's last sign-in, which its next sign-in will be told. */
  pending(username: string): FailedSignIns | null;
  /** After a right password: clears the account's count and its pending failures. */
  succeeded(attempt: SignInAttempt): void;
  /** The check admitted by `before` ended without a verdict (an error): frees its place. Harmless after failed/succeeded. */
  abandoned(attempt: SignInAttempt): void;
}

const accountKey = (username: string): string => `account:${username.trim().toLowerCase()}`;
const addressKey = (address: string): string => `address:${address}`;
const clientKey = (hash: string): string => `client:${hash}`;

export function createSignInGuard(deps: { now: () => number; maxEntries?: number }): SignInGuard {
  const maxEntries = deps.maxEntries ?? 10_000;
  const throttle = createLoginThrottle({ now: deps.now, maxEntries });
  const reports = new Map<string, FailedSignIns>();
  const clientFailures = new Map<string, number>();
  /** Checks under way per address, admitted by `before` and not yet ended. */
  const checking = new Map<string, number>();
  const admitted = new WeakSet<SignInAttempt>();
  const release = (a: SignInAttempt): void => {
    if (!admitted.delete(a)) return;
    const key = addressKey(a.address);
    const n = (checking.get(key) ?? 0) - 1;
    if (n > 0) checking.set(key, n);
    else checking.delete(key);
  };

  const trusted = (a: SignInAttempt): boolean =>
    a.clientKnown && a.clientHash !== undefined && (clientFailures.get(clientKey(a.clientHash)) ?? 0) < CLIENT_FAILURES;
  const bound = (map: Map<string, unknown>): void => {
    while (map.size > maxEntries) {
      const oldest = map.keys().next().value;
      if (oldest === undefined) break;
      map.delete(oldest);
    }
  };

  return {
    before(a) {
      if (trusted(a)) return { kind: 'check', delayMs: 0 };
      const key = addressKey(a.address);
      const wait = throttle.waitMs([{ key, rule: ADDRESS_RULE }]);
      if (wait > 0) return { kind: 'refuse', retryAfterMs: wait };
      const underWay = checking.get(key) ?? 0;
      const ifAllFail = throttle.failures(key, ADDRESS_RULE) + underWay;
      // Past the free failures, one guess at a time: the others wait as if the ones under way had failed.
      if (underWay > 0 && ifAllFail >= ADDRESS_RULE.freeFailures)
        return { kind: 'refuse', retryAfterMs: delayAfter(ifAllFail, ADDRESS_RULE) };
      checking.set(key, underWay + 1);
      admitted.add(a);
      return { kind: 'check', delayMs: throttle.waitMs([{ key: accountKey(a.username), rule: ACCOUNT_DELAY_RULE }]) };
    },

    failed(a) {
      release(a);
      throttle.failed([
        { key: addressKey(a.address), rule: ADDRESS_RULE },
        { key: accountKey(a.username), rule: ACCOUNT_DELAY_RULE },
      ]);
      if (a.clientHash !== undefined) {
        const key = clientKey(a.clientHash);
        clientFailures.set(key, (clientFailures.get(key) ?? 0) + 1);
        bound(clientFailures);
      }
      const key = accountKey(a.username);
      const report = reports.get(key) ?? { count: 0, lastAt: 0, addresses: [] };
      reports.delete(key);
      reports.set(key, {
        count: report.count + 1,
        lastAt: deps.now(),
        addresses: [a.address, ...report.addresses.filter((x) => x !== a.address)].slice(0, MAX_ADDRESSES),
      });
      bound(reports);
    },

    pending(username) {
      return reports.get(accountKey(username)) ?? null;
    },

    succeeded(a) {
      release(a);
      const key = accountKey(a.username);
      throttle.succeeded(key);
      if (a.clientHash !== undefined) clientFailures.delete(clientKey(a.clientHash));
      reports.delete(key);
    },

    abandoned: release,
  };
}
