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
import { type CheckpointExport, acceptBreakRequest, exportQuery, fail, ok, verifyQuery } from '../protocol/index.js';
import type { Logger } from '../logger.js';
import { signCheckpoint } from '../ops/checkpoint.js';
import type { SigningKey } from '../ops/keys.js';
import type { IntegrityCheck } from '../store/integrity.js';
import type { WitnessService } from '../services/witnesses.js';
import type { Ledger } from '../store/ledger.js';
import type { StateStore } from '../store/state.js';
import type { CheckpointClaim } from '../store/segmentCheck.js';
import { type Verification, verifyLedger } from '../store/verify.js';
import { attachment, streamLedgerExport } from '../reports/index.js';
import { currentUser, parse, send } from './respond.js';
import { type RouteDef, route } from './routes.js';

/** The current head, signed with the controller's key (controller/ops/checkpoint.ts says what is signed). */
export function checkpointOf(ledger: Ledger, town: string, now: number, key: SigningKey): CheckpointExport {
  const head = ledger.head();
  const facts = { format: 'gongshi-ledger-checkpoint/1' as const, town, seq: head.seq, headHash: head.hash, at: now };
  return {
    ...facts,
    howToVerify: `npm run ledger:verify -- --data <data dir> --checkpoint <this file> --public-key <the public key you were given> (unsigned: --seq ${head.seq} --hash ${head.hash})`,
    signature: signCheckpoint(facts, key),
  };
}

export function ledgerRoutes(deps: {
  dataDir: string;
  now: () => number;
  ledger: Ledger;
  store: StateStore;
  signingKey: SigningKey;
  integrity: IntegrityCheck;
  witnesses: Pick<WitnessService, 'alarms'>;
  logger: Logger;
}): RouteDef[] {
  // One check at a time (each may start a worker per core and reads the whole ledger); staff pressing the button
  // together, for the same checkpoint or none, share the check already running.
  const running = new Map<string, Promise<Verification>>();
  let last: Promise<unknown> = Promise.resolve();
  const verifyOnce = (against: CheckpointClaim | undefined): Promise<Verification> => {
    const key = against ? `${against.seq} ${against.headHash}` : '';
    const shared = running.get(key);
    if (shared) return shared;
    const check = last.then(() => verifyLedger(deps.dataDir, deps.now, against));
    const settled = check.finally(() => running.delete(key));
    running.set(key, settled);
    last = settled.catch(() => undefined);
    return settled;
  };
  return [
    route('get', '/ledger/verify', ['reviewer', 'admin'], async (req, res) => {
      const query = parse(verifyQuery, req.query, res);
      if (!query) return;
      const against = query.seq !== undefined && query.headHash !== undefined ? { seq: query.seq, headHash: query.headHash } : undefined;
      if ((query.seq === undefined) !== (query.headHash === undefined)) {
        return send(res, { ok: false, error: 'invalid_payload', message: 'give both seq and headHash of the checkpoint, or neither' });
      }
      send(res, ok(await verifyOnce(against)));
    }),
    route('get', '/ledger/integrity', 'signed_in', (_req, res) => {
      send(res, ok({ ...deps.integrity.status(), witnessAlarms: deps.witnesses.alarms() }));
    }),
    route('post', '/ledger/integrity/accept', ['admin'], async (req, res) => {
      const body = parse(acceptBreakRequest, req.body, res);
      if (!body) return;
      if (deps.integrity.status().status !== 'broken')
        return send(res, fail('conflict', 'the ledger is not broken; nothing to accept (账本未发现断裂)'));
      send(res, ok(await deps.integrity.accept(body.reason, currentUser(res).id)));
    }),
    route('get', '/ledger/checkpoint', 'signed_in', (_req, res) => {
      send(res, ok(checkpointOf(deps.ledger, deps.store.read().town.name, deps.now(), deps.signingKey)));
    }),
    route('get', '/ledger/export', ['reviewer', 'admin'], async (req, res) => {
      const query = parse(exportQuery, req.query, res);
      if (!query) return;
      const checkpoint = checkpointOf(deps.ledger, deps.store.read().town.name, deps.now(), deps.signingKey);
      const stamp = new Date(checkpoint.at).toISOString().slice(0, 10);
      res.setHeader('Content-Type', query.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8');
      res.setHeader('Content-Disposition', attachment(`ledger-${stamp}-to-seq-${checkpoint.seq}.${query.format}`));
      res.setHeader('X-Ledger-Checkpoint-Seq', String(checkpoint.seq));
      res.setHeader('X-Ledger-Checkpoint-Hash', checkpoint.headHash);
      res.setHeader('X-Ledger-Checkpoint-At', new Date(checkpoint.at).toISOString());
      try {
        await streamLedgerExport(deps.dataDir, query, checkpoint, res);
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
