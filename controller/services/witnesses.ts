/**
 * The controller's side of the device witnesses (controller/protocol/witness.ts):
 * it proves on request that its ledger extends a device's checkpoint (the
 * records after it and a checkpoint signed at the last one), and takes the
 * alarms devices report. It cannot clear a device's alarm: the device keeps
 * it and reports it again on every connect; each report is a ledger record,
 * and the alarms stand on the 公开账本 page while any device reports one.
 * A device that checked the head and holds none says so (staff reset it):
 * its listed alarm is lifted, and that is a ledger record too. Staff see each
 * change at once on the device's row (`onChange`).
 */
import { canonicalJson } from '../domain/canonical.js';
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
export const WITNESS_ALARM_CLEARED_TYPE = 'witness.alarm-cleared';

export interface WitnessService {
  prove(request: ProofRequest): Promise<LedgerProof>;
  /** The device's alarm as it reports it at a connect, or null: none stands on it. */
  report(deviceId: string, alarm: WitnessAlarm | null): Promise<void>;
  alarms(): DeviceWitnessAlarm[];
  /** The alarm a device reports, if one stands. */
  alarmOf(deviceId: string): DeviceWitnessAlarm | null;
}

const sameAlarm = (a: WitnessAlarm, b: WitnessAlarm): boolean =>
  a.kind === b.kind &&
  a.message === b.message &&
  a.held.seq === b.held.seq &&
  a.held.headHash === b.held.headHash &&
  a.shown.seq === b.shown.seq &&
  a.shown.headHash === b.shown.headHash;

export function createWitnessService(deps: {
  ledger: Ledger;
  signingKey: () => SigningKey;
  town: () => string;
  now: () => number;
  logger: Logger;
  /** A device's listed alarm rose, changed or cleared. */
  onChange?: (deviceId: string) => void;
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
      if (alarm === null) {
        if (!known) return;
        standing.delete(deviceId);
        deps.onChange?.(deviceId);
        deps.logger.info(`device ${deviceId} checked the ledger and holds no alarm now; its ${known.kind} alarm is lifted`);
        await deps.ledger.append([{ type: WITNESS_ALARM_CLEARED_TYPE, deviceId, kind: known.kind, raisedAt: known.at }]);
        return;
      }
      standing.set(deviceId, { ...alarm, deviceId, reportedAt: deps.now() });
      // The same alarm said again (every connect): recorded once. Not by `at`: a device that cannot read its kept
      // checkpoint finds that anew at each start.
      if (known && sameAlarm(known, alarm)) return;
      deps.onChange?.(deviceId);
      deps.logger.error(
        alarm.kind === 'checkpoint-unreadable'
          ? `device ${deviceId} cannot read the checkpoint it kept: ${alarm.message}`
          : `device ${deviceId} reports the ledger does not extend its checkpoint (${alarm.kind}): ${alarm.message}`,
      );
      await deps.ledger.append([{ type: WITNESS_ALARM_TYPE, deviceId, ...alarm }]);
    },
    alarms: () => [...standing.values()],
    alarmOf: (deviceId) => standing.get(deviceId) ?? null,
  };
}
