/**
 * Turns a stream of pushes into at most one hand-over per interval: the first
 * item starts a timer, everything that arrives before it fires is collected,
 * then handed over at once. Items with the same key replace each other (the
 * newest wins, in the place of the first); distinct keys are all kept. With a
 * `max`, the oldest keys beyond it are let go and counted, so a storm cannot
 * grow the buffer without bound and the receiver learns that it missed some.
 *
 * Staff sockets get device status and display records through this: a
 * thousand kiosks must not send every open admin tab dozens of events a second.
 *
 * @example
 * const displays = createCoalescer<DisplayRecord>({
 *   intervalMs: 1_000,
 *   key: (r) => r.receiptId,
 *   max: 500,
 *   flush: (records, dropped) => room.emit('displays:recorded', { records, dropped }),
 * });
 * bus.on('display:recorded', displays.push);
 */
export interface CoalescerOptions<T> {
  intervalMs: number;
  /** Items with the same key are one item: the newest is handed over. */
  key: (item: T) => string;
  /** Receives the items of one interval in the order their keys first arrived, and how many older ones `max` let go. */
  flush: (items: T[], dropped: number) => void;
  /** At most this many items wait; beyond it the oldest are dropped (and counted). Unbounded when absent. */
  max?: number;
}

export interface Coalescer<T> {
  push(item: T): void;
  /** Cancels the pending hand-over; what waits is discarded. */
  stop(): void;
}

export function createCoalescer<T>(options: CoalescerOptions<T>): Coalescer<T> {
  if (options.max !== undefined && !(options.max >= 1)) throw new RangeError(`coalescer max must be at least 1, got ${options.max}`);
  let pending = new Map<string, T>();
  let dropped = 0;
  let timer: NodeJS.Timeout | null = null;

  const flush = (): void => {
    timer = null;
    const items = [...pending.values()];
    const lost = dropped;
    pending = new Map();
    dropped = 0;
    if (items.length > 0) options.flush(items, lost);
  };

  return {
    push(item) {
      pending.set(options.key(item), item);
      if (options.max !== undefined && pending.size > options.max) {
        const oldest = pending.keys().next();
        if (!oldest.done) pending.delete(oldest.value);
        dropped++;
      }
      timer ??= setTimeout(flush, options.intervalMs);
    },
    stop() {
      if (timer) clearTimeout(timer);
      timer = null;
      pending.clear();
      dropped = 0;
    },
  };
}
