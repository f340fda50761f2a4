/**
 * What a village node drives its signs by: the schedule the controller last
 * sent (the signs' profiles, each sign's playlist with the notices' LED text
 * and posting windows), kept durably in `<data>/schedule.json` so that the
 * node starts from it after a restart with the town out of reach. It is the
 * signs service's profile source and playlist service on the node: the same
 * service as on the controller, fed from a file instead of the state.
 */
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { PlaylistTarget } from '../domain/playlist.js';
import { type NodeSchedule, type Playlist, type SignProfile, parseSignProfile } from '../protocol/index.js';
import type { PlaylistService } from '../services/playlists.js';
import { writeFileDurably } from '../store/durableFile.js';

export const SCHEDULE_FILE = 'schedule.json';

const EMPTY: Playlist = { version: 'empty', generatedAt: 0, items: [], onHours: null };

export interface ScheduleStore extends PlaylistService {
  /** Reads the saved schedule, if any. */
  start(): Promise<void>;
  current(): NodeSchedule | null;
  /**
   * Takes a new schedule: the signs are driven by it at once (`changed`), and it is written durably behind
   * (`saved`), the writes one after another so that an older schedule never lands over a newer one. The display
   * does not wait for the disk: a node that dies before the write starts from the previous schedule and gets this
   * one again when it reconnects.
   */
  keep(schedule: NodeSchedule): { changed: boolean; saved: Promise<void> };
  /** Profiles are edited in the admin only: a node never saves one. */
  save(input: unknown): Promise<SignProfile>;
  /** Resolves once every schedule taken so far is on disk (or its write failed, which was logged). */
  settled(): Promise<void>;
  /** Forgets the schedule (the node was revoked). */
  clear(): Promise<void>;
  list(): readonly SignProfile[];
  remove(id: string): Promise<boolean>;
}

export function createScheduleStore(deps: { dataDir: string }): ScheduleStore {
  const file = path.join(deps.dataDir, SCHEDULE_FILE);
  let schedule: NodeSchedule | null = null;
  /** The last durable write asked for; the next waits for it. */
  let writing: Promise<void> = Promise.resolve();
  /** Each sign's playlist by its village: the signs service asks by target. */
  let byVillage = new Map<string, Playlist>();
  const adopt = (next: NodeSchedule | null): void => {
    schedule = next;
    byVillage = new Map();
    for (const p of next?.signs ?? []) {
      const list = next?.playlists[p.id];
      if (list) byVillage.set(p.villageId, list);
    }
  };
  return {
    async start() {
      const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return null;
        throw error;
      });
      if (text === null) return;
      const saved = JSON.parse(text) as NodeSchedule;
      // Profiles are checked again on load, as the controller's own signs.json is.
      adopt({ ...saved, signs: saved.signs.map((p) => parseSignProfile(p)) });
    },
    current: () => schedule,
    keep(next) {
      if (schedule?.version === next.version) return { changed: false, saved: writing };
      adopt(next);
      const text = JSON.stringify(next);
      writing = writing.catch(() => undefined).then(() => writeFileDurably(file, text));
      return { changed: true, saved: writing };
    },
    settled: () => writing.catch(() => undefined),
    async clear() {
      await writing.catch(() => undefined);
      await rm(file, { force: true });
      adopt(null);
    },
    list: () => schedule?.signs ?? [],
    remove: () => Promise.resolve(false),
    save: () => Promise.reject(new Error('sign profiles are edited in the admin only (屏参数只能在管理后台修改)')),
    forTarget: (target: PlaylistTarget) => byVillage.get(target.villageId) ?? EMPTY,
  };
}
