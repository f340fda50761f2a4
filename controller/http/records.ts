/** `/api/records`: display records from the ledger, newest first. */
import { Router } from 'express';
import { listRecordsQuery, ok } from '../protocol/index.js';
import type { DisplayService } from '../services/displays.js';
import { parse, send } from './respond.js';

export function recordsRouter(deps: { displays: DisplayService }): Router {
  const router = Router();
  router.get('/', (req, res) => {
    const query = parse(listRecordsQuery, req.query, res);
    if (!query) return;
    send(res, ok(deps.displays.list(query)));
  });
  return router;
}
