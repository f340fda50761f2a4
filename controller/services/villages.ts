/** The town's villages: admins add and rename them. */
import { randomUUID } from 'node:crypto';
import type { EventBus } from '../events.js';
import type { Logger } from '../logger.js';
import { type Ack, type StaffUser, type TownInfo, type Village, fail, ok } from '../protocol/index.js';
import type { Ledger } from '../store/ledger.js';
import { recordThenSave } from '../store/recordThenSave.js';
import type { StateStore } from '../store/state.js';
import { createSerial } from '../util/serial.js';

export interface VillageService {
  /** The town and its villages. */
  info(): TownInfo;
  create(name: string, actor: StaffUser): Promise<Ack<Village>>;
  rename(id: string, name: string, actor: StaffUser): Promise<Ack<Village>>;
}

export function createVillageService(deps: { store: StateStore; ledger: Ledger; bus: EventBus; logger: Logger }): VillageService {
  const serial = createSerial();
  const taken = (name: string, except?: string) => deps.store.read().villages.some((v) => v.name === name && v.id !== except);
  return {
    info: () => {
      const { town, villages } = deps.store.read();
      return { town, villages };
    },
    create: (name, actor) =>
      serial(async () => {
        if (taken(name)) return fail('conflict', `there is already a village named ${name}`, { name: 'already exists (村名已存在)' });
        const village: Village = { id: `v-${randomUUID().slice(0, 8)}`, name };
        await recordThenSave(
          deps,
          { type: 'village.created', villageId: village.id, name, actorId: actor.id },
          (s) => void s.villages.push(village),
        );
        deps.logger.info(`village ${name} added by ${actor.username}`);
        return ok(village);
      }),
    rename: (id, name, actor) =>
      serial(async () => {
        if (!deps.store.read().villages.some((v) => v.id === id)) return fail('not_found', `no village with id ${id}`);
        if (taken(name, id)) return fail('conflict', `there is already a village named ${name}`, { name: 'already exists (村名已存在)' });
        await recordThenSave(deps, { type: 'village.renamed', villageId: id, name, actorId: actor.id }, (s) => {
          const village = s.villages.find((v) => v.id === id);
          if (village) village.name = name;
        });
        deps.bus.emit('playlists:stale');
        return ok({ id, name });
      }),
  };
}
