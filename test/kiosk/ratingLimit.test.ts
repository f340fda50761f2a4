import { describe, expect, it } from 'vitest';
import { RATING_INTERVAL_MIN, createRatingGate } from '../../kiosk/ratingLimit';
import { memoryBackend } from './fixtures';

describe('createRatingGate', () => {
  it('allows one rating per notice every ten minutes, per notice, and remembers it across a reload', () => {
    let clock = 1_000_000;
    const backend = memoryBackend();
    const gate = createRatingGate(backend, () => clock);
    expect(gate.nextAllowedAt('n1')).toBeLessThanOrEqual(clock);
    gate.record('n1');
    expect(gate.nextAllowedAt('n1')).toBe(clock + RATING_INTERVAL_MIN * 60_000);
    expect(gate.nextAllowedAt('n2')).toBeLessThanOrEqual(clock);

    clock += 5 * 60_000;
    const reloaded = createRatingGate(backend, () => clock);
    expect(reloaded.nextAllowedAt('n1')).toBe(1_000_000 + 10 * 60_000);
    clock += 5 * 60_000;
    expect(reloaded.nextAllowedAt('n1')).toBeLessThanOrEqual(clock);
  });

  it('survives broken or missing storage', () => {
    const backend = memoryBackend();
    backend.setItem('gongshi.kiosk.ratedAt', '{not json');
    const gate = createRatingGate(backend, () => 5);
    expect(gate.nextAllowedAt('n1')).toBeLessThanOrEqual(5);
    const none = createRatingGate(null, () => 5);
    none.record('n1');
    expect(none.nextAllowedAt('n1')).toBe(5 + 600_000);
  });
});
