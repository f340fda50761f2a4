/**
 * The one shape of every long-lived part of the controller: it starts, and it stops what it started (its
 * files, timers, listeners, sockets). The composition root (main.ts) starts the parts one after another
 * on a {@link Parts} list and stops them in the reverse order, so a part never outlives what it uses.
 */
import type { Logger } from '../logger.js';

export interface Part {
  start(): Promise<void> | void;
  stop(): Promise<void> | void;
}

/** A part with its name, as the compose functions list them in the order they start. */
export type NamedPart = readonly [name: string, part: Part];

/** A part with nothing to undo: a step of the start that leaves no timer, file or listener behind. */
export const step = (start: () => Promise<void> | void): Part => ({ start, stop: () => undefined });

export interface Parts {
  /** Starts `part` and, once it has started, adds it to the list; answers the part. A part whose start throws is not stopped. */
  start<P extends Part>(name: string, part: P): Promise<P>;
  /** Starts each part of `list` in order, as {@link Parts.start} does. */
  startAll(list: readonly NamedPart[]): Promise<void>;
  /** Stops the started parts in reverse order; a part that throws is logged and the others still stop. Once only. */
  stop(): Promise<void>;
}

export function createParts(logger: Logger): Parts {
  const started: { name: string; part: Part }[] = [];
  let stopping: Promise<void> | null = null;
  const stopAll = async (): Promise<void> => {
    for (const { name, part } of started.reverse()) {
      try {
        await part.stop();
      } catch (error) {
        logger.error('error while stopping', { part: name, error });
      }
    }
  };
  const start = async <P extends Part>(name: string, part: P): Promise<P> => {
    if (stopping) throw new Error(`cannot start ${name}: the controller is stopping`);
    await part.start();
    started.push({ name, part });
    return part;
  };
  return {
    start,
    async startAll(list) {
      for (const [name, part] of list) await start(name, part);
    },
    stop() {
      stopping ??= stopAll();
      return stopping;
    },
  };
}
