/**
 * A sign reached over TCP (`tcp://host:port`): an Onbon BX-5E/6E network card
 * on port 5005, which speaks the serial framing unchanged (led-protocols.md
 * §1.1.1), or a serial device server / 4G DTU that tunnels the sign's RS-232/485
 * line. It is a serialport binding over `node:net`, so the link's supervision
 * is the same as on a serial port: opening is connecting (with a timeout), a
 * socket that closes or fails is a port that vanished (the stream closes with
 * a DisconnectedError and the link reconnects with back-off), and the link's
 * ping, clock sync and re-push follow every reconnect.
 */
import net from 'node:net';
import { TCP_SCHEME, parseTcpAddress } from '../../protocol/signProfile.js';
import type { SerialBinding } from '../link.js';
import { type OpenOptions, ReadQueue, idlePortCalls } from './readQueue.js';

/** The Java reference client's connect timeout (led-protocols.md §1.1.5). */
export const DEFAULT_CONNECT_TIMEOUT_MS = 3000;

export const isTcpAddress = (address: string): boolean => address.startsWith(TCP_SCHEME);

/** What the stream sees when the peer went away: not a cancellation, so it closes the port as disconnected. */
const gone = (reason: string) => Object.assign(new Error(reason), { disconnected: true });

/**
 * @example
 * const link = createSerialLink({ settings: { ...port, path: 'tcp://10.0.0.7:5005' }, binding: createTcpBinding(), logger });
 */
export function createTcpBinding(options: { connectTimeoutMs?: number } = {}): SerialBinding {
  const connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const binding = {
    list: () => Promise.resolve([]),
    open(openOptions: OpenOptions) {
      const address = parseTcpAddress(openOptions.path);
      if (!address) return Promise.reject(new Error(`not a tcp://host:port address: ${openOptions.path}`));
      return new Promise((resolve, reject) => {
        const socket = net.connect({ host: address.host, port: address.port });
        const timer = setTimeout(() => {
          socket.destroy();
          reject(new Error(`connecting to ${address.host}:${address.port} timed out after ${connectTimeoutMs} ms`));
        }, connectTimeoutMs);
        socket.once('error', (error) => {
          clearTimeout(timer);
          reject(error);
        });
        socket.once('connect', () => {
          clearTimeout(timer);
          socket.removeAllListeners('error');
          socket.setNoDelay(true);
          // A peer that vanished without a FIN (a DTU whose carrier dropped) is found by keepalive while idle.
          socket.setKeepAlive(true, 10_000);
          resolve(wrap(socket, openOptions));
        });
      });
    },
  };
  return binding as unknown as SerialBinding;
}

function wrap(socket: net.Socket, openOptions: OpenOptions) {
  const reads = new ReadQueue();
  let isOpen = true;
  socket.on('data', (chunk: Buffer) => reads.push(chunk));
  socket.on('error', (error) => reads.fail(gone(`connection failed: ${error.message}`)));
  socket.on('close', () => reads.fail(gone('connection closed by the far end')));
  return {
    openOptions,
    get isOpen() {
      return isOpen;
    },
    read: (buffer: Buffer, offset: number, length: number) => reads.read(buffer, offset, length),
    write(buffer: Buffer) {
      if (!isOpen) return Promise.reject(new Error('port is not open'));
      if (reads.failed) return Promise.reject(reads.failed);
      return new Promise<void>((resolve, reject) =>
        socket.write(Buffer.from(buffer), (error) => (error ? reject(gone(`write failed: ${error.message}`)) : resolve())),
      );
    },
    close() {
      isOpen = false;
      reads.close();
      socket.destroy();
      return Promise.resolve();
    },
    flush: () => {
      reads.clear();
      return Promise.resolve();
    },
    // DTR and the like belong to the device server's serial side, configured on the box itself.
    ...idlePortCalls(openOptions),
  };
}
