import { describe, expect, it } from 'vitest';
import { type ThrottleRule, createLoginThrottle, delayAfter } from '../../../controller/auth/throttle.js';

const ACCOUNT_RULE: ThrottleRule = { freeFailures: 5, baseDelayMs: 1_000, maxDelayMs: 15 * 60_000, windowMs: 24 * 3600_000 };

describe('login throttle', () => {
  it('lets the first failures through, then makes each attempt wait longer, up to a cap', () => {
    expect([0, 4, 5, 6, 7, 20, 60].map((n) => delayAfter(n, ACCOUNT_RULE))).toEqual([0, 0, 1_000, 2_000, 4_000, 15 * 60_000, 15 * 60_000]);
  });

  it('never locks the real user out for good: the wait runs out, and success clears the count', () => {
    let now = 0;
    const throttle = createLoginThrottle({ now: () => now });
    const keys = [{ key: 'account:zhang', rule: ACCOUNT_RULE }];
    for (let i = 0; i < 5; i++) throttle.failed(keys);
    expect(throttle.waitMs(keys)).toBe(1_000);
    now += 1_000;
    expect(throttle.waitMs(keys)).toBe(0);
    throttle.failed(keys);
    expect(throttle.waitMs(keys)).toBe(2_000);
    now += 2_000;
    throttle.succeeded('account:zhang');
    throttle.failed(keys);
    expect(throttle.waitMs(keys)).toBe(0);
  });

  it('forgets failures after the window', () => {
    let now = 0;
    const throttle = createLoginThrottle({ now: () => now });
    const keys = [{ key: 'address:1.2.3.4', rule: ACCOUNT_RULE }];
    for (let i = 0; i < 10; i++) throttle.failed(keys);
    now += ACCOUNT_RULE.windowMs + 1;
    expect(throttle.waitMs(keys)).toBe(0);
  });

  it('keeps memory bounded under a spray of made-up names', () => {
    const throttle = createLoginThrottle({ now: () => 0, maxEntries: 100 });
    for (let i = 0; i < 1000; i++) throttle.failed([{ key: `account:x${i}`, rule: ACCOUNT_RULE }]);
    for (let i = 0; i < 5; i++) throttle.failed([{ key: 'account:x999', rule: ACCOUNT_RULE }]);
    expect(throttle.waitMs([{ key: 'account:x999', rule: ACCOUNT_RULE }])).toBeGreaterThan(0);
    expect(throttle.waitMs([{ key: 'account:x0', rule: ACCOUNT_RULE }])).toBe(0);
  });
});
