/**
 * The small, mutable world (users, villages, devices, notices, sessions) in one
 * lowdb file, `<data dir>/state.json`. Every change goes through `update`,
 * which applies it to a copy and only swaps the copy in once it is on disk:
 * a change that throws, or a write that fails, leaves nothing half-saved.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Low } from 'lowdb';
import { DurableJsonFile } from './durableFile.js';
import type { NoticeRecord } from '../domain/notices.js';
import type { Device, FailedSignIns, OnHours, Role, Town, TownSettings, Village } from '../protocol/index.js';
import type { Logger } from '../logger.js';
import { StateFileError } from './errors.js';
import { GENESIS_HASH } from './records.js';
import { CURRENT_SCHEMA_VERSION, migrate } from './migrations.js';

export { StateFileError };

export interface UserRecord {
  id: string;
  username: string;
  displayName: string;
  roles: Role[];
  villageIds: string[];
  passwordHash: string;
  disabled: boolean;
  mustChangePassword: boolean;
  createdAt: number;
  /** SHA-256 of the client cookies of browsers that signed in to this account, newest first (auth/signInGuard.ts). */
  knownClients?: string[];
}

export interface SessionRecord {
  /** SHA-256 of the session id; the id itself lives only in the user's cookie. */
  idHash: string;
  userId: string;
  createdAt: number;
  expiresAt: number;
  /** Failed sign-ins to the account before this session began, told to its user. */
  failedSignIns?: FailedSignIns;
}

export interface DeviceRecord extends Pick<Device, 'id' | 'kind' | 'name' | 'villageId' | 'demo' | 'lastSeenAt'> {
  /** SHA-256 of the device token; null for demo devices that have not been paired, and for revoked ones. */
  tokenHash: string | null;
  createdAt: number;
  /** Added after schema 2; absent means '' / null. */
  location?: string;
  revokedAt?: number | null;
  onHours?: OnHours | null;
}

export interface State {
  schemaVersion: number;
  createdAt: number;
  town: Town;
  villages: Village[];
  users: UserRecord[];
  sessions: SessionRecord[];
  devices: DeviceRecord[];
  notices: NoticeRecord[];
  settings: Settings;
  /**
   * The last ledger record this state reflects, written in the same atomic write as every staff change
   * (store/recordThenSave.ts); absent in files written before it existed. The start voids the staff changes
   * recorded after it (store/reconcile.ts).
   */
  ledgerMark?: LedgerMark;
}

/** A ledger position: a record's sequence number and hash. */
export interface LedgerMark {
  seq: number;
  hash: string;
}

export type Settings = TownSettings;

export function emptyState(now: number): State {
  return {
    schemaVersion: CURRENT_SCHEMA_VERSION,
    createdAt: now,
    town: { name: '', issuer: '' },
    villages: [],
    users: [],
    sessions: [],
    devices: [],
    notices: [],
    settings: { holidayOverrides: { holidays: [], workdays: [] } },
    // A new state reflects no ledger record yet: the start voids any staff change an earlier, interrupted start left.
    ledgerMark: { seq: 0, hash: GENESIS_HASH },
  };
}

export interface StateStore {
  /** Loads (creating if absent) and migrates the state file. `fresh` is true when the file did not exist. */
  start(): Promise<{ fresh: boolean }>;
  stop(): Promise<void>;
  read(): Readonly<State>;
  /** Applies `change` to a copy, writes it, then makes it current. Changes run one at a time. */
  update<T>(change: (draft: State) => T): Promise<T>;
}

/**
 * A copy of the state for a change to work on. The state is JSON data (it is read from and written to a JSON file),
 * so plain objects and arrays are copied field by field, several times faster than `structuredClone` (which a
 * pairing with 3,000 devices paid on every state write); anything else a change may have put in it (a Date, a Map)
 * is still copied by `structuredClone`.
 */
export function copyState<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const out: unknown[] = new Array(value.length);
    for (let i = 0; i < value.length; i++) out[i] = copyState(value[i] as unknown);
    return out as T;
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return structuredClone(value);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) out[key] = copyState((value as Record<string, unknown>)[key]);
  return out as T;
}

export function createStateStore(deps: { dataDir: string; logger: Logger; now: () => number }): StateStore {
  const file = path.join(deps.dataDir, 'state.json');
  let db: Low<State> | null = null;
  let current: State | null = null;
  let queue: Promise<unknown> = Promise.resolve();

  const requireStarted = (): { db: Low<State>; state: State } => {
    if (!db || !current) throw new Error('state store used before start()');
    return { db, state: current };
  };

  return {
    async start() {
      await mkdir(deps.dataDir, { recursive: true });
      const low = new Low<State | null>(new DurableJsonFile<State | null>(file), null);
      try {
        await low.read();
      } catch (cause) {
        throw new StateFileError(`${file} is not valid JSON; restore it from a backup or move it away to start empty`, { cause });
      }
      const fresh = low.data === null;
      const loaded = fresh ? emptyState(deps.now()) : migrate(low.data, file, deps.logger);
      const migrated = loaded !== low.data;
      db = low as Low<State>;
      db.data = loaded;
      if (fresh || migrated) await db.write();
      current = loaded;
      deps.logger.info(fresh ? `created ${file}` : `loaded ${file}`, { schemaVersion: loaded.schemaVersion });
      return { fresh };
    },

    async stop() {
      await queue.catch(() => undefined);
      db = null;
      current = null;
    },

    read() {
      return requireStarted().state;
    },

    update<T>(change: (draft: State) => T): Promise<T> {
      const run = async (): Promise<T> => {
        const { db: low, state } = requireStarted();
        const draft = copyState(state);
        const result = change(draft);
        low.data = draft;
        try {
          await low.write();
        } catch (error) {
          low.data = state;
          throw error;
        }
        current = draft;
        return result;
      };
      const next = queue.then(run, run);
      queue = next.catch(() => undefined);
      return next;
    },
  };
}
