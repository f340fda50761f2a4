/**
 * An in-process serial "port" wired to a sign emulator: the demo started by
 * `npm start` attaches one emulated sign per demo village through it, so it
 * needs no socat and no hardware. It implements the part of serialport's
 * binding interface that @serialport/stream uses; writes go to the emulator,
 * the emulator's answers are read back.
 */
import type { SerialBinding } from '../link.js';
import type { SignEmulator } from './signEmulator.js';
import { type OpenOptions, ReadQueue, idlePortCalls } from '../transport/readQueue.js';

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

export function createEmulatorBinding(signsByPath: ReadonlyMap<string, EmulatedLine>): SerialBinding {
  const binding = {
    list: () => Promise.resolve([...signsByPath.keys()].map((path) => ({ path, manufacturer: 'Gongshi emulator' }))),
    open(options: OpenOptions) {
      const sign = signsByPath.get(options.path);
      if (!sign) return Promise.reject(new Error(`ENOENT: no emulated sign at ${options.path}`));
      const reads = new ReadQueue();
      let isOpen = true;
      const off = sign.onOutput((bytes) => reads.push(Buffer.from(bytes)));
      return Promise.resolve({
        openOptions: options,
        get isOpen() {
          return isOpen;
        },
        read: (buffer: Buffer, offset: number, length: number) => reads.read(buffer, offset, length),
        write(buffer: Buffer) {
          if (!isOpen) return Promise.reject(new Error('port is not open'));
          sign.input(Buffer.from(buffer));
          return Promise.resolve();
        },
        close() {
          isOpen = false;
          off();
          reads.close();
          return Promise.resolve();
        },
        flush: () => {
          reads.clear();
          return Promise.resolve();
        },
        ...idlePortCalls(options),
      });
    },
  };
  return binding as unknown as SerialBinding;
}
