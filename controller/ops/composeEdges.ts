/**
 * The controller's edges over its services: the HTTP app (http/, one route table) and the socket.io hubs
 * (realtime/: kiosks, village nodes, staff), which only parse, authorise, call the services and answer. Built
 * once the services run; {@link ControllerEdges.hubs} is the long-lived part (stopping it closes the socket
 * server and the HTTP server with it), and {@link ControllerEdges.listen} opens the port.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import { type HttpDeps, createHttpApp, mountedRoutes } from '../http/app.js';
import type { Logger } from '../logger.js';
import { type PublicUrl, createPublicUrl } from '../publicUrl.js';
import type { TrustFn } from '../realtime/address.js';
import { attachAdminNamespace } from '../realtime/admin.js';
import { createHubs } from '../realtime/hubs.js';
import { attachKioskNamespace } from '../realtime/kiosk.js';
import { attachNodeNamespace } from '../realtime/node.js';
import { createSocketServer } from '../realtime/server.js';
import type { ControllerServices } from '../services/index.js';
import type { Part } from './lifecycle.js';
import { readBuildId } from './packageInfo.js';

/** socket.io's heartbeat: a peer that stops answering is dropped after interval + timeout (defaults 25 s + 20 s). */
export interface HeartbeatTuning {
  pingIntervalMs?: number;
  pingTimeoutMs?: number;
}

export interface ControllerEdges {
  /** Every route express answers (method and full path), read back from the app: the route-table test compares it with the contract. */
  mounted: { method: string; path: string }[];
  publicUrl: PublicUrl;
  /** The link a kiosk opens. */
  kioskUrl: (deviceId: string) => string;
  /** The hubs as one part: playlist changes pushed while it runs; stopping closes the servers. */
  hubs: Part;
  /** Listens on the configured host and port; resolves with the port (the one given when the config asks for 0). */
  listen(): Promise<number>;
  /** The web apps' build id, read again once the server listens. */
  build: () => string;
}

export function composeEdges(
  config: Pick<Config, 'publicUrl' | 'host' | 'port' | 'trustProxy' | 'webDir'>,
  services: ControllerServices,
  deps: { version: string; clock: Clock; demoMode: () => boolean; logger: Logger; heartbeat?: HeartbeatTuning | undefined },
): ControllerEdges {
  const { clock, logger, demoMode } = deps;
  const now = () => clock.now();
  let build = readBuildId(config.webDir);
  const currentBuild = () => build;
  const allowedOrigins = () => (config.publicUrl ? [new URL(config.publicUrl).origin] : []);
  const publicUrl = createPublicUrl({
    configured: config.publicUrl,
    host: config.host,
    behindProxy: config.trustProxy !== false,
    logger: logger.child('public-url'),
  });
  const kioskUrl = (deviceId: string) => `${publicUrl.url()}/kiosk/?device=${encodeURIComponent(deviceId)}`;
  const { bus, devices, displays, playlists, signs, sessions, nodeRecords } = services;
  const httpDeps: HttpDeps = {
    ...services,
    version: deps.version,
    build: currentBuild,
    startedAt: now(),
    now,
    webDir: config.webDir,
    allowedOrigins,
    trustProxy: config.trustProxy,
    kioskUrl,
    publicUrlCheck: () => publicUrl.check(),
    logger,
  };
  const httpApp = createHttpApp(httpDeps);
  const trustProxy = httpApp.get('trust proxy fn') as TrustFn;
  const httpServer = createServer(httpApp);
  const io = createSocketServer(httpServer, {
    allowedOrigins,
    ...(deps.heartbeat?.pingIntervalMs && { pingIntervalMs: deps.heartbeat.pingIntervalMs }),
    ...(deps.heartbeat?.pingTimeoutMs && { pingTimeoutMs: deps.heartbeat.pingTimeoutMs }),
  });
  const common = { bus, clock, build: currentBuild, trustProxy, demoMode };
  const kioskHub = attachKioskNamespace(io, {
    ...common,
    devices,
    displays,
    playlists,
    witnesses: services.witnesses,
    logger: logger.child('kiosk'),
    onConnected: (kiosk) => publicUrl.kioskConnected(kiosk),
  });
  const nodeHub = attachNodeNamespace(io, {
    ...common,
    devices,
    records: nodeRecords,
    nodeSigns: services.nodeSigns,
    playlists,
    witnesses: services.witnesses,
    signProfiles: services.signCatalog.all,
    logger: logger.child('node'),
  });
  const adminHub = attachAdminNamespace(io, {
    sessions,
    devices,
    signs,
    bus,
    build: currentBuild,
    now: () => clock.now(),
    trustProxy,
    logger: logger.child('admin'),
  });
  return {
    mounted: mountedRoutes(httpApp),
    publicUrl,
    kioskUrl,
    build: currentBuild,
    // Playlist changes pushed to the kiosks and nodes; stopping closes the socket server and the HTTP server with it.
    hubs: createHubs({ io, bus, hubs: [kioskHub, nodeHub, adminHub], onStale: () => nodeRecords.noteAttachments() }),
    async listen() {
      await new Promise<void>((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(config.port, config.host, () => {
          httpServer.off('error', reject);
          resolve();
        });
      });
      const port = (httpServer.address() as AddressInfo).port;
      publicUrl.listening(port);
      build = readBuildId(config.webDir);
      return port;
    },
  };
}
