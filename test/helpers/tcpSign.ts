/**
 * A sign on the network: a TCP listener (node:net) with an emulated card (or
 * an emulated RS-485 line of cards) behind it, as a BX-5E/6E network card on
 * port 5005 or a serial device server / DTU in front of a sign. The newest
 * connection talks to the card, as on a device server that takes one client.
 *
 * `kill()` closes the listener and every connection (the box lost power: the
 * host sees a reset and then refused connections); `start()` listens again on
 * the same port. Stalls are the tcpProxy's (test/helpers/tcpProxy.ts).
 */
import net from 'node:net';
import type { EmulatedLine } from '../../controller/led/emulator/memoryBinding.js';

export interface TcpSign {
  /** The port it listens on (the same after kill() and start()). */
  readonly port: number;
  readonly address: string;
  /** Connections accepted since it was created. */
  accepted(): number;
  kill(): Promise<void>;
  start(): Promise<void>;
}

export async function startTcpSign(line: EmulatedLine, options: { port?: number } = {}): Promise<TcpSign> {
  const sockets = new Set<net.Socket>();
  let server: net.Server | null = null;
  let port = options.port ?? 0;
  let accepted = 0;
  let current: { socket: net.Socket; off: () => void } | null = null;

  const onConnection = (socket: net.Socket) => {
    accepted++;
    sockets.add(socket);
    current?.off();
    const off = line.onOutput((bytes) => {
      if (!socket.destroyed) socket.write(bytes);
    });
    current = { socket, off };
    socket.on('data', (chunk: Buffer) => {
      if (current?.socket === socket) line.input(chunk);
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      sockets.delete(socket);
      if (current?.socket === socket) {
        current.off();
        current = null;
      }
    });
  };

  const listen = async () => {
    const next = net.createServer(onConnection);
    await new Promise<void>((resolve, reject) => {
      next.once('error', reject);
      next.listen(port, '127.0.0.1', () => resolve());
    });
    port = (next.address() as net.AddressInfo).port;
    server = next;
  };
  await listen();

  return {
    get port() {
      return port;
    },
    get address() {
      return `tcp://127.0.0.1:${port}`;
    },
    accepted: () => accepted,
    async kill() {
      const closing = server;
      server = null;
      for (const socket of sockets) socket.resetAndDestroy();
      if (closing) await new Promise<void>((resolve) => closing.close(() => resolve()));
    },
    async start() {
      if (!server) await listen();
    },
  };
}
