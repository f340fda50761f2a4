/**
 * `@serialport/binding-mock` (10.2.2) with a device behind it: MockBinding
 * records writes and lets a test inject reads, but cannot answer a write by
 * itself (serialport issues #2734, #2558). This wraps it: every write also
 * goes to the emulated signs, and what they send comes back through
 * `emitData`. With `maxReadSize: 1` the stream reads one byte at a time.
 *
 * Unplugging rejects the port's pending read with a non-cancel error, which is
 * how serialport sees a vanished device (led-protocols.md §4): the stream
 * closes with a DisconnectedError. The pending read is a private field of
 * MockPortBinding, hidden here so tests never touch it.
 */
import { createRequire } from 'node:module';
import type { SerialBinding } from '../../controller/led/link.js';
import type { SignEmulator } from '../../controller/led/emulator/signEmulator.js';

/** What serialport passes to `open` (bindings-interface's OpenOptions, which NodeNext cannot resolve from its package exports). */
interface OpenOptions {
  path: string;
  baudRate: number;
  [option: string]: unknown;
}

/** The parts of MockPortBinding used here (binding-mock's package exports hide its types from NodeNext/Bundler resolution). */
export interface MockPortBinding {
  readonly openOptions: OpenOptions;
  readonly isOpen: boolean;
  emitData(data: Buffer): void;
  read(buffer: Buffer, offset: number, length: number): Promise<{ buffer: Buffer; bytesRead: number }>;
  write(buffer: Buffer): Promise<void>;
  close(): Promise<void>;
  update(options: { baudRate: number }): Promise<void>;
  set(options: object): Promise<void>;
  get(): Promise<object>;
  getBaudRate(): Promise<{ baudRate: number }>;
  flush(): Promise<void>;
  drain(): Promise<void>;
}

interface MockBindingApi {
  reset(): void;
  createPort(path: string, options: { echo: boolean; record: boolean; maxReadSize: number }): void;
  list(): Promise<object[]>;
  open(options: OpenOptions): Promise<MockPortBinding>;
}

/** `@serialport/binding-mock` 10.2.2, typed by {@link MockBindingApi}. */
export const MockBinding = (createRequire(import.meta.url)('@serialport/binding-mock') as { MockBinding: MockBindingApi }).MockBinding;

export interface MockSignLine {
  binding: SerialBinding;
  path: string;
  /** For the link's `pathExists`: false between unplug and replug. */
  present(path: string): boolean;
  /** The open mock port (for `recording`). */
  port(): MockPortBinding | null;
  /** Every byte the host wrote since the line was created. */
  written(): Buffer;
  unplug(): Promise<void>;
  replug(): void;
}

export function createMockSignLine(path: string, signs: readonly SignEmulator[], options: { maxReadSize?: number } = {}): MockSignLine {
  MockBinding.createPort(path, { echo: false, record: true, maxReadSize: options.maxReadSize ?? 1 });
  let plugged = true;
  let current: MockPortBinding | null = null;
  let written = Buffer.alloc(0);
  const detach: (() => void)[] = [];

  const wrap = (inner: MockPortBinding) => {
    current = inner;
    for (const sign of signs) {
      detach.push(
        sign.onOutput((bytes) => {
          if (inner.isOpen && current === inner) inner.emitData(bytes);
        }),
      );
    }
    const port = {
      get openOptions() {
        return inner.openOptions;
      },
      get isOpen() {
        return inner.isOpen;
      },
      async write(buffer: Buffer) {
        await inner.write(buffer);
        written = Buffer.concat([written, buffer]);
        for (const sign of signs) sign.input(Buffer.from(buffer));
      },
      read: (buffer: Buffer, offset: number, length: number) => inner.read(buffer, offset, length),
      async close() {
        while (detach.length > 0) detach.pop()?.();
        if (current === inner) current = null;
        await inner.close();
      },
      update: (o: { baudRate: number }) => inner.update(o),
      set: (o: object) => inner.set(o),
      get: () => inner.get(),
      getBaudRate: () => inner.getBaudRate(),
      flush: () => inner.flush(),
      drain: () => inner.drain(),
    };
    return port;
  };

  const binding = {
    list: () => MockBinding.list(),
    async open(openOptions: OpenOptions) {
      if (!plugged) throw new Error(`ENOENT: ${openOptions.path} is unplugged`);
      const inner = await MockBinding.open(openOptions);
      return wrap(inner);
    },
  } as unknown as SerialBinding;

  return {
    binding,
    path,
    present: (p) => p === path && plugged,
    port: () => current,
    written: () => written,
    async unplug() {
      plugged = false;
      const inner = current as unknown as { pendingRead: ((error: Error) => void) | null } | null;
      if (!inner) throw new Error('the mock port is not open');
      // Between two reads the stream has none pending for a tick: wait for the next one.
      for (let i = 0; i < 100 && !inner.pendingRead; i++) await new Promise((r) => setTimeout(r, 5));
      const reject = inner.pendingRead;
      if (!reject) throw new Error('no read pending on the mock port');
      inner.pendingRead = null;
      reject(Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' }));
    },
    replug() {
      plugged = true;
    },
  };
}
