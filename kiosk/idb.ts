/**
 * The little of IndexedDB the kiosk needs, as promises: open with an upgrade
 * step, and run one transaction that resolves once it has committed. Written
 * by hand because every byte ships to every kiosk; requests inside a
 * transaction chain by callbacks, never by awaiting, so no browser can commit
 * the transaction between two steps.
 */

export type Upgrade = (db: IDBDatabase, oldVersion: number) => void;

/**
 * @example
 * const db = await openDatabase(indexedDB, 'gongshi-kiosk:k1', 1, (db) => db.createObjectStore('state'));
 */
export function openDatabase(factory: IDBFactory, name: string, version: number, upgrade: Upgrade): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = factory.open(name, version);
    request.onupgradeneeded = (event) => upgrade(request.result, event.oldVersion);
    request.onsuccess = () => {
      const db = request.result;
      // A newer build in another tab wants to upgrade: step aside rather than block it.
      db.onversionchange = () => db.close();
      resolve(db);
    };
    request.onerror = () => reject(request.error ?? new Error(`could not open ${name}`));
  });
}

/**
 * Runs `work` in one transaction and resolves with what it passed to `result`
 * once the transaction has committed; rejects when it aborts. `strict`
 * durability asks the browser to flush to disk before reporting success (a
 * kiosk loses power without warning).
 *
 * @example
 * const value = await transact<unknown>(db, 'state', 'readonly', (tx, result) => {
 *   const get = tx.objectStore('state').get('playlist');
 *   get.onsuccess = () => result(get.result);
 * });
 */
export function transact<T = void>(
  db: IDBDatabase,
  stores: string | string[],
  mode: IDBTransactionMode,
  work: (tx: IDBTransaction, result: (value: T) => void) => void,
  durability: IDBTransactionDurability = 'default',
): Promise<T> {
  return new Promise((resolve, reject) => {
    let value = undefined as T;
    const tx = db.transaction(stores, mode, { durability });
    tx.oncomplete = () => resolve(value);
    tx.onabort = () => reject(tx.error ?? new Error('transaction aborted'));
    try {
      work(tx, (v) => {
        value = v;
      });
    } catch (error) {
      reject(error instanceof Error ? error : new Error(String(error)));
      tx.abort();
    }
  });
}
