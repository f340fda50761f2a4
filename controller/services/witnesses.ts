/**
 * The controller's side of the device witnesses (controller/protocol/witness.ts):
 * it proves on request that its ledger extends a device's checkpoint (the
 * records after it and a checkpoint signed at the last one), and takes the
 * alarms devices report. It cannot clear a device's alarm: the device keeps
 * it and reports it again on every connect; each report is a ledger record,
 * and the alarms stand on the 公开账本 page while any device reports one.
 */
import { canonicalJson } from '../domain/canonical.js';
import type { EventBus } from '../events.js';
import type { Logger } from '../logger.js';
import { signCheckpoint } from '../ops/checkpoint.js';
import type { SigningKey } from '../ops/keys.js';
import {
  type DeviceWitnessAlarm,
  type LedgerProof,
  PROOF_PAGE,
  type ProofRequest,
  type WitnessAlarm,
  type WitnessCheckpoint,
} from '../protocol/index.js';
import type { Ledger } from '../store/ledger.js';

export const WITNESS_ALARM_TYPE = 'witness.alarm';

export interface WitnessService {
  prove(request: ProofRequest): Promise<LedgerProof>;
  report(deviceId: string, alarm: WitnessAlarm): Promise<void>;
  alarms(): DeviceWitnessAlarm[];
}

export function createWitnessService(deps: {
  ledger: Ledger;
  signingKey: () => SigningKey;
  town: () => string;
  now: () => number;
  bus?: EventBus;
  logger: Logger;
}): WitnessService {
  const standing = new Map<string, DeviceWitnessAlarm>();

  const signedAt = (seq: number, headHash: string): WitnessCheckpoint => {
    const facts = { format: 'gongshi-ledger-checkpoint/1' as const, town: deps.town(), seq, headHash, at: deps.now() };
    return { ...facts, signature: signCheckpoint(facts, deps.signingKey()) };
  };

  return {
    async prove(request) {
      const head = deps.ledger.head();
      // Nothing held yet, or held past our head (the device will see the truncation): the head alone.
      if (request.seq === 0 || request.seq >= head.seq) return { checkpoint: signedAt(head.seq, head.hash), records: [], more: false };
      const toSeq = Math.min(head.seq, request.seq + PROOF_PAGE);
      const records: string[] = [];
      let last = { seq: request.seq, hash: request.headHash };
      for await (const record of deps.ledger.records({ fromSeq: request.seq + 1, toSeq })) {
        const { hash, ...body } = record;
        records.push(canonicalJson(body));
        last = { seq: record.seq, hash };
      }
      return { checkpoint: signedAt(last.seq, last.hash), records, more: last.seq < head.seq };
    },
    async report(deviceId, alarm) {
      const known = standing.get(deviceId);
      standing.set(deviceId, { ...alarm, deviceId, reportedAt: deps.now() });
      if (known && known.kind === alarm.kind && known.held.seq === alarm.held.seq && known.at === alarm.at) return;
      deps.logger.error(`device ${deviceId} reports the ledger does not extend its checkpoint (${alarm.kind}): ${alarm.message}`);
      await deps.ledger.append([{ type: WITNESS_ALARM_TYPE, deviceId, ...alarm }]);
    },
    alarms: () => [...standing.values()],
  };
}
