/**
 * The witness events every device namespace answers (`/kiosk`, `/node`):
 * `ledger:prove` (the records after the device's checkpoint and a signed
 * checkpoint at the last of them) and `ledger:witness-alarm` (the device's
 * standing alarm, reported at every connect, or null once none stands). See
 * protocol/witness.ts.
 */
import type { Socket } from 'socket.io';
import { type LedgerProof, invalidPayload, ok, proofRequest, witnessAlarmReport } from '../protocol/index.js';
import type { WitnessService } from '../services/witnesses.js';
import type { DeviceGate } from './deviceGate.js';

export function answerWitnessEvents(socket: Socket, deviceId: string, limited: DeviceGate['limited'], witnesses: WitnessService): void {
  socket.on('ledger:prove', (payload: unknown, ack: unknown) => {
    limited<LedgerProof>(socket, 'ledger:prove', ack, async () => {
      const parsed = proofRequest.safeParse(payload);
      return parsed.success ? ok(await witnesses.prove(parsed.data)) : invalidPayload(parsed.error);
    });
  });

  socket.on('ledger:witness-alarm', (payload: unknown, ack: unknown) => {
    limited<null>(socket, 'ledger:witness-alarm', ack, async () => {
      const parsed = witnessAlarmReport.nullable().safeParse(payload);
      if (!parsed.success) return invalidPayload(parsed.error);
      await witnesses.report(deviceId, parsed.data);
      return ok(null);
    });
  });
}
