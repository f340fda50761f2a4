import type { KioskWelcome } from '@protocol';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createKioskStorage, legacyKey, openKioskStorage } from '../../kiosk/storage';
import { item, memoryBackend, playlist, receipt } from './fixtures';

const welcome = (village: string): KioskWelcome =>
  ({
    device: { id: 'k1', kind: 'kiosk', name: `${village}触摸屏`, villageId: 'v2' },
    village: { id: 'v2', name: village },
    town: { name: '彪角镇', issuer: '彪角镇人民政府' },
  }) as unknown as KioskWelcome;

// A failing test must not leave console.warn silenced (and counted) for the next one.
afterEach(() => {
  vi.restoreAllMocks();
});

function profile() {
  const indexedDB = new IDBFactory();
  const legacy = memoryBackend();
  return { indexedDB, legacy, open: (deviceId = 'k1') => openKioskStorage(deviceId, { indexedDB, legacy }) };
}

describe('kiosk storage in IndexedDB', () => {
  it('has the saved playlist, welcome and token in the snapshot of the next open (a reload), per device', async () => {
    const { open, legacy } = profile();
    const first = await open();
    expect(first.loadPlaylist()).toBeNull();
    first.savePlaylist(playlist([item({ title: '低保公示' })], 'v7'));
    first.saveWelcome(welcome('张堂村'));
    first.saveToken('t');
    // Written through: the snapshot answers at once.
    expect(first.loadPlaylist()?.version).toBe('v7');
    await first.settled();

    const again = await open();
    expect(again.loadPlaylist()?.items[0]?.title).toBe('低保公示');
    expect(again.loadWelcome()?.village.name).toBe('张堂村');
    expect(again.loadToken()).toBe('t');
    expect((await open('k2')).loadToken()).toBeNull();
    // Nothing went to localStorage.
    expect(legacy.data.size).toBe(0);
  });

  it('keeps the last of several quick saves', async () => {
    const { open } = profile();
    const storage = await open();
    for (const version of ['a', 'b', 'c']) storage.savePlaylist(playlist([], version));
    await storage.settled();
    expect((await open()).loadPlaylist()?.version).toBe('c');
  });

  it('moves an older build’s localStorage data into the database once and removes it', async () => {
    const { open, legacy } = profile();
    legacy.setItem(legacyKey('k1', 'playlist'), JSON.stringify(playlist([item()], 'old')));
    legacy.setItem(legacyKey('k1', 'welcome'), JSON.stringify(welcome('宋营村')));
    legacy.setItem(legacyKey('k1', 'token'), JSON.stringify('paired-token'));
    legacy.setItem(legacyKey('k1', 'outbox'), JSON.stringify([receipt()]));
    legacy.setItem(legacyKey('k2', 'token'), JSON.stringify('other device'));

    const storage = await open();
    expect(storage.loadPlaylist()?.version).toBe('old');
    expect(storage.loadWelcome()?.village.name).toBe('宋营村');
    expect(storage.loadToken()).toBe('paired-token');
    expect(storage.receipts.size()).toBe(1);
    expect([...legacy.data.keys()]).toEqual([legacyKey('k2', 'token')]);

    storage.savePlaylist(playlist([], 'new'));
    await storage.settled();
    const again = await open();
    expect(again.loadPlaylist()?.version).toBe('new');
    expect(again.receipts.size()).toBe(1);
  });

  it('does not let an older build’s leftovers overwrite what the database has', async () => {
    const { open, legacy } = profile();
    const storage = await open();
    storage.saveToken('current');
    await storage.settled();
    legacy.setItem(legacyKey('k1', 'token'), JSON.stringify('stale'));
    expect((await open()).loadToken()).toBe('current');
    expect(legacy.data.size).toBe(0);
  });

  it('treats corrupt or foreign localStorage data as nothing stored', async () => {
    const { open, legacy } = profile();
    legacy.setItem(legacyKey('k1', 'playlist'), '{not json');
    legacy.setItem(legacyKey('k1', 'outbox'), '{"receiptId":"x"}');
    legacy.setItem(legacyKey('k1', 'welcome'), '"hello"');
    const storage = await open();
    expect(storage.loadPlaylist()).toBeNull();
    expect(storage.loadWelcome()).toBeNull();
    expect(storage.receipts.size()).toBe(0);
    expect(legacy.data.size).toBe(0);
  });

  it('still opens when an older build’s localStorage cannot be read', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const indexedDB = new IDBFactory();
    const unreadable = {
      getItem: () => {
        throw new DOMException('denied', 'SecurityError');
      },
      setItem: () => undefined,
      removeItem: () => undefined,
    };
    const storage = await openKioskStorage('k1', { indexedDB, legacy: unreadable });
    storage.saveToken('t');
    await storage.settled();
    expect((await openKioskStorage('k1', { indexedDB, legacy: null })).loadToken()).toBe('t');
    expect(warn).toHaveBeenCalledOnce();
  });

  it('falls back to localStorage where IndexedDB cannot be opened', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const legacy = memoryBackend();
    const broken = {
      open: () => {
        throw new DOMException('denied', 'SecurityError');
      },
    } as unknown as IDBFactory;
    const storage = await openKioskStorage('k1', { indexedDB: broken, legacy });
    storage.saveToken('t');
    await storage.receipts.append([receipt()]);
    expect(createKioskStorage('k1', legacy).loadToken()).toBe('t');
    expect(createKioskStorage('k1', legacy).receipts.size()).toBe(1);
    expect(warn).toHaveBeenCalledOnce();
  });
});

describe('kiosk storage in localStorage (the fallback)', () => {
  it('round-trips the playlist, token and numbered receipts per device', async () => {
    const backend = memoryBackend();
    const k1 = createKioskStorage('k1', backend);
    k1.savePlaylist(playlist([item()]));
    k1.saveToken('t');
    await k1.receipts.append([receipt(), receipt()]);
    const again = createKioskStorage('k1', backend);
    expect(again.loadPlaylist()?.items[0]?.noticeId).toBe('n1');
    expect(again.loadToken()).toBe('t');
    expect((await again.receipts.append([receipt()]))[0]?.seq).toBe(3);
    expect(createKioskStorage('k2', backend).loadToken()).toBeNull();
  });

  it('takes over an older build’s outbox as display receipts', async () => {
    const backend = memoryBackend();
    const { kind: _kind, ...old } = receipt();
    backend.setItem(legacyKey('k1', 'outbox'), JSON.stringify([old]));
    const storage = createKioskStorage('k1', backend);
    expect(await storage.receipts.oldest(10)).toEqual([{ kind: 'display', ...old, seq: 1 }]);
    expect(backend.getItem(legacyKey('k1', 'outbox'))).toBeNull();
  });

  it('keeps running when the browser refuses to store (quota full)', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const storage = createKioskStorage('k1', {
      getItem: () => null,
      setItem: () => {
        throw new DOMException('full', 'QuotaExceededError');
      },
      removeItem: () => undefined,
    });
    expect(() => storage.savePlaylist(playlist([]))).not.toThrow();
    expect(warn).toHaveBeenCalledOnce();
  });
});
