import { describe, expect, it, vi } from 'vitest';
import { createKioskStorage } from '../../kiosk/storage';
import { item, memoryBackend, playlist } from './fixtures';

describe('kiosk storage', () => {
  it('round-trips the playlist and token per device', () => {
    const backend = memoryBackend();
    const k1 = createKioskStorage('k1', backend);
    k1.savePlaylist(playlist([item()]));
    k1.saveToken('t');
    const again = createKioskStorage('k1', backend);
    expect(again.loadPlaylist()?.items[0]?.noticeId).toBe('n1');
    expect(again.loadToken()).toBe('t');
    expect(createKioskStorage('k2', backend).loadToken()).toBeNull();
  });

  it('treats corrupt or foreign data as nothing stored', () => {
    const backend = memoryBackend();
    backend.setItem('gongshi:kiosk:k1:playlist', '{not json');
    backend.setItem('gongshi:kiosk:k1:outbox', '{"receiptId":"x"}');
    backend.setItem('gongshi:kiosk:k1:welcome', '"hello"');
    const storage = createKioskStorage('k1', backend);
    expect(storage.loadPlaylist()).toBeNull();
    expect(storage.loadOutbox()).toEqual([]);
    expect(storage.loadWelcome()).toBeNull();
  });

  it('keeps running when the browser refuses to store (quota full)', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const storage = createKioskStorage('k1', {
      getItem: () => null,
      setItem: () => {
        throw new DOMException('full', 'QuotaExceededError');
      },
    });
    expect(() => storage.savePlaylist(playlist([]))).not.toThrow();
    expect(warn).toHaveBeenCalledOnce();
    warn.mockRestore();
  });
});
