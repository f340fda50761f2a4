/**
 * What the kiosk keeps between reloads: the last playlist, who it is (town,
 * village, device), the display-receipt outbox and its pairing token. Behind a
 * small interface so IndexedDB can replace localStorage without touching
 * callers.
 */
import type { DisplayReceipt, KioskWelcome, Playlist } from '@protocol';

export interface KioskStorage {
  loadPlaylist: () => Playlist | null;
  savePlaylist: (playlist: Playlist) => void;
  loadWelcome: () => KioskWelcome | null;
  saveWelcome: (welcome: KioskWelcome) => void;
  loadOutbox: () => DisplayReceipt[];
  saveOutbox: (receipts: readonly DisplayReceipt[]) => void;
  loadToken: () => string | null;
  saveToken: (token: string) => void;
}

/** The part of the Web Storage API the kiosk uses; `localStorage` fits, and so does a Map-backed fake. */
export type KeyValueBackend = Pick<Storage, 'getItem' | 'setItem'>;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

function isPlaylist(value: unknown): value is Playlist {
  return isObject(value) && typeof value.version === 'string' && Array.isArray(value.items);
}

function isWelcome(value: unknown): value is KioskWelcome {
  return isObject(value) && isObject(value.device) && isObject(value.village) && isObject(value.town);
}

function isReceipt(value: unknown): value is DisplayReceipt {
  return isObject(value) && typeof value.receiptId === 'string' && typeof value.noticeId === 'string';
}

/**
 * localStorage-backed storage, one key set per device so two kiosks opened in
 * the same browser (a test bench) do not share an outbox.
 *
 * @example
 * const storage = createKioskStorage('demo-kiosk-v2');
 * storage.savePlaylist(playlist);
 */
export function createKioskStorage(deviceId: string, backend: KeyValueBackend = localStorage): KioskStorage {
  const key = (name: string): string => `gongshi:kiosk:${deviceId}:${name}`;
  const read = (name: string): unknown => {
    try {
      const text = backend.getItem(key(name));
      return text === null ? null : (JSON.parse(text) as unknown);
    } catch {
      return null; // corrupt or unreadable: behave as if nothing was stored
    }
  };
  const write = (name: string, value: unknown): void => {
    try {
      backend.setItem(key(name), JSON.stringify(value));
    } catch (error) {
      // Quota full or storage disabled: keep running on what is in memory.
      console.warn(`gongshi: could not store ${name}`, error);
    }
  };

  return {
    loadPlaylist: () => {
      const value = read('playlist');
      return isPlaylist(value) ? value : null;
    },
    savePlaylist: (playlist) => write('playlist', playlist),
    loadWelcome: () => {
      const value = read('welcome');
      return isWelcome(value) ? value : null;
    },
    saveWelcome: (welcome) => write('welcome', welcome),
    loadOutbox: () => {
      const value = read('outbox');
      return Array.isArray(value) ? value.filter(isReceipt) : [];
    },
    saveOutbox: (receipts) => write('outbox', receipts),
    loadToken: () => {
      const value = read('token');
      return typeof value === 'string' && value !== '' ? value : null;
    },
    saveToken: (token) => write('token', token),
  };
}
