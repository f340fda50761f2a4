/** `/api/records`: display records from the ledger, newest first. */
import { villageScope } from '../domain/notices.js';
import { RECORD_ROUTES, ok } from '../protocol/index.js';
import type { DisplayService } from '../services/displays.js';
import { currentUser, parse, send } from './respond.js';
import type { Handlers } from './routes.js';

export function recordHandlers(deps: { displays: DisplayService }): Handlers<typeof RECORD_ROUTES> {
  return {
    records: (req, res) => {
      const query = parse(RECORD_ROUTES.records.query, req.query, res);
      const limit = villageScope(currentUser(res));
      // An editor limited to villages sees their villages' records only (a page may then hold fewer than `limit`).
      if (query) send(res, ok(deps.displays.list(query).filter((r) => limit === null || limit.includes(r.villageId))));
    },
  };
}
