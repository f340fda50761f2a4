/**
 * What every device namespace (`/kiosk`, `/node`) puts in front of its
 * handlers: token auth in the connection middleware (wrong tokens throttled
 * per client address, a device of another kind refused, connects limited per
 * device), and per-device
 * event limits with an answer that is always sent and never leaks an
 * internal error. The per-packet access rules are access.ts's guardEvents.
 */
import type { Namespace, Socket } from 'socket.io';
import { createRateLimit } from '../auth/rateLimit.js';
import { DISK_FULL_MESSAGE, isDiskFull } from '../ops/diskWatch.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import { type Ack, type DeviceKind, fail, invalidPayload, kioskAuth } from '../protocol/index.js';
import type { DeviceService } from '../services/devices.js';
import { type TrustFn, clientAddress, isLoopback } from './address.js';

/** Events a device may send: a burst for catching up after a reconnect, then a steady trickle. */
export const DEVICE_EVENT_LIMIT = { burst: 40, perSecond: 4 } as const;
/**
 * A village node's proof records, counted one by one (not per `node:records` packet): a week offline is about
 * 350,000 records for 10 signs, uploaded in seconds once the uplink is back; the packet size limit bounds each batch.
 */
export const NODE_RECORD_LIMIT = { burst: 400_000, perSecond: 100_000 } as const;
/** A device refused this many times in a row is disconnected (it will reconnect and start afresh). */
export const DEVICE_FLOOD_DISCONNECT = 200;
/**
 * Connects per device, right token or not (a demo kiosk from this machine needs none): a device reconnecting in a
 * loop is refused for a while, and what it would cost (a hello, a playlist, its status) is not paid each time.
 */
export const DEVICE_CONNECT_LIMIT = { burst: 20, perSecond: 0.2 } as const;
/** Wrong tokens per address before further attempts wait: guessing tokens is slow. */
export const DEVICE_AUTH_FAILURES = { burst: 20, perSecond: 0.1 } as const;

export interface DeviceGateDeps {
  devices: DeviceService;
  clock: Clock;
  logger: Logger;
  demoMode: () => boolean;
  /** Express's `trust proxy` test, so wrong tokens count against the real client behind a trusted proxy, not the proxy. */
  trustProxy?: TrustFn | undefined;
}

export interface DeviceGate {
  /**
   * Runs an event's work if the device is within its limit, else answers rate_limited (and disconnects a persistent
   * flooder). With `records`, the event is counted as that many records against {@link NODE_RECORD_LIMIT} instead.
   */
  limited: <T>(socket: Socket, event: string, ack: unknown, work: () => Promise<Ack<T>>, records?: number) => void;
}

/** Wraps a handler so that it always answers, never throws across the socket, and logs internal errors. */
export function guarded<T>(logger: Logger, event: string, ack: unknown, work: () => Promise<Ack<T>>): void {
  if (typeof ack !== 'function') {
    logger.debug(`${event} without an acknowledgement callback; ignored`);
    return;
  }
  const answer = ack as (a: Ack<T>) => void;
  work().then(answer, (error: unknown) => {
    logger.error(`${event} failed`, { error });
    answer(
      isDiskFull(error)
        ? fail('disk_full', `${DISK_FULL_MESSAGE} Keep it and send it again (请保留并重发).`)
        : fail('internal', 'the controller could not record this now; keep it and try again'),
    );
  });
}

/**
 * Installs the token check on `nsp` for devices of `kind` (the device id goes to `socket.data.deviceId`) and
 * returns the per-device event limit.
 */
export function attachDeviceGate(nsp: Namespace, kind: DeviceKind, deps: DeviceGateDeps): DeviceGate {
  const log = deps.logger;
  const events = createRateLimit({ ...DEVICE_EVENT_LIMIT, now: () => deps.clock.now() });
  const records = createRateLimit({ ...NODE_RECORD_LIMIT, now: () => deps.clock.now() });
  const authFailures = createRateLimit({ ...DEVICE_AUTH_FAILURES, now: () => deps.clock.now() });
  const connects = createRateLimit({ ...DEVICE_CONNECT_LIMIT, now: () => deps.clock.now() });
  const floods = new Map<string, number>();

  nsp.use((socket, next) => {
    const peer = socket.handshake.address;
    const address = deps.trustProxy ? clientAddress(peer, socket.handshake.headers['x-forwarded-for'], deps.trustProxy) : peer;
    // The token is checked first (one SHA-256 and a constant-time compare), and only failures count against the
    // address: many real devices share one address behind a village router or a 4G NAT, and a forger among them must
    // not lock them out. A 256-bit token is not guessed at any rate; the wait only keeps a forger's noise down.
    const parsed = kioskAuth.safeParse(socket.handshake.auth);
    const found = parsed.success
      ? deps.devices.authenticate(parsed.data.deviceId, parsed.data.token, {
          demoMode: deps.demoMode(),
          // Behind a reverse proxy on this machine every client arrives from loopback; the forwarded header says it is not.
          loopback: isLoopback(peer) && socket.handshake.headers['x-forwarded-for'] === undefined,
        })
      : null;
    const device = found?.kind === kind ? found : null;
    if (!device) {
      const wait = authFailures.retryAfterSec(address);
      if (wait > 0) return next(new Error(`rate_limited: too many failed attempts from this address; wait ${wait} s`));
      if (!parsed.success) return next(new Error(`invalid_payload: ${invalidPayload(parsed.error).message}`));
      authFailures.take(address);
      log.info(`${kind} refused`, { deviceId: parsed.data.deviceId, address });
      return next(new Error(`unauthorized: unknown device or wrong token; pair this ${kind} again from the admin app`));
    }
    if (!connects.take(device.id)) {
      const wait = connects.retryAfterSec(device.id);
      log.debug(() => `${kind} ${device.id} connects too often; refused for ${wait} s`);
      return next(new Error(`rate_limited: this ${kind} connects too often; wait ${wait} s`));
    }
    (socket.data as { deviceId: string }).deviceId = device.id;
    next();
  });

  return {
    limited(socket, event, ack, work, count) {
      const { deviceId } = socket.data as { deviceId: string };
      const bucket = count === undefined ? events : records;
      if (bucket.take(deviceId, Math.max(1, count ?? 1))) {
        floods.delete(deviceId);
        guarded(log, event, ack, work);
        return;
      }
      const refused = (floods.get(deviceId) ?? 0) + 1;
      floods.set(deviceId, refused);
      if (refused === 1) log.warn(`${kind} ${deviceId} is sending too fast; throttling it`);
      if (refused >= DEVICE_FLOOD_DISCONNECT) {
        floods.delete(deviceId);
        log.warn(`${kind} ${deviceId} kept flooding; disconnected`);
        socket.disconnect(true);
        return;
      }
      const retry = bucket.retryAfterSec(deviceId);
      guarded(log, event, ack, () =>
        Promise.resolve(fail('rate_limited', `too many messages from this ${kind}; wait ${retry} s and send again`)),
      );
    },
  };
}
