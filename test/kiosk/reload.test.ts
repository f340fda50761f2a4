import { describe, expect, it } from 'vitest';
import { RELOAD_GUARD_MS, shouldReload } from '../../kiosk/reload';
import { memoryBackend } from './fixtures';

describe('shouldReload', () => {
  it('reloads for another build, not for our own or for dev', () => {
    const memory = memoryBackend();
    expect(shouldReload('b-1', 'b-1', memory, 0)).toBe(false);
    expect(shouldReload('dev', 'b-1', memory, 0)).toBe(false);
    expect(shouldReload('b-2', 'b-1', memory, 0)).toBe(true);
  });

  it('reloads once per server build, so a controller rebuilt without a restart cannot cause a reload loop', () => {
    const memory = memoryBackend();
    expect(shouldReload('b-2', 'b-1', memory, 0)).toBe(true);
    expect(shouldReload('b-2', 'b-1', memory, 1_000)).toBe(false);
    expect(shouldReload('b-3', 'b-1', memory, 2_000)).toBe(true);
    expect(shouldReload('b-3', 'b-1', memory, 2_000 + RELOAD_GUARD_MS)).toBe(true);
  });
});
