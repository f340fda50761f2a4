/**
 * A fault proxy for one client's TCP traffic (node:net), in the manner of
 * Toxiproxy (perf-reliability.md §5.1): it forwards to a target port that can
 * change (a restarted controller), and can
 *
 * - `cut()`: close every connection at once and refuse new ones (the cable is
 *   out: both ends see the close);
 * - `stall()`: stop forwarding in both directions without closing anything
 *   (a wedged router: nobody is told; only heartbeats can notice), new
 *   connections are accepted and stall too;
 * - `heal()`: back to normal; stalled bytes flow on.
 */
import net from 'node:net';

export type ProxyMode = 'open' | 'cut' | 'stalled';

export interface TcpProxy {
  /** The port clients connect to. */
  readonly port: number;
  mode(): ProxyMode;
  /** Where new connections go (existing ones keep theirs). */
  retarget(port: number): void;
  cut(): void;
  stall(): void;
  heal(): void;
  /** Connections open now (client side). */
  connections(): number;
  /** When each client connection arrived (`Date.now()`), refused ones included: a client's reconnect rhythm. */
  arrivals(): readonly number[];
  close(): Promise<void>;
}

interface Pair {
  client: net.Socket;
  upstream: net.Socket;
  /** One side closed during a stall: the close did not get through; the other side learns at `heal()`. */
  broken: boolean;
}

export async function startTcpProxy(options: { targetPort: number; host?: string }): Promise<TcpProxy> {
  const host = options.host ?? '127.0.0.1';
  let targetPort = options.targetPort;
  let mode: ProxyMode = 'open';
  const pairs = new Set<Pair>();
  const arrived: number[] = [];

  const destroy = (pair: Pair): void => {
    pair.client.destroy();
    pair.upstream.destroy();
    pairs.delete(pair);
  };
  const setFlow = (pair: Pair, flowing: boolean): void => {
    for (const s of [pair.client, pair.upstream]) {
      if (flowing) s.resume();
      else s.pause();
    }
  };

  const server = net.createServer({ pauseOnConnect: true }, (client) => {
    arrived.push(Date.now());
    if (mode === 'cut') {
      client.destroy();
      return;
    }
    const upstream = net.connect({ host, port: targetPort });
    const pair: Pair = { client, upstream, broken: false };
    pairs.add(pair);
    // pipe() would resume paused sockets; forward by hand so that a stall really stops both directions.
    client.on('data', (chunk: Buffer) => {
      if (!upstream.write(chunk)) client.pause();
    });
    upstream.on('data', (chunk: Buffer) => {
      if (!client.write(chunk)) upstream.pause();
    });
    upstream.on('drain', () => {
      if (mode === 'open') client.resume();
    });
    client.on('drain', () => {
      if (mode === 'open') upstream.resume();
    });
    // A close during a stall is not forwarded either: the far end must find out by itself (heartbeats).
    const end = (side: net.Socket) => (): void => {
      if (mode !== 'stalled') return destroy(pair);
      side.destroy();
      pair.broken = true;
    };
    for (const side of [client, upstream]) {
      side.on('close', end(side));
      side.on('error', end(side));
    }
    upstream.pause();
    if (mode === 'open') setFlow(pair, true);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;

  return {
    port,
    mode: () => mode,
    retarget(next) {
      targetPort = next;
    },
    cut() {
      mode = 'cut';
      for (const pair of [...pairs]) destroy(pair);
    },
    stall() {
      mode = 'stalled';
      for (const pair of pairs) setFlow(pair, false);
    },
    heal() {
      mode = 'open';
      for (const pair of [...pairs]) {
        if (pair.broken) destroy(pair);
        else setFlow(pair, true);
      }
    },
    connections: () => pairs.size,
    arrivals: () => arrived,
    async close() {
      for (const pair of [...pairs]) destroy(pair);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
