/**
 * An in-process serial "port" wired to a sign emulator: the demo started by
 * `npm start` attaches one emulated sign per demo village through it, so it
 * needs no socat and no hardware. It implements the part of serialport's
 * binding interface that @serialport/stream uses; writes go to the emulator,
 * the emulator's answers are read back.
 */
import type { SerialBinding } from '../link.js';
import type { SignEmulator } from './signEmulator.js';

/** What sits at the far end of an emulated port: one sign, or several on one RS-485 line. */
export type EmulatedLine = Pick<SignEmulator, 'input' | 'onOutput'>;

/** Several emulated signs on one line (RS-485 multi-drop): each hears every byte; their answers share the line. */
export function emulatedBus(signs: readonly SignEmulator[]): EmulatedLine {
  return {
    input: (chunk) => {
      for (const sign of signs) sign.input(chunk);
    },
    onOutput: (listener) => {
      const offs = signs.map((sign) => sign.onOutput(listener));
      return () => {
        for (const off of offs) off();
      };
    },
  };
}

interface OpenOptions {
  path: string;
  baudRate: number;
  [option: string]: unknown;
}

export function createEmulatorBinding(signsByPath: ReadonlyMap<string, EmulatedLine>): SerialBinding {
  const binding = {
    list: () => Promise.resolve([...signsByPath.keys()].map((path) => ({ path, manufacturer: 'Gongshi emulator' }))),
    open(options: OpenOptions) {
      const sign = signsByPath.get(options.path);
      if (!sign) return Promise.reject(new Error(`ENOENT: no emulated sign at ${options.path}`));
      let queue: Buffer[] = [];
      let waiting: { resolve: () => void; reject: (error: Error) => void } | null = null;
      let isOpen = true;
      const off = sign.onOutput((bytes) => {
        queue.push(Buffer.from(bytes));
        waiting?.resolve();
        waiting = null;
      });
      const canceled = () => Object.assign(new Error('read canceled'), { canceled: true });
      return Promise.resolve({
        openOptions: options,
        get isOpen() {
          return isOpen;
        },
        async read(buffer: Buffer, offset: number, length: number) {
          while (queue.length === 0) {
            if (!isOpen) throw canceled();
            await new Promise<void>((resolve, reject) => (waiting = { resolve, reject }));
          }
          const head = queue[0] ?? Buffer.alloc(0);
          const n = Math.min(length, head.length);
          head.copy(buffer, offset, 0, n);
          if (n === head.length) queue.shift();
          else queue[0] = head.subarray(n);
          return { buffer, bytesRead: n };
        },
        write(buffer: Buffer) {
          if (!isOpen) return Promise.reject(new Error('port is not open'));
          sign.input(Buffer.from(buffer));
          return Promise.resolve();
        },
        close() {
          isOpen = false;
          off();
          queue = [];
          waiting?.reject(canceled());
          waiting = null;
          return Promise.resolve();
        },
        update: () => Promise.resolve(),
        set: () => Promise.resolve(),
        get: () => Promise.resolve({ cts: true, dsr: true, dcd: true }),
        getBaudRate: () => Promise.resolve({ baudRate: options.baudRate }),
        flush: () => {
          queue = [];
          return Promise.resolve();
        },
        drain: () => Promise.resolve(),
      });
    },
  };
  return binding as unknown as SerialBinding;
}
