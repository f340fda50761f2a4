/** Parent side of the sign-emulator process: start it on a pty path, ask what the sign holds, stop it. */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { EmulatorStats } from '../../controller/led/emulator/signEmulator.js';
import {
  type EmulatorConfig,
  type EmulatorParentMessage,
  type Exchange,
  type SignChange,
  isEmulatorChildMessage,
} from './signEmulatorIpc.js';

const CHILD_SCRIPT = fileURLToPath(new URL('./signEmulatorProcess.ts', import.meta.url));
/** Absolute, so the child finds tsx whatever the working directory. */
const TSX_LOADER = import.meta.resolve('tsx');
const TIMEOUT_MS = 15_000;

export interface EmulatorProcess {
  pid: number;
  /** The text of each area, the emulator's counters and every exchange so far, as the child holds them now. */
  texts(): Promise<{ texts: string[]; stats: EmulatorStats; exchanges: Exchange[] }>;
  /** With `changes: true` in the config: called on every change of what the sign holds. */
  onChange(listener: (change: SignChange) => void): () => void;
  /** Closes the port and waits for the process to exit (SIGKILL after a timeout). */
  close(): Promise<void>;
}

export async function startEmulatorProcess(config: EmulatorConfig): Promise<EmulatorProcess> {
  const child: ChildProcess = fork(CHILD_SCRIPT, [JSON.stringify(config)], {
    execArgv: ['--import', TSX_LOADER],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let failure: Error | null = null;
  let waiter: { resolve: (m: unknown) => void; reject: (e: Error) => void } | null = null;
  const changeListeners = new Set<(change: SignChange) => void>();
  const fail = (error: Error) => {
    failure ??= error;
    waiter?.reject(failure);
    waiter = null;
  };
  const exit = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      fail(new Error(`sign emulator process exited (code ${code ?? 'none'}, signal ${signal ?? 'none'})`));
      resolve();
    });
  });
  child.on('error', fail);
  child.on('message', (message: unknown) => {
    if (!isEmulatorChildMessage(message)) return;
    if (message.type === 'error') fail(new Error(message.message));
    else if (message.type === 'changed') {
      const change: SignChange = { at: message.at, texts: message.texts, bytes: message.bytes, firstIn: message.firstIn };
      for (const listener of changeListeners) listener(change);
    } else {
      waiter?.resolve(message);
      waiter = null;
    }
  });

  /** The child's next message of `type`, after sending `request` if given. */
  const next = <T>(what: string, request?: EmulatorParentMessage): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (failure) return reject(failure);
      const timer = setTimeout(() => fail(new Error(`sign emulator process: no ${what} within ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
      waiter = {
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m as T);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      if (request) child.send(request);
    });

  const close = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      if (child.connected) child.send({ type: 'close' } satisfies EmulatorParentMessage, () => undefined);
      const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
      await exit;
      clearTimeout(timer);
    }
  };

  try {
    const ready = await next<{ pid: number }>('ready message');
    return {
      pid: ready.pid,
      texts: () => next<{ texts: string[]; stats: EmulatorStats; exchanges: Exchange[] }>('texts answer', { type: 'texts' }),
      onChange(listener) {
        changeListeners.add(listener);
        return () => changeListeners.delete(listener);
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
