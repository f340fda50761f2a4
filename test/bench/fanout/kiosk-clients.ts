/**
 * Child process: opens N socket.io-client connections to `/kiosk`, the way a
 * kiosk does (websocket only, one engine connection per kiosk), and reports to
 * the parent when every client has received each pushed playlist.
 *
 * Run by the parent with `fork(…, { execArgv: ['--import', 'tsx'] })`.
 */
import { io, type Socket } from 'socket.io-client';
import type { KioskClientToServerEvents, KioskServerToClientEvents, Playlist } from '../../../controller/protocol/index.js';
import { monotonicMs } from '../stats.js';
import { type ChildMessage, type ClientsConfig, deviceId, isParentMessage, parseClientsConfig } from './ipc.js';

type KioskSocket = Socket<KioskServerToClientEvents, KioskClientToServerEvents>;

/** Connecting in batches keeps the connect storm from timing out handshakes on two cores. */
const CONNECT_BATCH = 100;

const config: ClientsConfig = parseClientsConfig(process.argv[2]);
const sockets: KioskSocket[] = [];
const pending = new Map<string, { times: number[]; playlist: Playlist }>();
let closing = false;

function send(message: ChildMessage, then?: () => void): void {
  process.send?.(message, undefined, {}, () => then?.());
}

function fail(message: string): void {
  if (closing) return;
  closing = true;
  // Disconnect only once the message is out, or the parent would see a bare exit instead of the reason.
  send({ type: 'error', message }, shutdown);
}

function shutdown(): void {
  closing = true;
  for (const socket of sockets) socket.close();
  if (process.connected) process.disconnect();
}

function record(playlist: Playlist, at: number): void {
  const entry = pending.get(playlist.version) ?? { times: [], playlist };
  entry.times.push(at);
  pending.set(playlist.version, entry);
  if (entry.times.length < config.count) return;
  pending.delete(playlist.version);
  // Serialising once here, after the round is complete, keeps it out of the measured time.
  send({
    type: 'round',
    version: playlist.version,
    times: entry.times,
    playlist: entry.playlist,
    payloadBytes: Buffer.byteLength(JSON.stringify(entry.playlist)),
  });
}

/** Resolves once the client is connected and, against the controller, has its first playlist (the one sent on connect). */
function open(i: number): Promise<void> {
  const auth = config.mode === 'controller' ? { deviceId: deviceId(i), token: `${config.tokenPrefix}${i}` } : {};
  // forceNew: without it io() multiplexes every client over one engine connection, which no real kiosk fleet does.
  const socket: KioskSocket = io(`${config.url}/kiosk`, { auth, transports: ['websocket'], forceNew: true, reconnection: false });
  sockets.push(socket);
  return new Promise((resolve, reject) => {
    let initial = config.mode === 'bare';
    socket.on('playlist:updated', (playlist) => {
      const at = monotonicMs();
      if (initial) return record(playlist, at);
      initial = true;
      resolve();
    });
    socket.once('connect', () => {
      if (initial) resolve();
    });
    socket.once('connect_error', (error) => reject(new Error(`kiosk ${i} could not connect: ${error.message}`)));
    socket.on('disconnect', (reason) => fail(`kiosk ${i} disconnected: ${reason}`));
  });
}

async function main(): Promise<void> {
  process.on('message', (message: unknown) => {
    if (isParentMessage(message)) shutdown();
  });
  // The parent went away without saying goodbye: do not linger with 1,000 sockets.
  process.on('disconnect', () => {
    if (!closing) shutdown();
  });
  const started = monotonicMs();
  for (let from = 0; from < config.count; from += CONNECT_BATCH) {
    const batch: Promise<void>[] = [];
    for (let i = from; i < Math.min(config.count, from + CONNECT_BATCH); i++) batch.push(open(i));
    await Promise.all(batch);
  }
  send({ type: 'ready', connectMs: monotonicMs() - started });
}

main().catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
