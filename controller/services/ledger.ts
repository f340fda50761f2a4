/**
 * The ledger as staff and auditors see it: its signed checkpoint, a full
 * check of the hash chain (one at a time, shared by whoever asks meanwhile),
 * the integrity check's standing and the devices' witness alarms, accepting a
 * break, and the export covered by a checkpoint.
 */
import type { Writable } from 'node:stream';
import type { Actor } from '../domain/notices.js';
import { signCheckpoint } from '../ops/checkpoint.js';
import type { SigningKey } from '../ops/keys.js';
import { type Ack, type CheckpointExport, type ExportQuery, fail, ok } from '../protocol/index.js';
import { streamLedgerExport } from '../reports/index.js';
import type { IntegrityCheck } from '../store/integrity.js';
import type { Ledger } from '../store/ledger.js';
import type { CheckpointClaim } from '../store/segmentCheck.js';
import type { StateStore } from '../store/state.js';
import { type Verification, verifyLedger } from '../store/verify.js';
import type { WitnessService } from './witnesses.js';

export type { IntegrityCheck } from '../store/integrity.js';
export { LedgerWriteError } from '../store/ledger.js';

export interface LedgerService {
  /** The current head, signed with the controller's key (controller/ops/checkpoint.ts says what is signed). */
  checkpoint(): CheckpointExport;
  /** Recomputes the hash chain now; with a checkpoint, also proves the chain still passes through it. */
  verify(against?: CheckpointClaim): Promise<Verification>;
  integrity(): ReturnType<IntegrityCheck['status']> & { witnessAlarms: ReturnType<WitnessService['alarms']> };
  acceptBreak(reason: string, actor: Actor): Promise<Ack<Awaited<ReturnType<IntegrityCheck['accept']>>>>;
  /** Streams the records `query` selects, up to `checkpoint`, into `out`; resolves with how many. */
  exportTo(query: ExportQuery, checkpoint: CheckpointExport, out: Writable): Promise<number>;
}

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

export function createLedgerService(deps: {
  dataDir: string;
  now: () => number;
  ledger: Ledger;
  store: StateStore;
  /** The controller's checkpoint key, asked once the data directory is held. */
  signingKey: () => SigningKey;
  integrity: IntegrityCheck;
  witnesses: Pick<WitnessService, 'alarms'>;
}): LedgerService {
  // One check at a time (each may start a worker per core and reads the whole ledger); staff pressing the button
  // together, for the same checkpoint or none, share the check already running.
  const running = new Map<string, Promise<Verification>>();
  let last: Promise<unknown> = Promise.resolve();
  return {
    checkpoint: () => checkpointOf(deps.ledger, deps.store.read().town.name, deps.now(), deps.signingKey()),
    verify(against) {
      const key = against ? `${against.seq} ${against.headHash}` : '';
      const shared = running.get(key);
      if (shared) return shared;
      const check = last.then(() => verifyLedger(deps.dataDir, deps.now, against));
      const settled = check.finally(() => running.delete(key));
      running.set(key, settled);
      last = settled.catch(() => undefined);
      return settled;
    },
    integrity: () => ({ ...deps.integrity.status(), witnessAlarms: deps.witnesses.alarms() }),
    async acceptBreak(reason, actor) {
      if (deps.integrity.status().status !== 'broken')
        return fail('conflict', 'the ledger is not broken; nothing to accept (账本未发现断裂)');
      return ok(await deps.integrity.accept(reason, actor.id));
    },
    exportTo: (query, checkpoint, out) => streamLedgerExport(deps.dataDir, query, checkpoint, out),
  };
}
