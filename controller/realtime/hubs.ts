/**
 * The socket.io hubs (kiosks, village nodes, staff) as one long-lived part: while it runs, playlist changes on
 * the bus are coalesced (several changes in one tick cause one compile, and the HTTP answer that caused them
 * is not held up by the push) and pushed to the kiosks and nodes; stopping it stops listening to the bus,
 * stops the hubs and closes the socket server (and with it the HTTP server).
 */
import type { Server } from 'socket.io';
import type { EventBus } from '../events.js';
import type { Part } from '../ops/lifecycle.js';

export interface Hub {
  /** Recompiles what the hub's devices show and pushes what changed; hubs without devices have none. */
  publish?(): void;
  stop(): void;
}

export function createHubs(deps: {
  io: Server;
  bus: EventBus;
  /** In the order they publish; they stop in the reverse order. */
  hubs: readonly Hub[];
  /** Told of every change, before the coalesced push. */
  onStale?: () => void;
}): Part {
  let publishQueued = false;
  const onStale = (): void => {
    deps.onStale?.();
    if (publishQueued) return;
    publishQueued = true;
    setImmediate(() => {
      publishQueued = false;
      for (const hub of deps.hubs) hub.publish?.();
    });
  };
  return {
    start() {
      deps.bus.on('playlists:stale', onStale);
    },
    async stop() {
      deps.bus.off('playlists:stale', onStale);
      for (const hub of [...deps.hubs].reverse()) hub.stop();
      await new Promise<void>((resolve) => {
        void deps.io.close(() => resolve());
      });
    },
  };
}
