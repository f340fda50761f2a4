/** Parent side of the kiosk-clients process: start it, wait for rounds, stop it. */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type ClientsConfig, type ParentMessage, type RoundReport, isChildMessage } from './ipc.js';

const CHILD_SCRIPT = fileURLToPath(new URL('./kiosk-clients.ts', import.meta.url));
/** Absolute, so the child finds tsx whatever the working directory. */
const TSX_LOADER = import.meta.resolve('tsx');
const CLOSE_TIMEOUT_MS = 10_000;

/** Nothing arrived in time; the child is still healthy. */
export class TimeoutError extends Error {
  override name = 'TimeoutError';
}

export interface KioskClients {
  /** Time to connect every client (and, against the controller, receive its first playlist). */
  connectMs: number;
  /** The next push that has reached every client, in the order they completed. */
  nextRound(timeoutMs: number): Promise<RoundReport>;
  /** Closes every client and waits for the process to exit. */
  close(): Promise<void>;
}

export async function startKioskClients(config: ClientsConfig, readyTimeoutMs: number): Promise<KioskClients> {
  const child: ChildProcess = fork(CHILD_SCRIPT, [JSON.stringify(config)], {
    execArgv: ['--import', TSX_LOADER],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const rounds: RoundReport[] = [];
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  let connectMs: number | null = null;
  let exited = false;
  const exit = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exited = true;
      failure ??= new Error(`kiosk clients exited early (code ${code ?? 'none'}, signal ${signal ?? 'none'})`);
      wake?.();
      resolve();
    });
  });
  child.on('error', (error) => {
    failure ??= error;
    wake?.();
  });
  child.on('message', (message: unknown) => {
    if (!isChildMessage(message)) return;
    if (message.type === 'ready') connectMs = message.connectMs;
    else if (message.type === 'error') failure ??= new Error(message.message);
    else rounds.push({ version: message.version, times: message.times, playlist: message.playlist, payloadBytes: message.payloadBytes });
    wake?.();
  });

  /** Waits until `done()` holds, the child fails, or the timeout passes. */
  const waitFor = async (done: () => boolean, timeoutMs: number, what: string): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    while (!done()) {
      if (failure) throw failure;
      const left = deadline - Date.now();
      if (left <= 0) throw new TimeoutError(`${what} within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = null;
    }
  };

  const close = async (): Promise<void> => {
    failure ??= new Error('kiosk clients closed');
    if (exited) return;
    const bye: ParentMessage = { type: 'close' };
    // The child may be disconnecting on its own already; a failed goodbye changes nothing.
    if (child.connected) child.send(bye, () => undefined);
    const timer = setTimeout(() => child.kill('SIGKILL'), CLOSE_TIMEOUT_MS);
    await exit;
    clearTimeout(timer);
  };

  try {
    await waitFor(() => connectMs !== null, readyTimeoutMs, `not all ${config.count} kiosk clients connected`);
  } catch (error) {
    await close();
    throw error;
  }

  return {
    connectMs: connectMs ?? 0,
    async nextRound(timeoutMs) {
      await waitFor(() => rounds.length > 0, timeoutMs, `the push did not reach all ${config.count} kiosk clients`);
      const round = rounds.shift();
      if (!round) throw new Error('no round');
      return round;
    },
    close,
  };
}
