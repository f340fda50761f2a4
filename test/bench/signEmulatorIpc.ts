/** Messages between the signs benchmark and its sign-emulator process (signEmulatorProcess.ts). */
import type { EmulatorStats } from '../../controller/led/emulator/signEmulator.js';

export interface EmulatorConfig {
  /** The sign's end of the pty pair. */
  path: string;
  baudRate: number;
  address: number;
  width: number;
  height: number;
  /** Report every change of what the sign holds as it happens (`changed` messages); off by default. */
  changes?: boolean;
}

/**
 * One request and answer as the emulator process saw it, on the monotonic clock every process shares (stats.ts
 * `monotonicMs`): the first and last chunk read from the pty, and the moment the answer was handed to the port.
 */
export interface Exchange {
  firstIn: number;
  lastIn: number;
  out: number;
}

/**
 * What the sign holds changed: a frame it acted on, stamped (monotonic) when its last byte was due on the emulated
 * wire, with the bytes of that request as read from the pty and when its first chunk was read.
 */
export interface SignChange {
  at: number;
  texts: string[];
  bytes: number;
  firstIn: number;
}

export type EmulatorChildMessage =
  | { type: 'ready'; pid: number }
  | ({ type: 'changed' } & SignChange)
  | { type: 'texts'; texts: string[]; stats: EmulatorStats; exchanges: Exchange[] }
  | { type: 'error'; message: string };

export type EmulatorParentMessage = { type: 'texts' } | { type: 'close' };

export function isEmulatorChildMessage(value: unknown): value is EmulatorChildMessage {
  if (typeof value !== 'object' || value === null || !('type' in value)) return false;
  return value.type === 'ready' || value.type === 'texts' || value.type === 'changed' || value.type === 'error';
}

export function isEmulatorParentMessage(value: unknown): value is EmulatorParentMessage {
  if (typeof value !== 'object' || value === null || !('type' in value)) return false;
  return value.type === 'texts' || value.type === 'close';
}

export function parseEmulatorConfig(text: string | undefined): EmulatorConfig {
  const value: unknown = JSON.parse(text ?? 'null');
  if (typeof value !== 'object' || value === null) throw new Error('sign emulator: pass the config as JSON in argv[2]');
  const c = value as Partial<Record<keyof EmulatorConfig, unknown>>;
  for (const key of ['baudRate', 'address', 'width', 'height'] as const) {
    if (typeof c[key] !== 'number' || !Number.isInteger(c[key]) || c[key] <= 0) {
      throw new Error(`sign emulator: config field ${key} must be a positive integer, got ${JSON.stringify(c[key])}`);
    }
  }
  if (typeof c.path !== 'string' || c.path === '')
    throw new Error(`sign emulator: config field path must be a device path, got ${JSON.stringify(c.path)}`);
  if (c.changes !== undefined && typeof c.changes !== 'boolean')
    throw new Error(`sign emulator: config field changes must be true or false, got ${JSON.stringify(c.changes)}`);
  return {
    ...(c.changes !== undefined && { changes: c.changes }),
    path: c.path,
    baudRate: c.baudRate as number,
    address: c.address as number,
    width: c.width as number,
    height: c.height as number,
  };
}
