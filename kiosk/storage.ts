/**
 * What the kiosk keeps between reloads: the last playlist (with the notice
 * texts), who it is (town, village, device), its pairing token and the
 * receipt outbox. It lives in IndexedDB, one database per device; the app
 * reads a snapshot loaded before the first render and writes through in the
 * background. Where IndexedDB cannot be opened the same interface runs on
 * localStorage.
 */
import type { KioskWelcome, OpenInterval, Playlist } from '@protocol';
import { openDatabase, transact } from './idb';
import {
  OUTBOX_STORE,
  QUARANTINE_STORE,
  SHOWINGS_STORE,
  type ReceiptSnapshot,
  type ReceiptStore,
  STATE_STORE,
  addNumbered,
  createIdbReceiptStore,
  createMemoryReceiptStore,
  emptyReceipts,
  legacyReceipts,
} from './receiptStore';

export interface KioskStorage {
  loadPlaylist: () => Playlist | null;
  savePlaylist: (playlist: Playlist) => void;
  loadWelcome: () => KioskWelcome | null;
  saveWelcome: (welcome: KioskWelcome) => void;
  loadToken: () => string | null;
  saveToken: (token: string) => void;
  /** The outbox's receipts. */
  receipts: ReceiptStore;
  /** Resolves once every save so far has reached the database. */
  settled: () => Promise<void>;
}

/** The part of the Web Storage API the kiosk uses; `localStorage` fits, and so does a Map-backed fake. */
export type KeyValueBackend = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** 2: open showing intervals (`showings`). */
export const DB_VERSION = 2;
export const databaseName = (deviceId: string): string => `gongshi-kiosk:${deviceId}`;
/** Where builds before IndexedDB kept each device's data in localStorage. */
export const legacyKey = (deviceId: string, name: string): string => `gongshi:kiosk:${deviceId}:${name}`;
const LEGACY_NAMES = ['playlist', 'welcome', 'token', 'outbox'] as const;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;
const asPlaylist = (value: unknown): Playlist | null =>
  isObject(value) && typeof value.version === 'string' && Array.isArray(value.items) ? (value as unknown as Playlist) : null;
const asWelcome = (value: unknown): KioskWelcome | null =>
  isObject(value) && isObject(value.device) && isObject(value.village) && isObject(value.town) ? (value as unknown as KioskWelcome) : null;
const asToken = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

function readJson(backend: Pick<Storage, 'getItem'>, key: string): unknown {
  try {
    const text = backend.getItem(key);
    return text === null ? null : (JSON.parse(text) as unknown);
  } catch {
    return null; // corrupt or unreadable: behave as if nothing was stored
  }
}

function upgrade(db: IDBDatabase, oldVersion: number): void {
  if (oldVersion < 1) {
    db.createObjectStore(STATE_STORE);
    db.createObjectStore(OUTBOX_STORE, { keyPath: 'seq' });
    db.createObjectStore(QUARANTINE_STORE, { keyPath: 'seq' });
  }
  if (oldVersion < 2) db.createObjectStore(SHOWINGS_STORE);
}

/**
 * Moves what an older build left in localStorage into the database, once:
 * values the database lacks, and every old receipt not already in the outbox
 * (as a display receipt with the next sequence numbers). The old keys go only
 * after the move has committed.
 */
async function migrateLegacy(db: IDBDatabase, deviceId: string, legacy: KeyValueBackend): Promise<void> {
  const found = LEGACY_NAMES.filter((name) => legacy.getItem(legacyKey(deviceId, name)) !== null);
  if (found.length === 0) return;
  const old = {
    playlist: asPlaylist(readJson(legacy, legacyKey(deviceId, 'playlist'))),
    welcome: asWelcome(readJson(legacy, legacyKey(deviceId, 'welcome'))),
    token: asToken(readJson(legacy, legacyKey(deviceId, 'token'))),
  };
  const receipts = legacyReceipts(readJson(legacy, legacyKey(deviceId, 'outbox')));
  await transact(
    db,
    [STATE_STORE, OUTBOX_STORE],
    'readwrite',
    (tx) => {
      const state = tx.objectStore(STATE_STORE);
      for (const [key, value] of Object.entries(old)) {
        if (value === null) continue;
        const has = state.count(key);
        has.onsuccess = () => {
          if (has.result === 0) state.put(value, key);
        };
      }
      const present = tx.objectStore(OUTBOX_STORE).getAll();
      present.onsuccess = () => {
        const ids = new Set((present.result as { receiptId: string }[]).map((r) => r.receiptId));
        addNumbered(
          tx,
          receipts.filter((r) => !ids.has(r.receiptId)),
          () => undefined,
        );
      };
    },
    'strict',
  );
  for (const name of found) legacy.removeItem(legacyKey(deviceId, name));
}

interface Snapshot {
  playlist: Playlist | null;
  welcome: KioskWelcome | null;
  token: string | null;
  pending: number;
  quarantined: number;
  open: OpenInterval[];
}

async function openIdbStorage(deviceId: string, factory: IDBFactory, legacy: KeyValueBackend | null): Promise<KioskStorage> {
  const db = await openDatabase(factory, databaseName(deviceId), DB_VERSION, upgrade);
  // An older build's leftovers must never keep the kiosk from starting; they stay where they are for the next try.
  if (legacy)
    await migrateLegacy(db, deviceId, legacy).catch((error: unknown) => console.warn('gongshi: could not migrate old data', error));
  const stores = [STATE_STORE, OUTBOX_STORE, QUARANTINE_STORE, SHOWINGS_STORE];
  const snapshot = await transact<Snapshot>(db, stores, 'readonly', (tx, result) => {
    const state = tx.objectStore(STATE_STORE);
    const [playlist, welcome, token] = [state.get('playlist'), state.get('welcome'), state.get('token')];
    const pending = tx.objectStore(OUTBOX_STORE).count();
    const quarantined = tx.objectStore(QUARANTINE_STORE).count();
    // Requests complete in order: when the last one is in, so is everything before it.
    const open = tx.objectStore(SHOWINGS_STORE).getAll();
    open.onsuccess = () =>
      result({
        playlist: asPlaylist(playlist.result),
        welcome: asWelcome(welcome.result),
        token: asToken(token.result),
        pending: pending.result,
        quarantined: quarantined.result,
        open: open.result as OpenInterval[],
      });
  });

  const writes = new Set<Promise<void>>();
  const save = (key: 'playlist' | 'welcome' | 'token', value: unknown): void => {
    const write = transact(db, STATE_STORE, 'readwrite', (tx) => {
      tx.objectStore(STATE_STORE).put(value, key);
    }).catch((error: unknown) => console.warn(`gongshi: could not store ${key}; keeping it in memory`, error));
    writes.add(write);
    void write.finally(() => writes.delete(write));
  };

  return {
    loadPlaylist: () => snapshot.playlist,
    savePlaylist(playlist) {
      snapshot.playlist = playlist;
      save('playlist', playlist);
    },
    loadWelcome: () => snapshot.welcome,
    saveWelcome(welcome) {
      snapshot.welcome = welcome;
      save('welcome', welcome);
    },
    loadToken: () => snapshot.token,
    saveToken(token) {
      snapshot.token = token;
      save('token', token);
    },
    receipts: createIdbReceiptStore(db, snapshot),
    settled: async () => {
      await Promise.all([...writes]);
    },
  };
}

function browserLocalStorage(): KeyValueBackend | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null; // storage disabled by policy
  }
}

export interface OpenStorageOptions {
  /** Defaults to the browser's; null forces the localStorage fallback. */
  indexedDB?: IDBFactory | null;
  /** Where an older build kept its data, and the fallback; defaults to localStorage. */
  legacy?: KeyValueBackend | null;
}

/**
 * Opens the device's database, migrates an older build's localStorage data
 * once and loads the snapshot the first render needs.
 *
 * @example
 * const storage = await openKioskStorage('demo-kiosk-v1');
 * render(<KioskApp storage={storage} … />, root);
 */
export async function openKioskStorage(deviceId: string, options: OpenStorageOptions = {}): Promise<KioskStorage> {
  const factory = options.indexedDB === undefined ? (globalThis.indexedDB ?? null) : options.indexedDB;
  const legacy = options.legacy === undefined ? browserLocalStorage() : options.legacy;
  if (factory) {
    try {
      return await openIdbStorage(deviceId, factory, legacy);
    } catch (error) {
      console.warn('gongshi: IndexedDB could not be opened; keeping data in localStorage instead', error);
    }
  }
  return createKioskStorage(deviceId, legacy ?? mapBackend());
}

/** A Storage stand-in in memory: nothing survives a reload. */
export function mapBackend(): KeyValueBackend {
  const data = new Map<string, string>();
  return {
    getItem: (key) => data.get(key) ?? null,
    setItem: (key, value) => void data.set(key, value),
    removeItem: (key) => void data.delete(key),
  };
}

/**
 * The fallback: everything in a key-value store (localStorage), one key set per
 * device so two kiosks opened in the same browser do not share an outbox.
 * Synchronous, so also what component tests use.
 *
 * @example
 * const storage = createKioskStorage('demo-kiosk-v2', localStorage);
 */
export function createKioskStorage(deviceId: string, backend: KeyValueBackend): KioskStorage {
  const key = (name: string): string => legacyKey(deviceId, name);
  const read = (name: string): unknown => readJson(backend, key(name));
  const write = (name: string, value: unknown): void => {
    try {
      backend.setItem(key(name), JSON.stringify(value));
    } catch (error) {
      // Quota full or storage disabled: keep running on what is in memory.
      console.warn(`gongshi: could not store ${name}`, error);
    }
  };

  const saved = read('receipts') as ReceiptSnapshot | null;
  const receipts = createMemoryReceiptStore(
    isObject(saved) && typeof saved.nextSeq === 'number' && Array.isArray(saved.pending) && Array.isArray(saved.quarantine)
      ? saved
      : emptyReceipts(),
    (snapshot) => write('receipts', snapshot),
  );
  // An older build's outbox: take its receipts over, then drop the old key.
  const old = legacyReceipts(read('outbox'));
  if (old.length > 0) void receipts.append(old);
  if (backend.getItem(key('outbox')) !== null) backend.removeItem(key('outbox'));

  return {
    loadPlaylist: () => asPlaylist(read('playlist')),
    savePlaylist: (playlist) => write('playlist', playlist),
    loadWelcome: () => asWelcome(read('welcome')),
    saveWelcome: (welcome) => write('welcome', welcome),
    loadToken: () => asToken(read('token')),
    saveToken: (token) => write('token', token),
    receipts,
    settled: () => Promise.resolve(),
  };
}
