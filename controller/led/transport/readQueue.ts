/**
 * The read side every in-process serialport binding needs (the emulator's,
 * the TCP one): bytes queue up as they arrive, `read()` waits for them, and a
 * close cancels the wait (`canceled`: the stream ignores it) while a failure
 * fails it (the stream then closes the port as disconnected and the link
 * reconnects). Also the port calls such bindings answer trivially.
 */

/** What serialport passes to `open` (bindings-interface's OpenOptions, which NodeNext cannot resolve from its package exports). */
export interface OpenOptions {
  path: string;
  baudRate: number;
  [option: string]: unknown;
}

const canceled = () => Object.assign(new Error('read canceled'), { canceled: true });

export class ReadQueue {
  private queue: Buffer[] = [];
  private waiting: { resolve: () => void; reject: (error: Error) => void } | null = null;
  private closed = false;
  private failure: Error | null = null;

  push(bytes: Buffer): void {
    this.queue.push(bytes);
    this.waiting?.resolve();
    this.waiting = null;
  }

  /** The far end went away: reads fail once the queued bytes are taken. */
  fail(error: Error): void {
    this.failure ??= error;
    this.waiting?.reject(this.failure);
    this.waiting = null;
  }

  /** The port was closed here: a waiting read is canceled. */
  close(): void {
    this.closed = true;
    this.queue = [];
    this.waiting?.reject(canceled());
    this.waiting = null;
  }

  clear(): void {
    this.queue = [];
  }

  get failed(): Error | null {
    return this.failure;
  }

  async read(buffer: Buffer, offset: number, length: number): Promise<{ buffer: Buffer; bytesRead: number }> {
    while (this.queue.length === 0) {
      if (this.closed) throw canceled();
      if (this.failure) throw this.failure;
      await new Promise<void>((resolve, reject) => (this.waiting = { resolve, reject }));
    }
    const head = this.queue[0] ?? Buffer.alloc(0);
    const n = Math.min(length, head.length);
    head.copy(buffer, offset, 0, n);
    if (n === head.length) this.queue.shift();
    else this.queue[0] = head.subarray(n);
    return { buffer, bytesRead: n };
  }
}

/** The port calls an in-process binding answers without doing anything (no modem lines, nothing to drain). */
export function idlePortCalls(openOptions: OpenOptions) {
  return {
    update: () => Promise.resolve(),
    set: () => Promise.resolve(),
    get: () => Promise.resolve({ cts: true, dsr: true, dcd: true }),
    getBaudRate: () => Promise.resolve({ baudRate: openOptions.baudRate }),
    drain: () => Promise.resolve(),
  };
}
