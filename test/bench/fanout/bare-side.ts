/**
 * The baseline: a bare socket.io server with nothing else on its event loop,
 * emitting the very playlist the controller just pushed, to as many clients.
 * The clock starts just before the (synchronous) emit.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import {
  KIOSK_NAMESPACE,
  type KioskClientToServerEvents,
  type KioskServerToClientEvents,
  type Playlist,
} from '../../../controller/protocol/index.js';
import { monotonicMs } from '../stats.js';
import { type KioskClients, startKioskClients } from './clients.js';
import type { RoundReport } from './ipc.js';
import type { Plan } from './samples.js';

export interface BareSide {
  connectMs: number;
  emit(playlist: Playlist): Promise<{ t0: number; report: RoundReport }>;
  /** Closes the client connections (and waits until the server has let them go), leaving the server up. */
  disconnectClients(): Promise<void>;
  stop(): Promise<void>;
}

export async function startBareSide(clientCount: number, plan: Plan, log: (message: string) => void): Promise<BareSide> {
  const httpServer = createServer();
  const io = new Server<KioskClientToServerEvents, KioskServerToClientEvents>(httpServer, { serveClient: false });
  const kiosk = io.of(KIOSK_NAMESPACE);
  let clients: KioskClients | null = null;
  const stop = async (): Promise<void> => {
    await clients?.close();
    clients = null;
    await new Promise<void>((resolve) => {
      void io.close(() => resolve());
    });
  };
  try {
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(0, '127.0.0.1', resolve);
    });
    const url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
    log(`  bare socket.io: connecting ${clientCount} clients`);
    const started = await startKioskClients({ url, count: clientCount, mode: 'bare', tokenPrefix: '' }, plan.readyTimeoutMs);
    clients = started;
    return {
      connectMs: started.connectMs,
      stop,
      async disconnectClients() {
        await started.close();
        clients = null;
        const deadline = Date.now() + plan.readyTimeoutMs;
        while (kiosk.sockets.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      },
      async emit(playlist) {
        const t0 = monotonicMs();
        kiosk.emit('playlist:updated', playlist);
        const report = await started.nextRound(plan.roundTimeoutMs);
        if (report.version !== playlist.version) throw new Error(`expected playlist ${playlist.version}, got ${report.version}`);
        return { t0, report };
      },
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
