/** `/api/records`: display records from the ledger, newest first. */
import { listRecordsQuery, ok } from '../protocol/index.js';
import type { DisplayService } from '../services/displays.js';
import { parse, send } from './respond.js';
import { type RouteDef, route } from './routes.js';

export function recordRoutes(deps: { displays: DisplayService }): RouteDef[] {
  return [
    route('get', '/records', 'signed_in', (req, res) => {
      const query = parse(listRecordsQuery, req.query, res);
      if (query) send(res, ok(deps.displays.list(query)));
    }),
  ];
}
