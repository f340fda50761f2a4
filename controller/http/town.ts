/** `/api/town` and `/api/villages`: the town and its villages. */
import { ok, villageRequest } from '../protocol/index.js';
import type { VillageService } from '../services/villages.js';
import { currentUser, param, parse, send } from './respond.js';
import { type RouteDef, route } from './routes.js';

export function townRoutes(deps: { villages: VillageService }): RouteDef[] {
  return [
    route('get', '/town', 'signed_in', (_req, res) => {
      send(res, ok(deps.villages.info()));
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
