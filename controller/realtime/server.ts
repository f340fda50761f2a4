/** The socket.io server on the controller's HTTP server. */
import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';

export const SOCKET_MAX_BUFFER_BYTES = 256 * 1024;

export function createSocketServer(
  httpServer: HttpServer,
  deps: { allowedOrigins: () => readonly string[]; pingIntervalMs?: number; pingTimeoutMs?: number },
): Server {
  return new Server(httpServer, {
    serveClient: false,
    ...(deps.pingIntervalMs && { pingInterval: deps.pingIntervalMs }),
    ...(deps.pingTimeoutMs && { pingTimeout: deps.pingTimeoutMs }),
    maxHttpBufferSize: SOCKET_MAX_BUFFER_BYTES,
    // Browsers always send Origin on websocket and polling requests; refuse foreign pages. Native clients send none.
    allowRequest: (req, callback) => {
      const origin = req.headers.origin;
      const own = `http://${req.headers.host ?? ''}`;
      const ownTls = `https://${req.headers.host ?? ''}`;
      callback(null, origin === undefined || origin === own || origin === ownTls || deps.allowedOrigins().includes(origin));
    },
  });
}
