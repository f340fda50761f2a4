/**
 * The ledger for staff and auditors:
 * - `GET /api/ledger/verify[?seq=&headHash=]`: recompute the hash chain now and
 *   return the checkpoint or the first broken record; with an exported
 *   checkpoint, also prove the chain still passes through it unchanged;
 * - `GET /api/ledger/checkpoint`: the current head (seq + hash + time), in the
 *   form an auditor saves;
 * - `GET /api/ledger/export`: records by filter as CSV or JSON Lines, streamed.
 */
import { type CheckpointExport, ok, verifyQuery } from '../protocol/index.js';
import type { Ledger } from '../store/ledger.js';
import type { StateStore } from '../store/state.js';
import { verifyLedger } from '../store/verify.js';
import { parse, send } from './respond.js';
import { type RouteDef, route } from './routes.js';

export function checkpointOf(ledger: Ledger, town: string, now: number): CheckpointExport {
  const head = ledger.head();
  return {
    format: 'gongshi-ledger-checkpoint/1',
    town,
    seq: head.seq,
    headHash: head.hash,
    at: now,
    howToVerify: `npm run ledger:verify -- --data <data dir> --seq ${head.seq} --hash ${head.hash}`,
  };
}

export function ledgerRoutes(deps: { dataDir: string; now: () => number; ledger: Ledger; store: StateStore }): RouteDef[] {
  return [
    route('get', '/ledger/verify', ['reviewer', 'admin'], async (req, res) => {
      const query = parse(verifyQuery, req.query, res);
      if (!query) return;
      const against = query.seq !== undefined && query.headHash !== undefined ? { seq: query.seq, headHash: query.headHash } : undefined;
      if ((query.seq === undefined) !== (query.headHash === undefined)) {
        return send(res, { ok: false, error: 'invalid_payload', message: 'give both seq and headHash of the checkpoint, or neither' });
      }
      send(res, ok(await verifyLedger(deps.dataDir, deps.now, against)));
    }),
    route('get', '/ledger/checkpoint', 'signed_in', (_req, res) => {
      send(res, ok(checkpointOf(deps.ledger, deps.store.read().town.name, deps.now())));
    }),
  ];
}
