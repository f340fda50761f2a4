/** `/api/town` and `/api/villages`: the town and its villages. */
import { type TownInfo, ok, villageRequest } from '../protocol/index.js';
import type { VillageService } from '../services/villages.js';
import type { StateStore } from '../store/state.js';
import { currentUser, param, parse, send } from './respond.js';
import { type RouteDef, route } from './routes.js';

export function townRoutes(deps: { store: StateStore; villages: VillageService }): RouteDef[] {
  return [
    route('get', '/town', 'signed_in', (_req, res) => {
      const { town, villages } = deps.store.read();
      send(res, ok<TownInfo>({ town, villages }));
    }),
    route('post', '/villages', ['admin'], async (req, res) => {
      const body = parse(villageRequest, req.body, res);
      if (body) send(res, await deps.villages.create(body.name, currentUser(res)), 201);
    }),
    route('patch', '/villages/:id', ['admin'], async (req, res) => {
      const body = parse(villageRequest, req.body, res);
      if (body) send(res, await deps.villages.rename(param(req, 'id'), body.name, currentUser(res)));
    }),
  ];
}
