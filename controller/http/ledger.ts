/** `/api/ledger/verify`: recompute the ledger's hash chain now and return the checkpoint or the first broken record. */
import { ok } from '../protocol/index.js';
import { verifyLedger } from '../store/verify.js';
import { send } from './respond.js';
import { type RouteDef, route } from './routes.js';

export function ledgerRoutes(deps: { dataDir: string; now: () => number }): RouteDef[] {
  return [
    route('get', '/ledger/verify', ['reviewer', 'admin'], async (_req, res) => send(res, ok(await verifyLedger(deps.dataDir, deps.now)))),
  ];
}
