/**
 * Devices (kiosks now, LED signs later): registration with a token shown once,
 * token checks, and online/offline tracking for the admin's monitor.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.js';
import { randomToken } from '../auth/passwords.js';
import { sha256Hex } from '../domain/canonical.js';
import type { EventBus } from '../events.js';
import type { Logger } from '../logger.js';
import { type Ack, type Device, type CreateDeviceRequest, fail, ok } from '../protocol/index.js';
import type { DeviceRecord, StateStore } from '../store/state.js';

export interface DeviceService {
  list(): Device[];
  get(id: string): Device | undefined;
  /** Registers a device; the token is returned once and stored only as a hash. */
  create(input: CreateDeviceRequest): Promise<Ack<{ device: Device; token: string }>>;
  /** Whether `token` opens `deviceId`, or (demo mode, same machine) a demo device may open without one. */
  authenticate(deviceId: string, token: string | undefined, context: { demoMode: boolean; loopback: boolean }): DeviceRecord | null;
  markOnline(id: string): void;
  markOffline(id: string): void;
  start(): void;
  /** Saves pending last-seen times. */
  stop(): Promise<void>;
}

export function createDeviceService(deps: {
  store: StateStore;
  bus: EventBus;
  clock: Clock;
  logger: Logger;
  flushIntervalMs?: number;
}): DeviceService {
  /** Connections per device: a device is online while at least one is open. */
  const connections = new Map<string, number>();
  /** Last-seen times not yet written: a connect storm of a thousand kiosks must not mean a thousand state writes. */
  const unsaved = new Map<string, number>();
  let timer: NodeJS.Timeout | null = null;
  const view = (d: DeviceRecord): Device => ({
    id: d.id,
    kind: d.kind,
    name: d.name,
    villageId: d.villageId,
    demo: d.demo,
    online: (connections.get(d.id) ?? 0) > 0,
    lastSeenAt: unsaved.get(d.id) ?? d.lastSeenAt,
  });
  const touch = (id: string): void => {
    const d = deps.store.read().devices.find((x) => x.id === id);
    if (!d) return;
    unsaved.set(id, deps.clock.now());
    deps.bus.emit('device:status-changed', view(d));
  };
  const flush = async (): Promise<void> => {
    if (unsaved.size === 0) return;
    const batch = new Map(unsaved);
    await deps.store.update((s) => {
      for (const d of s.devices) d.lastSeenAt = batch.get(d.id) ?? d.lastSeenAt;
    });
    for (const [id, at] of batch) if (unsaved.get(id) === at) unsaved.delete(id);
  };

  return {
    start() {
      timer = setInterval(() => {
        flush().catch((error: unknown) => deps.logger.warn('could not save device last-seen times; will retry', { error }));
      }, deps.flushIntervalMs ?? 30_000);
      timer.unref();
    },

    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await flush();
    },

    list: () => deps.store.read().devices.map(view),

    get(id) {
      const d = deps.store.read().devices.find((x) => x.id === id);
      return d ? view(d) : undefined;
    },

    async create(input) {
      if (!deps.store.read().villages.some((v) => v.id === input.villageId)) {
        return fail('invalid_payload', `villageId: unknown village ${input.villageId}`, {
          villageId: 'unknown village; choose one of the town’s villages',
        });
      }
      const token = randomToken(24);
      const record: DeviceRecord = {
        id: randomUUID(),
        kind: input.kind,
        name: input.name,
        villageId: input.villageId,
        demo: false,
        tokenHash: sha256Hex(token),
        createdAt: deps.clock.now(),
        lastSeenAt: null,
      };
      await deps.store.update((s) => {
        s.devices.push(record);
      });
      deps.logger.info(`device ${record.id} (${record.name}) registered in village ${record.villageId}`);
      deps.bus.emit('device:status-changed', view(record));
      return ok({ device: view(record), token });
    },

    authenticate(deviceId, token, context) {
      const device = deps.store.read().devices.find((d) => d.id === deviceId);
      if (!device) return null;
      if (token !== undefined && device.tokenHash !== null && sha256Hex(token) === device.tokenHash) return device;
      if (token === undefined && device.demo && context.demoMode && context.loopback) return device;
      return null;
    },

    markOnline(id) {
      connections.set(id, (connections.get(id) ?? 0) + 1);
      touch(id);
    },

    markOffline(id) {
      const left = (connections.get(id) ?? 1) - 1;
      if (left > 0) connections.set(id, left);
      else connections.delete(id);
      touch(id);
    },
  };
}
