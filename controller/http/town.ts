/** `/api/town`: the town and its villages. */
import { Router } from 'express';
import { type TownInfo, ok } from '../protocol/index.js';
import type { StateStore } from '../store/state.js';
import { send } from './respond.js';

export function townRouter(deps: { store: StateStore }): Router {
  const router = Router();
  router.get('/', (_req, res) => {
    const { town, villages } = deps.store.read();
    send(res, ok<TownInfo>({ town, villages }));
  });
  return router;
}
