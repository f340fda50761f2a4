import { describe, expect, it } from 'vitest';
import { ACCOUNT_DELAY_CAP_MS, CLIENT_FAILURES, type SignInAttempt, createSignInGuard } from '../../../controller/auth/signInGuard.js';
import { ADDRESS_RULE } from '../../../controller/auth/throttle.js';

const attacker: SignInAttempt = { username: 'admin', address: '10.0.0.66', clientKnown: false };
const owner: SignInAttempt = { username: 'admin', address: '10.0.0.66', clientHash: 'owner-browser', clientKnown: true };

describe('sign-in guard', () => {
  it('locks the failing address, not the account: the owner from another address is only delayed', () => {
    let now = 0;
    const guard = createSignInGuard({ now: () => now });
    for (let i = 0; i < ADDRESS_RULE.freeFailures + 10; i++) {
      now += 4_000;
      if (guard.before(attacker).kind === 'check') guard.failed(attacker);
    }
    expect(guard.before(attacker)).toMatchObject({ kind: 'refuse', retryAfterMs: expect.any(Number) });
    guard.failed({ username: 'admin', address: '10.0.0.67', clientKnown: false });
    const elsewhere = guard.before({ username: 'admin', address: '10.9.9.9', clientKnown: false });
    expect(elsewhere.kind).toBe('check');
    expect(elsewhere.kind === 'check' && elsewhere.delayMs).toBeLessThanOrEqual(ACCOUNT_DELAY_CAP_MS);
    expect(elsewhere.kind === 'check' && elsewhere.delayMs).toBeGreaterThan(0);
    // The pause is after a failure, not a toll on every attempt: a slow attacker never waits, nor does the owner later.
    now += ACCOUNT_DELAY_CAP_MS;
    expect(guard.before({ username: 'admin', address: '10.9.9.9', clientKnown: false })).toEqual({ kind: 'check', delayMs: 0 });
  });

  it('lets a browser that signed in before through the locked address, without delay, until it fails too often', () => {
    const guard = createSignInGuard({ now: () => 0 });
    for (let i = 0; i < ADDRESS_RULE.freeFailures + 1; i++) guard.failed(attacker);
    expect(guard.before(attacker).kind).toBe('refuse');
    expect(guard.before(owner)).toEqual({ kind: 'check', delayMs: 0 });
    // A stolen or guessed client cookie buys a few guesses, not unlimited ones.
    for (let i = 0; i < CLIENT_FAILURES; i++) guard.failed(owner);
    expect(guard.before(owner).kind).toBe('refuse');
  });

  it('past the free failures, admits one guess at a time from an address: checks under way count as failures', () => {
    let now = 0;
    const guard = createSignInGuard({ now: () => now });
    const from = (n: number): SignInAttempt => ({ ...attacker, username: `guess-${n}` });
    // Six guesses sent together while the address still has free failures are all checked...
    for (let i = 0; i < ADDRESS_RULE.freeFailures - 3; i++) guard.failed(from(i));
    const together = Array.from({ length: 6 }, (_, i) => from(100 + i));
    const admitted = together.filter((a) => guard.before(a).kind === 'check');
    // ...but only up to the free failures; the rest wait as if those under way had failed.
    expect(admitted).toHaveLength(3);
    for (const a of admitted) guard.failed(a);
    now += 60 * 60_000;
    const next = Array.from({ length: 6 }, (_, i) => from(200 + i));
    expect(next.map((a) => guard.before(a).kind)).toEqual(['check', 'refuse', 'refuse', 'refuse', 'refuse', 'refuse']);
    // An admitted check that ends in an error gives its place back.
    guard.abandoned(next[0]!);
    expect(guard.before(from(300)).kind).toBe('check');
  });

  it('never refuses for the account alone, however many addresses fail', () => {
    const guard = createSignInGuard({ now: () => 0 });
    for (let i = 0; i < 500; i++) guard.failed({ username: 'admin', address: `10.1.${i >> 8}.${i & 255}`, clientKnown: false });
    expect(guard.before({ username: 'admin', address: '10.2.0.1', clientKnown: false })).toEqual({
      kind: 'check',
      delayMs: ACCOUNT_DELAY_CAP_MS,
    });
  });

  it('keeps the failures for the owner: count, last time, the ten latest addresses; a sign-in clears them', () => {
    let now = 1_000;
    const guard = createSignInGuard({ now: () => now });
    for (let i = 0; i < 12; i++) {
      now += 1_000;
      guard.failed({ username: 'Admin ', address: `10.0.0.${i}`, clientKnown: false });
    }
    guard.failed({ username: 'editor', address: '10.0.0.1', clientKnown: false });
    expect(guard.pending('admin')).toEqual({
      count: 12,
      lastAt: 13_000,
      addresses: ['10.0.0.11', '10.0.0.10', '10.0.0.9', '10.0.0.8', '10.0.0.7', '10.0.0.6', '10.0.0.5', '10.0.0.4', '10.0.0.3', '10.0.0.2'],
    });
    guard.succeeded(owner);
    expect(guard.pending('admin')).toBeNull();
    expect(guard.pending('editor')).toMatchObject({ count: 1 });
    expect(guard.before({ username: 'admin', address: '10.9.9.9', clientKnown: false })).toEqual({ kind: 'check', delayMs: 0 });
  });
});
