/**
 * Messages between the benchmark (parent) and the kiosk-clients process. The
 * clients live in their own process so that decoding 1,000 copies of every
 * push does not run on the event loop being measured.
 */
import type { Playlist } from '../../../controller/protocol/index.js';

export interface ClientsConfig {
  /** Base URL; the clients connect to `<url>/kiosk`. */
  url: string;
  count: number;
  /**
   * `controller`: authenticate as seeded kiosk devices and wait for the
   * playlist the controller sends on connect. `bare`: a plain socket.io
   * server that sends nothing until the benchmark emits.
   */
  mode: 'controller' | 'bare';
  /** Device `kiosk-<i>` uses token `<tokenPrefix><i>`. */
  tokenPrefix: string;
}

/** One push that has reached every client. */
export interface RoundReport {
  version: string;
  /** Monotonic receive time (ms) at each client, in arrival order. */
  times: number[];
  /** The playlist as the first client decoded it, so the baseline can send exactly the same bytes. */
  playlist: Playlist;
  payloadBytes: number;
}

export type ChildMessage = { type: 'ready'; connectMs: number } | ({ type: 'round' } & RoundReport) | { type: 'error'; message: string };

export type ParentMessage = { type: 'close' };

export const deviceId = (i: number): string => `kiosk-${i}`;

export function isChildMessage(value: unknown): value is ChildMessage {
  if (typeof value !== 'object' || value === null || !('type' in value)) return false;
  return value.type === 'ready' || value.type === 'round' || value.type === 'error';
}

export function isParentMessage(value: unknown): value is ParentMessage {
  return typeof value === 'object' && value !== null && 'type' in value && value.type === 'close';
}

export function parseClientsConfig(text: string | undefined): ClientsConfig {
  const value: unknown = JSON.parse(text ?? 'null');
  if (typeof value !== 'object' || value === null) throw new Error('kiosk-clients: pass the config as JSON in argv[2]');
  const c = value as Partial<Record<keyof ClientsConfig, unknown>>;
  if (
    typeof c.url !== 'string' ||
    typeof c.count !== 'number' ||
    typeof c.tokenPrefix !== 'string' ||
    (c.mode !== 'controller' && c.mode !== 'bare')
  ) {
    throw new Error(`kiosk-clients: bad config ${text ?? ''}`);
  }
  return { url: c.url, count: c.count, mode: c.mode, tokenPrefix: c.tokenPrefix };
}
