/** `/api/town` and `/api/villages`: the town and its villages. */
import { TOWN_ROUTES, ok } from '../protocol/index.js';
import type { VillageService } from '../services/villages.js';
import { currentUser, parse, send } from './respond.js';
import type { Handlers } from './routes.js';

export function townHandlers(deps: { villages: VillageService }): Handlers<typeof TOWN_ROUTES> {
  return {
    town: (_req, res) => {
      send(res, ok(deps.villages.info()));
    },
    createVillage: async (req, res) => {
      const body = parse(TOWN_ROUTES.createVillage.body, req.body, res);
      if (body) send(res, await deps.villages.create(body.name, currentUser(res)), 201);
    },
    renameVillage: async (req, res) => {
      const body = parse(TOWN_ROUTES.renameVillage.body, req.body, res);
      if (body) send(res, await deps.villages.rename(req.params.id, body.name, currentUser(res)));
    },
  };
}
