/**
 * The kiosk's connection to the controller. The only kiosk module that
 * imports socket.io-client; the app sees a {@link KioskLink} and callbacks, so
 * tests drive it with a fake.
 */
import {
  type Ack,
  type DisplayReportResult,
  type Heartbeat,
  type HeartbeatAnswer,
  KIOSK_NAMESPACE,
  type KioskAuth,
  type KioskClientToServerEvents,
  type KioskReceipt,
  type KioskServerToClientEvents,
  type KioskWelcome,
  type LedgerProof,
  type Playlist,
  type ProofRequest,
  type ServerHello,
  type WitnessAlarm,
} from '@protocol';
import { io, type Socket } from 'socket.io-client';

export type LinkStatus = 'connecting' | 'online' | 'disconnected' | 'failed' | 'unpaired';

export type KioskHello = ServerHello & KioskWelcome;

export interface LinkHandlers {
  hello: (hello: KioskHello) => void;
  playlist: (playlist: Playlist) => void;
  status: (status: LinkStatus) => void;
  /** Staff revoked this kiosk: forget the token and pair again. */
  revoked?: (reason: string) => void;
}

export interface KioskLink {
  /** Sends receipts and resolves with the controller's answer; rejects when offline or on timeout. */
  report: (receipts: KioskReceipt[]) => Promise<Ack<DisplayReportResult>>;
  /** Tells the controller how the kiosk is; resolves with its clock; rejects when offline or on timeout. */
  heartbeat: (beat: Heartbeat) => Promise<Ack<HeartbeatAnswer>>;
  /** The kiosk as witness of the ledger (kiosk/witness.ts); absent in fakes that do not play it. */
  prove?: (request: ProofRequest) => Promise<Ack<LedgerProof>>;
  reportWitnessAlarm?: (alarm: WitnessAlarm | null) => Promise<Ack<null>>;
  close: () => void;
}

export type ConnectKiosk = (auth: KioskAuth, handlers: LinkHandlers) => KioskLink;

export const REPORT_TIMEOUT_MS = 15_000;
/** After a refusal (unpaired), the server does not retry for us; ask again now and then in case staff fixed it. */
export const REFUSED_RETRY_MS = 30_000;

export const connectKiosk: ConnectKiosk = (auth, handlers) => {
  const socket: Socket<KioskServerToClientEvents, KioskClientToServerEvents> = io(KIOSK_NAMESPACE, { auth, transports: ['websocket'] });
  let retry: ReturnType<typeof setTimeout> | null = null;

  socket.on('connect', () => handlers.status('online'));
  socket.on('disconnect', () => handlers.status('disconnected'));
  socket.on('connect_error', (error) => {
    handlers.status(error.message.startsWith('unauthorized') ? 'unpaired' : 'failed');
    // A refusal by the namespace middleware stops socket.io's own reconnection.
    if (!socket.active && retry === null) {
      retry = setTimeout(() => {
        retry = null;
        socket.connect();
      }, REFUSED_RETRY_MS);
    }
  });
  socket.on('server:hello', (hello) => handlers.hello(hello));
  socket.on('playlist:updated', (playlist) => handlers.playlist(playlist));
  socket.on('device:revoked', ({ reason }) => handlers.revoked?.(reason));

  return {
    report(receipts) {
      if (!socket.connected) return Promise.reject(new Error('not connected'));
      return socket.timeout(REPORT_TIMEOUT_MS).emitWithAck('display:report', { receipts });
    },
    heartbeat(beat) {
      if (!socket.connected) return Promise.reject(new Error('not connected'));
      return socket.timeout(REPORT_TIMEOUT_MS).emitWithAck('device:heartbeat', beat);
    },
    prove(request) {
      if (!socket.connected) return Promise.reject(new Error('not connected'));
      return socket.timeout(REPORT_TIMEOUT_MS).emitWithAck('ledger:prove', request);
    },
    reportWitnessAlarm(alarm) {
      if (!socket.connected) return Promise.reject(new Error('not connected'));
      return socket.timeout(REPORT_TIMEOUT_MS).emitWithAck('ledger:witness-alarm', alarm);
    },
    close() {
      if (retry !== null) clearTimeout(retry);
      socket.close();
    },
  };
};
