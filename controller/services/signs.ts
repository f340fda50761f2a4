/**
 * The LED signs: one driver per sign profile, one supervised link per port
 * (several signs share an RS-485 line by address), each sign's playlist
 * compiled like a kiosk's and rotated with the notices' LED text, emergencies
 * at once, night brightness, on/off hours and a daily clock sync. Display
 * intervals and link outages go to the ledger. In demo mode every sign is an
 * in-process emulator, which also feeds the admin's live dot-matrix view.
 */
import { compilePlaylist } from '../domain/playlist.js';
import { liveVersion } from '../domain/notices.js';
import { IDLE_ROTATION, type RotationState, nextRotation, signItems, signSchedule, toSignContent } from '../domain/signContent.js';
import {
  type DisplayInterval,
  type ProofState,
  type SignContent,
  type SignDriver,
  type SignEvent,
  applySignEvent,
} from '../domain/signs.js';
import type { Clock } from '../clock.js';
import type { EventBus } from '../events.js';
import type { Logger } from '../logger.js';
import { createBxDriver } from '../led/bxDriver.js';
import { signText } from '../led/driverCore.js';
import { type GlyphSource, loadUnifont } from '../led/emulator/font.js';
import { createEmulatorBinding } from '../led/emulator/memoryBinding.js';
import { type Framebuffer, renderFrame } from '../led/emulator/render.js';
import { SignEmulator } from '../led/emulator/signEmulator.js';
import { createEqDriver } from '../led/eqDriver.js';
import { SignError } from '../led/errors.js';
import { type LinkTuning, type SerialBinding, type SerialLink, createSerialLink } from '../led/link.js';
import { type Ack, type PlaylistItem, fail, ok } from '../protocol/index.js';
import { type SignFrameView, type SignProfile, type SignView, isBxProtocol } from '../protocol/signProfile.js';
import type { Ledger, LedgerEntry } from '../store/ledger.js';
import type { SignProfileStore } from '../store/signProfiles.js';
import type { StateStore } from '../store/state.js';

export const SIGN_TICK_MS = 1000;
export const CLOCK_SYNC_INTERVAL_MS = 86_400_000;
/** A manual command (test pattern, clear) holds the sign this long before rotation resumes. */
export const MANUAL_HOLD_MS = 30_000;
const TEST_PATTERN_KEY = 'system:test-pattern';

export type { SignFrameView, SignView };

export type SignCommand =
  | { type: 'test-pattern' }
  | { type: 'brightness'; level: number }
  | { type: 'power'; on: boolean }
  | { type: 'clear' }
  | { type: 'resend' };

export interface SignsService {
  start(): Promise<void>;
  stop(): Promise<void>;
  list(): SignView[];
  frame(id: string, at?: number): SignFrameView | null;
  command(id: string, command: SignCommand): Promise<Ack<SignView>>;
  /** Recompute what every sign should show now (after a notice was approved, withdrawn…). */
  refresh(): void;
  /** The emulator behind an emulated sign (demo and tests). */
  emulator(id: string): SignEmulator | null;
  /** Restarts with the saved profiles. */
  reload(): Promise<void>;
  /**
   * Removes a saved sign: stops every driver (closing open display intervals
   * into the ledger), deletes the profile, records `sign.removed` and starts
   * the remaining signs again. False when no saved profile has that id.
   */
  remove(id: string, actorId: string): Promise<boolean>;
}

export interface SignsServiceDeps {
  profiles: SignProfileStore;
  store: StateStore;
  ledger: Ledger;
  bus: EventBus;
  clock: Clock;
  logger: Logger;
  /** The OS serial binding (serialport's own in production). */
  binding: SerialBinding;
  /** Extra profiles not saved in signs.json (the demo's emulated signs). */
  extraProfiles?: () => readonly SignProfile[];
  tickMs?: number;
  tuning?: Partial<LinkTuning>;
  healthIntervalMs?: number;
  eqRefreshMs?: number;
  font?: GlyphSource | null;
}

interface Sign {
  profile: SignProfile;
  driver: SignDriver & { stop(): void };
  emulator: SignEmulator | null;
  rotation: RotationState;
  applied: { power: boolean | null; brightness: number | null };
  lastClockSync: number;
  holdUntil: number;
  busy: boolean;
  refused: { key: string; chars: string[] }[];
  outageSince: number | null;
  unsubscribe: () => void;
}

export function createSignsService(deps: SignsServiceDeps): SignsService {
  const { logger } = deps;
  const now = () => deps.clock.now();
  const font = deps.font === undefined ? loadUnifont() : deps.font;
  let signs = new Map<string, Sign>();
  let links: SerialLink[] = [];
  let proof: ProofState = {};
  let timer: NodeJS.Timeout | null = null;
  let running = false;

  function record(entries: LedgerEntry[]): void {
    if (entries.length === 0) return;
    deps.ledger.append(entries).catch((error: unknown) => logger.error('could not append sign records to the ledger', { error }));
  }

  function intervalEntry(sign: Sign, interval: DisplayInterval): LedgerEntry | null {
    if (interval.key.startsWith('system:')) return null;
    return {
      type: 'sign.display',
      signId: interval.signId,
      villageId: sign.profile.villageId,
      contentHash: interval.key,
      start: interval.start,
      end: interval.end,
      proof: interval.proof,
      endReason: interval.endReason,
    };
  }

  function onEvent(sign: Sign, event: SignEvent): void {
    const result = applySignEvent(proof, event);
    proof = result.state;
    const entries = result.closed.map((i) => intervalEntry(sign, i)).filter((e): e is LedgerEntry => e !== null);
    const down = (event.type === 'link' && event.state === 'down') || (event.type === 'reachable' && !event.reachable);
    const up = (event.type === 'link' && event.state === 'up') || (event.type === 'reachable' && event.reachable);
    if (down && sign.outageSince === null) sign.outageSince = event.at;
    if (up) {
      sign.applied = { power: null, brightness: null };
      sign.lastClockSync = event.at;
      if (sign.outageSince !== null) {
        entries.push({
          type: 'sign.link-outage',
          signId: sign.profile.id,
          villageId: sign.profile.villageId,
          portPath: sign.profile.port.path,
          start: sign.outageSince,
          end: event.at,
          cause: event.type === 'link' ? 'link' : 'sign-silent',
        });
        sign.outageSince = null;
      }
    }
    record(entries);
  }

  function ledTextLookup(): (item: PlaylistItem) => string {
    const texts = new Map<string, string>();
    for (const notice of deps.store.read().notices) {
      const live = liveVersion(notice);
      if (live) texts.set(live.id, live.content.ledText);
    }
    return (item) => texts.get(item.versionId) ?? '';
  }

  async function run(sign: Sign, what: string, action: () => Promise<unknown>): Promise<void> {
    try {
      await action();
    } catch (error) {
      logger.warn(`sign ${sign.profile.id}: ${what} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  async function step(sign: Sign, at: number, ledTextOf: (item: PlaylistItem) => string): Promise<void> {
    const status = sign.driver.status();
    if (status.link !== 'up') return;
    const schedule = signSchedule(sign.profile, at);
    if (sign.applied.power !== schedule.power) {
      await run(sign, 'on/off', () => sign.driver.setPower(schedule.power));
      sign.applied.power = schedule.power;
    }
    if (sign.applied.brightness !== schedule.brightness) {
      await run(sign, 'brightness', () => sign.driver.setBrightness(schedule.brightness));
      sign.applied.brightness = schedule.brightness;
    }
    if (at - sign.lastClockSync >= CLOCK_SYNC_INTERVAL_MS) {
      await run(sign, 'clock sync', () => sign.driver.syncClock(at));
      sign.lastClockSync = at;
    }
    const playlist = compilePlaylist(deps.store.read().notices, { villageId: sign.profile.villageId }, at);
    const { items, refused } = signItems(playlist, ledTextOf, sign.profile.charset, at);
    sign.refused = refused;
    const emergency = items.some((i) => i.emergency);
    if (at < sign.holdUntil && !emergency) return;
    const next = nextRotation(items, sign.rotation, at);
    sign.rotation = next.state;
    const desired = status.desired;
    if (next.item) {
      const content = toSignContent(next.item, sign.profile);
      if (desired?.key !== content.key || desired.text !== content.text) await run(sign, 'show', () => sign.driver.show(content));
    } else if (desired) {
      await run(sign, 'clear', () => sign.driver.clear());
    }
  }

  function tick(): void {
    if (!running) return;
    const at = now();
    const ledTextOf = ledTextLookup();
    for (const sign of signs.values()) {
      if (sign.busy) continue;
      sign.busy = true;
      void step(sign, at, ledTextOf).finally(() => {
        sign.busy = false;
      });
    }
  }

  function build(profiles: readonly SignProfile[]): void {
    const emulators = new Map<string, SignEmulator>();
    const linkByPath = new Map<string, SerialLink>();
    for (const profile of profiles) {
      if (signs.has(profile.id)) {
        logger.error(`sign id ${profile.id} is used twice; the second profile is ignored`);
        continue;
      }
      let emulator: SignEmulator | null = null;
      if (profile.emulated) {
        emulator = new SignEmulator({
          protocol: isBxProtocol(profile.protocol) ? 'bx' : 'eq',
          address: profile.address,
          width: profile.widthPx,
          height: profile.heightPx,
          a306: { layout: profile.a306Layout, xUnit: profile.xUnit, yUnit: profile.yUnit },
          font,
        });
        emulators.set(profile.port.path, emulator);
      }
      let link = linkByPath.get(profile.port.path);
      if (link && JSON.stringify(link.settings) !== JSON.stringify({ ...profile.port })) {
        logger.error(`sign ${profile.id}: port ${profile.port.path} is already open with other settings; fix the profile`);
        emulators.delete(profile.port.path);
        continue;
      }
      if (!link) {
        link = createSerialLink({
          settings: { ...profile.port },
          binding: profile.emulated ? createEmulatorBinding(emulators) : deps.binding,
          logger: logger.child(profile.port.path.replace(/^\/dev\//, '')),
          now,
          ...(deps.tuning && { tuning: deps.tuning }),
          ...(profile.emulated && { pathExists: (p: string) => emulators.has(p) }),
        });
        linkByPath.set(profile.port.path, link);
      }
      const driverDeps = { profile, link, logger: logger.child(profile.id), now };
      const driver = isBxProtocol(profile.protocol)
        ? createBxDriver({ ...driverDeps, healthIntervalMs: deps.healthIntervalMs ?? 60_000 })
        : createEqDriver({ ...driverDeps, refreshIntervalMs: deps.eqRefreshMs ?? 60_000 });
      const sign: Sign = {
        profile,
        driver,
        emulator,
        rotation: IDLE_ROTATION,
        applied: { power: null, brightness: null },
        lastClockSync: now(),
        holdUntil: 0,
        busy: false,
        refused: [],
        outageSince: null,
        unsubscribe: () => undefined,
      };
      sign.unsubscribe = driver.subscribe((event) => onEvent(sign, event));
      signs.set(profile.id, sign);
    }
    links = [...linkByPath.values()];
  }

  function view(sign: Sign): SignView {
    const p = sign.profile;
    const st = sign.driver.status();
    return {
      id: p.id,
      name: p.name,
      villageId: p.villageId,
      protocol: p.protocol,
      address: p.address,
      portPath: p.port.path,
      baudRate: p.port.baudRate,
      widthPx: p.widthPx,
      heightPx: p.heightPx,
      charset: p.charset,
      emulated: p.emulated,
      link: st.link,
      reachable: st.reachable,
      lastAckAt: st.lastAckAt,
      showing: st.showing,
      power: st.power,
      brightness: st.brightness,
      counters: st.counters,
      lastError: st.lastError,
      refused: sign.refused,
    };
  }

  async function start(): Promise<void> {
    if (running) return;
    running = true;
    signs = new Map();
    proof = {};
    build([...deps.profiles.list(), ...(deps.extraProfiles?.() ?? [])]);
    await Promise.all(links.map((l) => l.start()));
    const onStale = () => setImmediate(tick);
    deps.bus.on('playlists:stale', onStale);
    timer = setInterval(tick, deps.tickMs ?? SIGN_TICK_MS);
    timer.unref();
    stopBus = () => deps.bus.off('playlists:stale', onStale);
    logger.info(`${signs.size} LED sign(s) on ${links.length} port(s)`);
    tick();
  }

  let stopBus = () => undefined as void;

  async function stop(): Promise<void> {
    if (!running) return;
    running = false;
    stopBus();
    if (timer) clearInterval(timer);
    timer = null;
    const at = now();
    const entries: LedgerEntry[] = [];
    for (const sign of signs.values()) {
      const result = applySignEvent(proof, { type: 'cleared', signId: sign.profile.id, at, reason: 'stopped' });
      proof = result.state;
      for (const interval of result.closed) {
        const entry = intervalEntry(sign, interval);
        if (entry) entries.push(entry);
      }
      sign.unsubscribe();
      sign.driver.stop();
    }
    await Promise.all(links.map((l) => l.stop()));
    for (const sign of signs.values()) sign.emulator?.dispose();
    if (entries.length > 0)
      await deps.ledger.append(entries).catch((error: unknown) => logger.error('could not record the last sign intervals', { error }));
  }

  function frame(id: string, at = now()): SignFrameView | null {
    const sign = signs.get(id);
    if (!sign) return null;
    const { widthPx: width, heightPx: height } = sign.profile;
    const rowsOf = (fb: Framebuffer | null) =>
      fb ? Array.from({ length: fb.height }, (_, y) => Array.from(fb.pixels.subarray(y * fb.width, (y + 1) * fb.width)).join('')) : null;
    if (sign.emulator)
      return { width, height, rows: rowsOf(sign.emulator.frameAt(at)), text: sign.emulator.visible(at), source: 'emulator' };
    const status = sign.driver.status();
    const showing = status.showing;
    const desired = status.desired;
    if (!showing || !desired || !status.power)
      return {
        width,
        height,
        rows: font ? rowsOf(renderFrame({ width, height, areas: [], power: false }, font, at)) : null,
        text: [],
        source: 'last-acknowledged',
      };
    const area = {
      id: 0,
      x: 0,
      y: 0,
      width,
      height,
      text: signText(desired, sign.profile),
      layout: desired.layout,
      stayMs: desired.stayTimeSec * 1000,
      pxMs: (desired.speed + 1) * 8,
      updatedAt: showing.since,
    };
    return {
      width,
      height,
      rows: font ? rowsOf(renderFrame({ width, height, areas: [area], power: true }, font, at)) : null,
      text: [showing.text],
      source: 'last-acknowledged',
    };
  }

  async function command(id: string, cmd: SignCommand): Promise<Ack<SignView>> {
    const sign = signs.get(id);
    if (!sign) return fail('not_found', `no sign ${id} (没有这块屏)`);
    const testPattern: SignContent = {
      key: TEST_PATTERN_KEY,
      text: '■□■□测试TEST0123456789■□■□',
      layout: 'pages',
      stayTimeSec: 5,
      speed: 4,
      colour: 'red',
    };
    try {
      switch (cmd.type) {
        case 'test-pattern':
          sign.holdUntil = now() + MANUAL_HOLD_MS;
          await sign.driver.show(testPattern);
          break;
        case 'brightness':
          await sign.driver.setBrightness(cmd.level);
          sign.applied.brightness = cmd.level;
          break;
        case 'power':
          await sign.driver.setPower(cmd.on);
          sign.applied.power = cmd.on;
          break;
        case 'clear':
          sign.holdUntil = now() + MANUAL_HOLD_MS;
          await sign.driver.clear();
          break;
        case 'resend':
          sign.holdUntil = 0;
          await sign.driver.restore();
          break;
      }
    } catch (error) {
      if (error instanceof SignError) {
        return fail(error.code === 'invalid_argument' ? 'invalid_payload' : 'unavailable', error.message);
      }
      throw error;
    }
    return ok(view(sign));
  }

  return {
    start,
    stop,
    list: () => [...signs.values()].map(view),
    frame,
    command,
    refresh: () => setImmediate(tick),
    emulator: (id) => signs.get(id)?.emulator ?? null,
    async reload() {
      await stop();
      await start();
    },
    async remove(id, actorId) {
      const profile = deps.profiles.list().find((p) => p.id === id);
      if (!profile) return false;
      const wasRunning = running;
      await stop();
      try {
        await deps.profiles.remove(id);
        await deps.ledger.append([
          {
            type: 'sign.removed',
            signId: id,
            villageId: profile.villageId,
            protocol: profile.protocol,
            portPath: profile.port.path,
            address: profile.address,
            actorId,
          },
        ]);
      } finally {
        if (wasRunning) await start();
      }
      return true;
    },
  };
}
