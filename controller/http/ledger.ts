/**
 * The ledger for staff and auditors:
 * - `GET /api/ledger/verify[?seq=&headHash=]`: recompute the hash chain now and
 *   return the checkpoint or the first broken record; with an exported
 *   checkpoint, also prove the chain still passes through it unchanged;
 * - `GET /api/ledger/integrity`: the check run at start and every few minutes
 *   (ok, or the break that holds reports back); `POST …/integrity/accept`
 *   (admin, with a reason): staff accept the ledger as it stands after a break;
 * - `GET /api/ledger/checkpoint`: the current head (seq + hash + time), signed
 *   with the controller's Ed25519 key and carrying the public key, in the form
 *   an auditor saves;
 * - `GET /api/ledger/export?format=csv|jsonl&type=&from=&to=&noticeId=&deviceId=`:
 *   records by filter, streamed, with the checkpoint that covers them.
 */
import { acceptBreakRequest, exportQuery, ok, verifyQuery } from '../protocol/index.js';
import type { Logger } from '../logger.js';
import type { LedgerService } from '../services/ledger.js';
import { attachment } from '../reports/index.js';
import { currentUser, parse, send } from './respond.js';
import { type RouteDef, route } from './routes.js';

export function ledgerRoutes(deps: { ledger: LedgerService; logger: Logger }): RouteDef[] {
  return [
    route('get', '/ledger/verify', ['reviewer', 'admin'], async (req, res) => {
      const query = parse(verifyQuery, req.query, res);
      if (!query) return;
      const against = query.seq !== undefined && query.headHash !== undefined ? { seq: query.seq, headHash: query.headHash } : undefined;
      if ((query.seq === undefined) !== (query.headHash === undefined)) {
        return send(res, { ok: false, error: 'invalid_payload', message: 'give both seq and headHash of the checkpoint, or neither' });
      }
      send(res, ok(await deps.ledger.verify(against)));
    }),
    route('get', '/ledger/integrity', 'signed_in', (_req, res) => {
      send(res, ok(deps.ledger.integrity()));
    }),
    route('post', '/ledger/integrity/accept', ['admin'], async (req, res) => {
      const body = parse(acceptBreakRequest, req.body, res);
      if (!body) return;
      send(res, await deps.ledger.acceptBreak(body.reason, currentUser(res)));
    }),
    route('get', '/ledger/checkpoint', 'signed_in', (_req, res) => {
      send(res, ok(deps.ledger.checkpoint()));
    }),
    route('get', '/ledger/export', ['reviewer', 'admin'], async (req, res) => {
      const query = parse(exportQuery, req.query, res);
      if (!query) return;
      const checkpoint = deps.ledger.checkpoint();
      const stamp = new Date(checkpoint.at).toISOString().slice(0, 10);
      res.setHeader('Content-Type', query.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8');
      res.setHeader('Content-Disposition', attachment(`ledger-${stamp}-to-seq-${checkpoint.seq}.${query.format}`));
      res.setHeader('X-Ledger-Checkpoint-Seq', String(checkpoint.seq));
      res.setHeader('X-Ledger-Checkpoint-Hash', checkpoint.headHash);
      res.setHeader('X-Ledger-Checkpoint-At', new Date(checkpoint.at).toISOString());
      try {
        await deps.ledger.exportTo(query, checkpoint, res);
      } catch (error) {
        // Headers are gone: cut the response so the reader sees an incomplete file rather than a complete-looking one.
        deps.logger.error('ledger export failed part-way', { error });
        res.destroy();
        return;
      }
      res.end();
    }),
  ];
}
