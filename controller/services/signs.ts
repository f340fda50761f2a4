/**
 * The LED signs: one driver per sign profile, one supervised link per port
 * (several signs share an RS-485 line by address), each sign's playlist
 * compiled like a kiosk's and rotated with the notices' LED text, emergencies
 * at once, night brightness, on/off hours and a daily clock sync. Display
 * intervals and link outages go to the ledger. In demo mode every sign is an
 * in-process emulator, which also feeds the admin's live dot-matrix view.
 */
import { IDLE_ROTATION } from '../domain/signContent.js';
import { type ProofState, type SignEvent, applySignEvent } from '../domain/signs.js';
import { loadUnifont } from '../led/emulator/font.js';
import { SignError } from '../led/errors.js';
import { type PortEntry, driverFor, planChange } from '../led/fleet.js';
import { signFrameView } from '../led/frameView.js';
import { broadcastClockSync } from './signClock.js';
import { intervalEntries, intervalEntry, isUp, outageEntries, stoppedOutageEntries } from './signRecords.js';
import { checkSignText } from './signTextCheck.js';
import { type SignCommand, type SignState, applyCommand, signView, stepSign } from './signSteps.js';
import type { SignsService, SignsServiceDeps } from './signsApi.js';
import { type Ack, fail, ok } from '../protocol/index.js';
import { type SignFrameView, type SignProfile, SignProfileError, type SignView, parseSignProfile } from '../protocol/signProfile.js';
import type { LedgerEntry } from '../store/ledger.js';
import { createRecordSink } from '../store/recordSink.js';
import { voidEntry } from '../store/recordThenSave.js';
import { profileRefusal } from './signProfileChecks.js';
import { profileEntries, profileFacts } from './signProfileRecords.js';

export const SIGN_TICK_MS = 1000;
export type { SignFrameView, SignView };
export type { SignsService, SignsServiceDeps } from './signsApi.js';
export { CLOCK_SYNC_INTERVAL_MS, MANUAL_HOLD_MS, type SignCommand } from './signSteps.js';

export function createSignsService(deps: SignsServiceDeps): SignsService {
  const { logger } = deps;
  const now = () => deps.clock.now();
  const font = deps.font === undefined ? loadUnifont() : deps.font;
  let signs = new Map<string, SignState>();
  const ports = new Map<string, PortEntry>();
  let proof: ProofState = {};
  let timer: NodeJS.Timeout | null = null;
  let running = false;
  const changeListeners = new Set<(signId: string) => void>();
  const changed = (signId: string) => {
    for (const listener of changeListeners) listener(signId);
  };

  // Evidence goes through the record sink: a failed ledger write is retried, never dropped (the sink logs failures).
  const sink = deps.records ?? createRecordSink({ ledger: deps.ledger, logger: logger.child('records') });
  function record(entries: LedgerEntry[]): Promise<void> {
    return sink.put(entries).catch(() => undefined);
  }

  function onEvent(sign: SignState, event: SignEvent): void {
    changed(sign.profile.id);
    const result = applySignEvent(proof, event);
    proof = result.state;
    const entries = [...intervalEntries(sign, result.closed), ...outageEntries(sign, event, sign.driver.status().reachable)];
    if (isUp(event)) {
      // The driver restores a sign that is back (ping, clock sync, content); the schedule is applied again on the next tick.
      sign.applied = { power: null, brightness: null };
      sign.lastClockSync = event.at;
    }
    void record(entries);
  }

  function tick(): void {
    if (!running) return;
    const at = now();
    broadcastClockSync(ports.values(), signs.values(), at, logger);
    for (const sign of signs.values()) {
      if (sign.busy) continue;
      sign.busy = true;
      void stepSign(sign, at, { playlists: deps.playlists, logger }).finally(() => {
        sign.busy = false;
      });
    }
  }

  /** Every profile, saved and extra, the first of each id. */
  function wantedAll(): SignProfile[] {
    const out: SignProfile[] = [];
    for (const profile of [...deps.profiles.list(), ...(deps.extraProfiles?.() ?? [])])
      if (!out.some((p) => p.id === profile.id)) out.push(profile);
    return out;
  }

  function wanted(): SignProfile[] {
    const out: SignProfile[] = [];
    for (const profile of [...deps.profiles.list(), ...(deps.extraProfiles?.() ?? [])]) {
      // The signs attached to a village node are driven there (the node runs this same service with its id).
      if (profile.node !== (deps.nodeId ?? null)) continue;
      if (out.some((p) => p.id === profile.id)) logger.error(`sign id ${profile.id} is used twice; the second profile is ignored`);
      else out.push(profile);
    }
    return out;
  }

  /** Stops one sign: its open display interval ends now ('stopped') and goes to the ledger. */
  function retire(sign: SignState, at: number): LedgerEntry[] {
    const result = applySignEvent(proof, { type: 'cleared', signId: sign.profile.id, at, reason: 'stopped' });
    proof = result.state;
    sign.unsubscribe();
    sign.driver.stop();
    sign.emulator?.dispose();
    signs.delete(sign.profile.id);
    changed(sign.profile.id);
    return [...intervalEntries(sign, result.closed), ...stoppedOutageEntries(sign, at)];
  }

  function add(profile: SignProfile): PortEntry | null {
    const built = driverFor(profile, ports, {
      logger,
      now,
      binding: deps.binding,
      font,
      ...(deps.tuning && { tuning: deps.tuning }),
      ...(deps.pathExists && { pathExists: deps.pathExists }),
      ...(deps.healthIntervalMs !== undefined && { healthIntervalMs: deps.healthIntervalMs }),
      ...(deps.contentCheckMs !== undefined && { contentCheckMs: deps.contentCheckMs }),
      ...(deps.eqRefreshMs !== undefined && { eqRefreshMs: deps.eqRefreshMs }),
    });
    if (!built) return null;
    const sign: SignState = {
      profile,
      driver: built.driver,
      emulator: built.emulator,
      rotation: IDLE_ROTATION,
      applied: { power: null, brightness: null },
      lastClockSync: now(),
      clockBroadcastPending: false,
      holdUntil: 0,
      busy: false,
      refused: [],
      outageSince: null,
      outageCause: null,
      unsubscribe: () => undefined,
    };
    sign.unsubscribe = built.driver.subscribe((event) => onEvent(sign, event));
    signs.set(profile.id, sign);
    changed(profile.id);
    return built.opened ? built.port : null;
  }

  /** Brings the running signs in line with the profiles, touching only what changed (see {@link planChange}). */
  async function reconcile(): Promise<void> {
    const desired = wanted();
    const { reopen, restart } = planChange(
      ports,
      [...signs.values()].map((s) => s.profile),
      desired,
    );
    const at = now();
    const entries: LedgerEntry[] = [];
    for (const id of restart) {
      const sign = signs.get(id);
      if (sign) entries.push(...retire(sign, at));
    }
    for (const path of reopen) {
      const port = ports.get(path);
      ports.delete(path);
      await port?.link.stop();
    }
    const opened: PortEntry[] = [];
    for (const profile of desired) {
      if (signs.has(profile.id)) continue;
      const port = add(profile);
      if (port) opened.push(port);
    }
    if (restart.size > 0 || opened.length > 0)
      logger.info(
        `signs: ${restart.size} stopped or restarted, ${opened.length} port(s) opened; ${signs.size} sign(s) on ${ports.size} port(s)`,
      );
    await record(entries);
    await Promise.all(opened.map((p) => p.link.start()));
    if (running) tick();
  }

  async function start(): Promise<void> {
    if (running) return;
    running = true;
    signs = new Map();
    proof = {};
    await reconcile();
    const onStale = () => setImmediate(tick);
    deps.bus.on('playlists:stale', onStale);
    timer = setInterval(tick, deps.tickMs ?? SIGN_TICK_MS);
    timer.unref();
    stopBus = () => deps.bus.off('playlists:stale', onStale);
    logger.info(`${signs.size} LED sign(s) on ${ports.size} port(s)`);
  }

  let stopBus = () => undefined as void;

  async function stop(): Promise<void> {
    if (!running) return;
    running = false;
    stopBus();
    if (timer) clearInterval(timer);
    timer = null;
    const at = now();
    const entries = [...signs.values()].flatMap((sign) => retire(sign, at));
    const closing = [...ports.values()];
    ports.clear();
    await Promise.all(closing.map((p) => p.link.stop()));
    void record(entries);
    // The last intervals: one more try if the ledger is failing, then what could not be written is logged as lost.
    if (!deps.records) await sink.stop();
  }

  /**
   * A staff change to the profiles, recorded first (a change the ledger does not hold did not happen): when
   * the file write then fails, a void record cancels the first and the error goes to the caller.
   */
  async function recordThenWrite(entries: LedgerEntry[], write: () => Promise<unknown>): Promise<void> {
    const records = await deps.ledger.append(entries);
    try {
      await write();
    } catch (error) {
      await deps.ledger
        .append(records.map((r) => voidEntry(r.seq, 'the sign profile file could not be written; the change did not take effect')))
        .catch((voidError: unknown) => logger.error('could not void a sign profile record whose change failed', { error: voidError }));
      throw error;
    }
  }

  /** Every sign's view: this service's own, then those behind village nodes. */
  const listViews = (): SignView[] => [...[...signs.values()].map(signView), ...(deps.remote?.list() ?? [])];

  /** A staff change to one profile: checked, recorded, saved, applied; a refusal changes nothing. */
  async function saveProfile(input: unknown, actorId: string, creating: boolean): Promise<Ack<SignProfile>> {
    const takenIds = [...listViews(), ...deps.profiles.list()].map((s) => s.id);
    const refusal = profileRefusal(input, { creating, takenIds, ...(deps.isNode && { isNode: deps.isNode }) });
    if (refusal) return refusal;
    let profile: SignProfile;
    try {
      profile = parseSignProfile(input);
    } catch (error) {
      if (!(error instanceof SignProfileError)) throw error;
      return fail('invalid_payload', error.message, error.fields);
    }
    const before = deps.profiles.list().find((p) => p.id === profile.id) ?? null;
    await recordThenWrite(profileEntries(before, profile, actorId), () => deps.profiles.save(profile));
    if (running) await reconcile();
    // A sign attached to a village node (or moved off one): its node gets the new schedule at once.
    deps.bus.emit('playlists:stale');
    return ok(profile);
  }

  function frame(id: string, at = now()): SignFrameView | null {
    const sign = signs.get(id);
    return sign ? signFrameView(sign.profile, sign.driver.status(), sign.emulator, font, at) : (deps.remote?.frame(id) ?? null);
  }

  async function command(id: string, cmd: SignCommand): Promise<Ack<SignView>> {
    const sign = signs.get(id);
    // A sign behind a village node: its node runs the command with this same service.
    if (!sign) return (await deps.remote?.command(id, cmd)) ?? fail('not_found', `no sign ${id} (没有这块屏)`);
    try {
      await applyCommand(sign, cmd, now());
    } catch (error) {
      if (error instanceof SignError) {
        return fail(error.code === 'invalid_argument' ? 'invalid_payload' : 'unavailable', error.message);
      }
      throw error;
    } finally {
      changed(id);
    }
    return ok(signView(sign));
  }

  return {
    start,
    stop,
    list: listViews,
    openIntervals(at) {
      const entries: LedgerEntry[] = [];
      for (const [signId, open] of Object.entries(proof)) {
        const sign = signs.get(signId);
        if (!sign) continue;
        const entry = intervalEntry(sign, { signId, ...open, end: Math.max(open.start, at), endReason: 'stopped' });
        if (entry) entries.push(entry);
      }
      return entries;
    },
    frame,
    command,
    refresh: () => setImmediate(tick),
    view(id) {
      const sign = signs.get(id);
      return sign ? signView(sign) : (deps.remote?.view(id) ?? null);
    },
    onChange(listener) {
      changeListeners.add(listener);
      const offRemote = deps.remote?.onChange(listener);
      return () => {
        offRemote?.();
        changeListeners.delete(listener);
      };
    },
    checkText: (text, target) =>
      checkSignText(
        [
          ...[...signs.values()].map((s) => s.profile),
          // The signs behind village nodes show the same text with the same font.
          ...(deps.remote ? wantedAll().filter((p) => p.node !== null) : []),
        ],
        text,
        target,
      ),
    emulator: (id) => signs.get(id)?.emulator ?? null,
    async reload() {
      if (running) await reconcile();
      // The signs attached to village nodes: their nodes get the new schedule.
      deps.bus.emit('playlists:stale');
    },
    profiles: () => deps.profiles.list(),
    create: (input, actorId) => saveProfile(input, actorId, true),
    save: (input, actorId) => saveProfile(input, actorId, false),
    async remove(id, actorId) {
      const profile = deps.profiles.list().find((p) => p.id === id);
      if (!profile) return false;
      await recordThenWrite([{ type: 'sign.removed', ...profileFacts(profile), actorId }], () => deps.profiles.remove(id));
      if (running) await reconcile();
      deps.bus.emit('playlists:stale');
      return true;
    },
  };
}
