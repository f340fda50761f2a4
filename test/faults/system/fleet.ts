/**
 * The kiosk fleet of a fault run, in its own process (kiosks-child.ts) so that
 * fifty socket.io clients do not share an event loop with the proxies, the
 * sign emulators and the assertions. The parent drives it by request and
 * answer over the IPC channel.
 */
import { type ChildProcess, fork } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SimKioskOptions, SimKioskSnapshot } from '../../helpers/simKiosk.js';

export type FleetKiosk = Pick<SimKioskOptions, 'url' | 'deviceId' | 'token'>;
export type FleetTimings = Omit<SimKioskOptions, 'url' | 'deviceId' | 'token' | 'now'>;

export type FleetRequest =
  | { type: 'start'; kiosks: FleetKiosk[]; timings: FleetTimings }
  | { type: 'jump'; deviceId: string; ms: number }
  | { type: 'lose'; deviceId: string; n: number }
  | { type: 'beat'; deviceIds: string[] }
  | { type: 'produce'; on: boolean }
  | { type: 'snapshot' };

export type FleetAnswer = { id: number; ok: true; snapshots?: SimKioskSnapshot[] } | { id: number; ok: false; error: string };

export interface Fleet {
  request(message: FleetRequest, timeoutMs?: number): Promise<SimKioskSnapshot[]>;
  snapshot(): Promise<SimKioskSnapshot[]>;
  close(): Promise<void>;
}

const here = path.dirname(fileURLToPath(import.meta.url));

export function startFleet(): Fleet {
  const child: ChildProcess = fork(path.join(here, 'kiosks-child.ts'), [], {
    execArgv: ['--import', 'tsx'],
    // The kiosks run the kiosk's own outbox (kiosk/outbox.ts), which imports the contract as `@protocol`: tsx
    // resolves that alias from the tests' tsconfig, as vite and vitest do from theirs.
    env: { ...process.env, TSX_TSCONFIG_PATH: path.resolve(here, '../../../tsconfig.test.json') },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let next = 1;
  const waiting = new Map<number, { resolve: (s: SimKioskSnapshot[]) => void; reject: (e: Error) => void }>();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.on('message', (raw: unknown) => {
    const answer = raw as FleetAnswer;
    const w = waiting.get(answer.id);
    if (!w) return;
    waiting.delete(answer.id);
    if (answer.ok) w.resolve(answer.snapshots ?? []);
    else w.reject(new Error(`kiosk fleet: ${answer.error}`));
  });
  child.once('exit', (code) => {
    for (const w of waiting.values()) w.reject(new Error(`kiosk fleet exited with ${code}`));
    waiting.clear();
  });
  const request = (message: FleetRequest, timeoutMs = 30_000): Promise<SimKioskSnapshot[]> =>
    new Promise((resolve, reject) => {
      const id = next++;
      const timer = setTimeout(() => {
        waiting.delete(id);
        reject(new Error(`kiosk fleet did not answer ${message.type} within ${timeoutMs} ms`));
      }, timeoutMs);
      waiting.set(id, {
        resolve: (s) => {
          clearTimeout(timer);
          resolve(s);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      child.send({ id, ...message });
    });
  return {
    request,
    snapshot: () => request({ type: 'snapshot' }),
    async close() {
      if (child.connected) child.disconnect();
      const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(killer);
    },
  };
}
