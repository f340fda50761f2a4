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
import { LEDGER_ROUTES, fail, ok } from '../protocol/index.js';
import type { Logger } from '../logger.js';
import type { LedgerService } from '../services/ledger.js';
import { attachment } from '../reports/index.js';
import { currentUser, parse, send } from './respond.js';
import type { Handlers } from './routes.js';

const R = LEDGER_ROUTES;

export function ledgerHandlers(deps: { ledger: LedgerService; logger: Logger }): Handlers<typeof LEDGER_ROUTES> {
  return {
    verifyLedger: async (req, res) => {
      const query = parse(R.verifyLedger.query, req.query, res);
      if (!query) return;
      const against = query.seq !== undefined && query.headHash !== undefined ? { seq: query.seq, headHash: query.headHash } : undefined;
      if ((query.seq === undefined) !== (query.headHash === undefined)) {
        return send(res, fail('invalid_payload', 'give both seq and headHash of the checkpoint, or neither'));
      }
      send(res, ok(await deps.ledger.verify(against)));
    },
    integrity: (_req, res) => {
      send(res, ok(deps.ledger.integrity()));
    },
    acceptLedger: async (req, res) => {
      const body = parse(R.acceptLedger.body, req.body, res);
      if (!body) return;
      send(res, await deps.ledger.acceptBreak(body.reason, currentUser(res)));
    },
    checkpoint: (_req, res) => {
      send(res, ok(deps.ledger.checkpoint()));
    },
    ledgerExport: async (req, res) => {
      const query = parse(R.ledgerExport.query, req.query, res);
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
    },
  };
}
