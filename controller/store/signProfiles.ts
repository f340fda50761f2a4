/**
 * Sign profiles in their own file, `<data dir>/signs.json`, written durably
 * like the state file. Every profile is validated on the way in and on load,
 * so a hand-edited file with a wrong field is refused with the field named.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Low } from 'lowdb';
import { type SignProfile, parseSignProfile } from '../protocol/signProfile.js';
import { DurableJsonFile } from './durableFile.js';

interface SignsFile {
  schemaVersion: 1;
  profiles: SignProfile[];
}

export interface SignProfileStore {
  start(): Promise<void>;
  list(): readonly SignProfile[];
  /** Validates and saves (insert or replace by id); throws SignProfileError naming each bad field. */
  save(input: unknown): Promise<SignProfile>;
  remove(id: string): Promise<boolean>;
}

export function createSignProfileStore(deps: { dataDir: string }): SignProfileStore {
  const file = path.join(deps.dataDir, 'signs.json');
  let db: Low<SignsFile> | null = null;
  let queue: Promise<unknown> = Promise.resolve();

  const current = (): Low<SignsFile> => {
    if (!db) throw new Error('sign profile store used before start()');
    return db;
  };

  const write = <T>(change: (data: SignsFile) => T): Promise<T> => {
    const run = async () => {
      const low = current();
      const draft = structuredClone(low.data);
      const result = change(draft);
      const before = low.data;
      low.data = draft;
      try {
        await low.write();
      } catch (error) {
        low.data = before;
        throw error;
      }
      return result;
    };
    const next = queue.then(run, run);
    queue = next.catch(() => undefined);
    return next;
  };

  return {
    async start() {
      await mkdir(deps.dataDir, { recursive: true });
      const low = new Low<SignsFile | null>(new DurableJsonFile<SignsFile | null>(file), null);
      await low.read();
      const data = low.data ?? { schemaVersion: 1, profiles: [] };
      data.profiles = data.profiles.map((p) => parseSignProfile(p));
      db = low as Low<SignsFile>;
      db.data = data;
    },
    list: () => current().data.profiles,
    async save(input) {
      const profile = parseSignProfile(input);
      await write((data) => {
        const at = data.profiles.findIndex((p) => p.id === profile.id);
        if (at >= 0) data.profiles[at] = profile;
        else data.profiles.push(profile);
      });
      return profile;
    },
    remove: (id) =>
      write((data) => {
        const before = data.profiles.length;
        data.profiles = data.profiles.filter((p) => p.id !== id);
        return data.profiles.length < before;
      }),
  };
}
