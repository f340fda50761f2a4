/**
 * The demo village node: in demo mode the controller runs one village node
 * (controller/node) in-process, for the demo village node the demo town has
 * (demo.ts), with that village's emulated sign behind it (led/demoSigns.ts).
 * It is the real node — its own signs service, stored schedule, durable
 * outbox in `<data>/demo-node/`, uplink over `/node` — so a new user sees on
 * the signs and devices pages what a sign in a village looks like. Like the
 * demo kiosks it opens without a token, from this machine only, and only
 * while demo mode is on.
 */
import path from 'node:path';
import type { Logger } from '../logger.js';
import { type NodeTuning, type RunningNode, createNode } from '../node/node.js';
import type { StateStore } from '../store/state.js';
import type { Part } from './lifecycle.js';

export const DEMO_NODE_DIR = 'demo-node';

/** Starts the demo node when the town has one (demo towns seeded before it existed have none); null otherwise. */
async function startDemoNode(deps: {
  store: StateStore;
  /** How this machine reaches the controller (loopback: demo devices open only from here). */
  controllerUrl: string;
  dataDir: string;
  build: string;
  logger: Logger;
  tuning?: NodeTuning;
}): Promise<RunningNode | null> {
  const device = deps.store.read().devices.find((d) => d.demo && d.kind === 'node' && (d.revokedAt ?? null) === null);
  if (!device) return null;
  const node = await createNode(
    { controller: deps.controllerUrl, dataDir: path.join(deps.dataDir, DEMO_NODE_DIR), build: deps.build },
    {
      logger: deps.logger,
      credentials: { deviceId: device.id, token: null, controller: deps.controllerUrl },
      print: (line) => deps.logger.info(line),
      ...(deps.tuning && { tuning: deps.tuning }),
    },
  );
  deps.logger.info(`demo village node ${device.id} (${device.name}) started in-process`);
  return node;
}

/** How this machine reaches a controller listening on `host` (any address: loopback). */
export function loopbackUrl(host: string, port: number): string {
  const loopback = ['0.0.0.0', '::', ''].includes(host) ? '127.0.0.1' : host;
  return `http://${loopback.includes(':') ? `[${loopback}]` : loopback}:${port}`;
}

/**
 * The demo node as a part of the controller: started, in demo mode, once the controller listens (the node
 * connects to it over loopback, like a node in a village over the network); stopped first.
 */
export function createDemoNode(
  deps: Omit<Parameters<typeof startDemoNode>[0], 'controllerUrl'> & {
    enabled: () => boolean;
    /** Asked at the start, once the controller listens. */
    controllerUrl: () => string;
  },
): Part {
  let node: RunningNode | null = null;
  return {
    async start() {
      if (!deps.enabled()) return;
      node = await startDemoNode({
        store: deps.store,
        controllerUrl: deps.controllerUrl(),
        dataDir: deps.dataDir,
        build: deps.build,
        logger: deps.logger,
        ...(deps.tuning && { tuning: deps.tuning }),
      });
    },
    async stop() {
      await node?.stop();
    },
  };
}
