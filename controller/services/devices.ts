/**
 * Devices (kiosks now, LED signs later): pairing by a code shown on the new
 * kiosk, tokens stored only as hashes, revocation, settings, and what the
 * admin's monitor shows: online/offline, last seen, heartbeat figures (build,
 * what is on screen, clock offset, queued receipts), receipt gaps and the
 * offline alert. Pairings in progress live in memory: a restart only means a
 * new code on the kiosk.
 */
import { randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../clock.js';
import { randomToken } from '../auth/passwords.js';
import { sha256Hex } from '../domain/canonical.js';
import type { EventBus } from '../events.js';
import type { Logger } from '../logger.js';
import {
  type Ack,
  type CreateDevice,
  DEFAULT_OFFLINE_ALERT_MINUTES,
  type Device,
  type DeviceStatus,
  type DeviceWitnessAlarm,
  type Heartbeat,
  type PairDevice,
  type PairingClaimResult,
  type PairingOffer,
  type Town,
  type UpdateDeviceRequest,
  DEFAULT_OUTAGE_GRACE_SECONDS,
  type Village,
  fail,
  ok,
} from '../protocol/index.js';
import type { Ledger, LedgerEntry } from '../store/ledger.js';
import { recordThenSave } from '../store/recordThenSave.js';
import type { DeviceRecord, StateStore } from '../store/state.js';

export type { DeviceRecord } from '../store/state.js';

export const PAIRING_TTL_MS = 15 * 60_000;
/** A device clock further off than this is not trusted, and the skew is recorded. */
export const CLOCK_SKEW_LIMIT_MS = 2 * 60_000;
/** Pairing codes open at once; beyond this new kiosks are asked to wait (a flood cannot fill memory). */
const MAX_OPEN_PAIRINGS = 500;

export interface Actor {
  id: string;
}

export interface DeviceService {
  list(): Device[];
  get(id: string): Device | undefined;
  /** A paired device as stored, with its village and the town; null once it is removed or revoked, or its village is gone. */
  paired(id: string): { record: DeviceRecord; village: Village; town: Town } | null;
  /** Every paired (not revoked) device of `kind`, as stored. */
  pairedRecords(kind: DeviceRecord['kind']): DeviceRecord[];
  /** Registers a device directly; the token is returned once and stored only as a hash. */
  create(input: CreateDevice, actor: Actor): Promise<Ack<{ device: Device; token: string }>>;
  /** A new kiosk asks for a code to show. */
  offerPairing(): Ack<PairingOffer>;
  /** The kiosk asks whether staff have entered its code yet; the token is handed over once. */
  claimPairing(claim: string): Ack<PairingClaimResult>;
  /** Staff entered the code: the device is created and its token waits for the kiosk's next claim. */
  pair(input: PairDevice, actor: Actor): Promise<Ack<Device>>;
  update(id: string, patch: UpdateDeviceRequest, actor: Actor): Promise<Ack<Device>>;
  revoke(id: string, reason: string, actor: Actor): Promise<Ack<Device>>;
  /** Whether `token` opens `deviceId`, or (demo mode, same machine) a demo device may open without one. */
  authenticate(deviceId: string, token: string | undefined, context: { demoMode: boolean; loopback: boolean }): DeviceRecord | null;
  heartbeat(id: string, beat: Heartbeat): { serverTime: number };
  /** How far the device's clock was off the controller's at its last heartbeat (device minus controller), if it sent one. */
  clockOffset(id: string): number | null;
  /**
   * Connectivity is recorded as intervals: a device back within the town's grace (`outageGraceSeconds`) wrote
   * nothing; one away longer is one outage, `device.offline` (`at`: when it went) once the grace has passed and
   * `device.online` (`offlineSince`: the same start) when it is back. The first connect of a run writes
   * `device.online`, so the ledger knows which devices a crash leaves online (reports/restart.ts).
   */
  markOnline(id: string): void;
  markOffline(id: string): void;
  /** Tells staff the device's view changed through another service (its witness alarm rose or cleared). */
  announce(id: string): void;
  start(): void;
  /** Saves pending last-seen times. */
  stop(): Promise<void>;
}

interface Pairing {
  code: string;
  claimHash: string;
  expiresAt: number;
  paired: { deviceId: string; token: string } | null;
}

export function createDeviceService(deps: {
  store: StateStore;
  ledger: Ledger;
  bus: EventBus;
  clock: Clock;
  logger: Logger;
  /** Receipt sequence numbers a device skipped (from the receipt service). */
  missingReceipts?: (deviceId: string) => number;
  /** Title of a notice by id, for "showing now". */
  noticeTitle?: (noticeId: string) => string | null;
  /** The ledger witness alarm a device reports (services/witnesses.ts). */
  witnessAlarm?: (deviceId: string) => DeviceWitnessAlarm | null;
  flushIntervalMs?: number;
}): DeviceService {
  /** Connections per device: a device is online while at least one is open. */
  const connections = new Map<string, number>();
  /** Last-seen times not yet written: a connect storm of a thousand kiosks must not mean a thousand state writes. */
  const unsaved = new Map<string, number>();
  const statuses = new Map<string, DeviceStatus>();
  const skewed = new Set<string>();
  /** Devices whose offline alert is raised, so the admin hears when it rises or clears, not only at the next reload. */
  const alerted = new Set<string>();
  /** Gap size last written to the ledger per device, so a standing gap is recorded once. */
  const lastGapReported = new Map<string, number>();
  /** Pairing code → pairing; codes are unique among open pairings. */
  const pairings = new Map<string, Pairing>();
  /** Devices the ledger has online in this run (a `device.online` with no `device.offline` after it). */
  const recordedOnline = new Set<string>();
  /** Devices whose last connection closed, and when, while the grace runs: nothing is written for them yet. */
  const away = new Map<string, number>();
  /** Devices whose outage is in the ledger (`device.offline` written), with its start, until they are back. */
  const recordedOffline = new Map<string, number>();
  let timer: NodeJS.Timeout | null = null;

  const graceMs = (): number => (deps.store.read().settings.outageGraceSeconds ?? DEFAULT_OUTAGE_GRACE_SECONDS) * 1000;
  /** Records the outage of a device away for longer than the grace: one record, naming when it went. */
  const recordOutage = (id: string, since: number): void => {
    away.delete(id);
    recordedOnline.delete(id);
    recordedOffline.set(id, since);
    note({ type: 'device.offline', deviceId: id, reason: 'disconnected', at: since });
  };
  /** Outages whose grace has passed while the device stayed away. */
  const closeDueOutages = (): void => {
    const now = deps.clock.now();
    for (const [id, since] of away) if (now - since >= graceMs()) recordOutage(id, since);
  };
  const alertAfterMs = (): number => (deps.store.read().settings.offlineAlertMinutes ?? DEFAULT_OFFLINE_ALERT_MINUTES) * 60_000;
  const view = (d: DeviceRecord): Device => {
    const online = (connections.get(d.id) ?? 0) > 0;
    const lastSeenAt = unsaved.get(d.id) ?? d.lastSeenAt;
    const revokedAt = d.revokedAt ?? null;
    return {
      id: d.id,
      kind: d.kind,
      name: d.name,
      villageId: d.villageId,
      location: d.location ?? '',
      demo: d.demo,
      online,
      lastSeenAt,
      revokedAt,
      onHours: d.onHours ?? null,
      status: statuses.get(d.id) ?? null,
      missingReceipts: deps.missingReceipts?.(d.id) ?? 0,
      offlineAlert: !online && revokedAt === null && deps.clock.now() - (lastSeenAt ?? d.createdAt) > alertAfterMs(),
      witnessAlarm: deps.witnessAlarm?.(d.id) ?? null,
    };
  };
  const find = (id: string): DeviceRecord | undefined => deps.store.read().devices.find((x) => x.id === id);
  const announce = (id: string): void => {
    const d = find(id);
    if (d) deps.bus.emit('device:status-changed', view(d));
  };
  const touch = (id: string): void => {
    if (!find(id)) return;
    unsaved.set(id, deps.clock.now());
    announce(id);
  };
  const flush = async (): Promise<void> => {
    if (unsaved.size === 0) return;
    const batch = new Map(unsaved);
    await deps.store.update((s) => {
      for (const d of s.devices) d.lastSeenAt = batch.get(d.id) ?? d.lastSeenAt;
    });
    for (const [id, at] of batch) if (unsaved.get(id) === at) unsaved.delete(id);
  };
  /** Ledger records about devices are history, not state: a failure to write one is logged, never fatal to the caller. */
  const note = (entry: LedgerEntry): void => {
    deps.ledger.append([entry]).catch((error: unknown) => deps.logger.warn(`could not record ${entry.type}`, { error }));
  };
  const unknownVillage = (villageId: string) =>
    fail('invalid_payload', `villageId: unknown village ${villageId}`, { villageId: 'unknown village; choose one of the town’s villages' });
  const dropExpiredPairings = (): void => {
    const now = deps.clock.now();
    for (const [code, p] of pairings) if (p.expiresAt <= now) pairings.delete(code);
  };

  const register = async (
    input: { name: string; villageId: string; location: string; kind: 'kiosk' | 'node' },
    actor: Actor,
    how: string,
  ) => {
    const token = randomToken(24);
    const record: DeviceRecord = {
      id: randomUUID(),
      kind: input.kind,
      name: input.name,
      villageId: input.villageId,
      location: input.location,
      demo: false,
      tokenHash: sha256Hex(token),
      createdAt: deps.clock.now(),
      lastSeenAt: null,
      revokedAt: null,
      onHours: null,
    };
    await recordThenSave(
      deps,
      { type: 'device.paired', deviceId: record.id, how, name: record.name, villageId: record.villageId, actorId: actor.id },
      (s) => void s.devices.push(record),
    );
    deps.logger.info(`device ${record.id} (${record.name}) paired in village ${record.villageId}`);
    deps.bus.emit('device:status-changed', view(record));
    deps.bus.emit('playlists:stale');
    return { record, token };
  };

  /** Raises and clears offline alerts as time passes (nothing else happens when a device just stays away). */
  const checkAlerts = (): void => {
    for (const record of deps.store.read().devices) {
      const device = view(record);
      if (device.offlineAlert === alerted.has(device.id)) continue;
      if (device.offlineAlert) {
        alerted.add(device.id);
        deps.logger.warn(
          `device ${device.id} (${device.name}) has been offline since ${new Date(device.lastSeenAt ?? record.createdAt).toISOString()}`,
        );
        note({ type: 'device.offline-alert', deviceId: device.id, lastSeenAt: device.lastSeenAt });
      } else {
        alerted.delete(device.id);
      }
      deps.bus.emit('device:status-changed', device);
    }
  };

  return {
    start() {
      timer = setInterval(() => {
        flush().catch((error: unknown) => deps.logger.warn('could not save device last-seen times; will retry', { error }));
        dropExpiredPairings();
        closeDueOutages();
        checkAlerts();
      }, deps.flushIntervalMs ?? 30_000);
      timer.unref();
    },

    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await flush();
    },

    list: () => deps.store.read().devices.map(view),
    announce,
    paired(id) {
      const state = deps.store.read();
      const record = state.devices.find((d) => d.id === id);
      if (!record || (record.revokedAt ?? null) !== null) return null;
      const village = state.villages.find((v) => v.id === record.villageId);
      return village ? { record, village, town: state.town } : null;
    },
    pairedRecords: (kind) => deps.store.read().devices.filter((d) => d.kind === kind && (d.revokedAt ?? null) === null),

    get(id) {
      const d = find(id);
      return d ? view(d) : undefined;
    },

    async create(input, actor) {
      if (!deps.store.read().villages.some((v) => v.id === input.villageId)) return unknownVillage(input.villageId);
      const { record, token } = await register(input, actor, 'link');
      return ok({ device: view(record), token });
    },

    offerPairing() {
      dropExpiredPairings();
      if (pairings.size >= MAX_OPEN_PAIRINGS)
        return fail('rate_limited', 'too many kiosks are waiting to be paired; try again in a few minutes');
      let code: string;
      do code = String(randomInt(0, 1_000_000)).padStart(6, '0');
      while (pairings.has(code));
      const claim = randomToken(24);
      const expiresAt = deps.clock.now() + PAIRING_TTL_MS;
      pairings.set(code, { code, claimHash: sha256Hex(claim), expiresAt, paired: null });
      return ok({ code, claim, expiresAt });
    },

    claimPairing(claim) {
      dropExpiredPairings();
      const hash = sha256Hex(claim);
      const pairing = [...pairings.values()].find((p) => p.claimHash === hash);
      if (!pairing) return fail('not_found', 'this pairing code has expired; the kiosk will show a new one');
      if (!pairing.paired) return ok({ status: 'pending', expiresAt: pairing.expiresAt });
      pairings.delete(pairing.code);
      return ok({ status: 'paired', ...pairing.paired });
    },

    async pair(input, actor) {
      dropExpiredPairings();
      const pairing = pairings.get(input.code);
      if (!pairing || pairing.paired) {
        return input.kind === 'node'
          ? fail('not_found', `code: no village node is showing ${input.code}`, {
              code: 'no village node is showing this code; check the digits, or restart the node for a new code',
            })
          : fail('not_found', `code: no kiosk is showing ${input.code}`, {
              code: 'no kiosk is showing this code; check the digits, or reload the kiosk for a new code',
            });
      }
      if (!deps.store.read().villages.some((v) => v.id === input.villageId)) return unknownVillage(input.villageId);
      // Taken before the write so the same code cannot pair two devices.
      pairing.paired = { deviceId: '', token: '' };
      try {
        const { record, token } = await register(input, actor, 'code');
        pairing.paired = { deviceId: record.id, token };
        return ok(view(record));
      } catch (error) {
        pairing.paired = null;
        throw error;
      }
    },

    async update(id, patch, actor) {
      const d = find(id);
      if (!d) return fail('not_found', `no device ${id}`);
      // A village node has no screen: its signs keep their own on/off hours in their profiles.
      if ((d.kind ?? 'kiosk') === 'node' && patch.onHours !== undefined && patch.onHours !== null)
        return fail('invalid_payload', 'onHours: a village node has no screen of its own (村级节点没有屏幕，不设展示时段)', {
          onHours: 'a village node has no on-hours; its signs follow their own profiles',
        });
      if (patch.villageId !== undefined && !deps.store.read().villages.some((v) => v.id === patch.villageId)) {
        return unknownVillage(patch.villageId);
      }
      await recordThenSave(deps, { type: 'device.updated', deviceId: id, changes: patch, actorId: actor.id }, (s) => {
        const target = s.devices.find((x) => x.id === id);
        if (!target) return;
        if (patch.name !== undefined) target.name = patch.name;
        if (patch.villageId !== undefined) target.villageId = patch.villageId;
        if (patch.location !== undefined) target.location = patch.location;
        if (patch.onHours !== undefined) target.onHours = patch.onHours;
      });
      announce(id);
      deps.bus.emit('playlists:stale');
      return ok(view(find(id) ?? d));
    },

    async revoke(id, reason, actor) {
      const d = find(id);
      if (!d) return fail('not_found', `no device ${id}`);
      if (d.demo) return fail('conflict', 'demo kiosks cannot be revoked; switch demo mode off instead');
      if ((d.revokedAt ?? null) !== null) return ok(view(d));
      const at = deps.clock.now();
      // State first, unlike other staff changes: a stolen kiosk must lose its access even if the ledger cannot be
      // written (the request then fails and says so) or the process dies between the two writes.
      await deps.store.update((s) => {
        const target = s.devices.find((x) => x.id === id);
        if (!target) return;
        target.tokenHash = null;
        target.revokedAt = at;
      });
      await deps.ledger.append([{ type: 'device.revoked', deviceId: id, reason, actorId: actor.id }]);
      deps.logger.info(`device ${id} revoked: ${reason}`);
      deps.bus.emit('device:revoked', id, reason);
      announce(id);
      return ok(view(find(id) ?? d));
    },

    authenticate(deviceId, token, context) {
      const device = find(deviceId);
      // Hash whatever was sent, known device or not, and compare in constant time: the answer's timing tells nothing.
      const sent = Buffer.from(sha256Hex(token ?? ''), 'hex');
      const stored = Buffer.from(device?.tokenHash ?? '', 'hex');
      const matches = stored.length === sent.length && timingSafeEqual(stored, sent);
      if (!device || (device.revokedAt ?? null) !== null) return null;
      if (token !== undefined && device.tokenHash !== null && matches) return device;
      if (token === undefined && device.demo && context.demoMode && context.loopback) return device;
      return null;
    },

    heartbeat(id, beat) {
      const serverTime = deps.clock.now();
      const clockOffsetMs = beat.clock - serverTime;
      statuses.set(id, {
        build: beat.build,
        showing: beat.showing ? { ...beat.showing, title: deps.noticeTitle?.(beat.showing.noticeId) ?? null } : null,
        clockOffsetMs,
        queued: beat.queued,
        quarantined: beat.quarantined,
        ...(beat.sound ? { sound: beat.sound } : {}),
        heartbeatAt: serverTime,
      });
      const off = Math.abs(clockOffsetMs) > CLOCK_SKEW_LIMIT_MS;
      if (off !== skewed.has(id)) {
        if (off) skewed.add(id);
        else skewed.delete(id);
        note({ type: off ? 'device.clock-skew' : 'device.clock-ok', deviceId: id, clockOffsetMs });
      }
      if (beat.queued === 0) {
        const missing = deps.missingReceipts?.(id) ?? 0;
        if (missing > 0 && lastGapReported.get(id) !== missing) {
          lastGapReported.set(id, missing);
          note({ type: 'device.receipt-gap', deviceId: id, missing });
        }
      }
      unsaved.set(id, serverTime);
      announce(id);
      return { serverTime };
    },

    clockOffset: (id) => statuses.get(id)?.clockOffsetMs ?? null,

    markOnline(id) {
      const before = connections.get(id) ?? 0;
      connections.set(id, before + 1);
      if (before === 0) {
        const since = away.get(id);
        away.delete(id);
        // Away past the grace, and the sweep has not recorded it yet: the outage first, then its end.
        if (since !== undefined && deps.clock.now() - since >= graceMs()) recordOutage(id, since);
        if (!recordedOnline.has(id)) {
          const offlineSince = recordedOffline.get(id);
          recordedOffline.delete(id);
          recordedOnline.add(id);
          note({ type: 'device.online', deviceId: id, ...(offlineSince !== undefined ? { offlineSince } : {}) });
        }
      }
      touch(id);
    },

    markOffline(id) {
      const left = (connections.get(id) ?? 1) - 1;
      if (left > 0) connections.set(id, left);
      else {
        connections.delete(id);
        // Nothing yet: a device back within the grace was never away as far as the record goes.
        if (recordedOnline.has(id)) away.set(id, deps.clock.now());
      }
      touch(id);
    },
  };
}
