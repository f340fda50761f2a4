/**
 * A village node (村级节点): the composition of parts the controller already
 * has, run next to a village's signs.
 *
 * - the signs service (services/signs.ts) with the same drivers, links and
 *   supervisor, limited to the signs attached to this node;
 * - its playlists and profiles from the stored schedule (schedule.ts), so it
 *   keeps rotating, dimming and switching the signs on and off by it while
 *   the uplink is down for days, and after its own restarts;
 * - its evidence into a durable outbox (outbox.ts) instead of the ledger,
 *   uploaded exactly once when the uplink returns (uplink.ts), its signs'
 *   rotating cards coalesced into one display record per sign, content and
 *   period (displays.ts, with the protocol's coalescer, as kiosks do);
 * - a clock corrected to the controller's: every time it keeps (display
 *   intervals, outages, the schedule's windows) is controller time, once it
 *   has read the controller's clock; until then its records say
 *   `clockTrusted: false`;
 * - staff's commands for its signs (test pattern, brightness, on/off, clear,
 *   re-send), relayed by the controller, checked and run by the same service;
 * - a witness of the town's ledger (witness.ts), like a kiosk.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { SerialPort } from 'serialport';
import type { Clock } from '../clock.js';
import { createEventBus } from '../events.js';
import type { Logger } from '../logger.js';
import { type NodeSchedule, type NodeSignStatus, type SignView, fail, invalidPayload, nodeSignCommand, ok } from '../protocol/index.js';
import { createSignsService } from '../services/signs.js';
import type { SignsService, SignsServiceDeps } from '../services/signsApi.js';
import type { LedgerEntry } from '../store/ledger.js';
import { writeFileDurably } from '../store/durableFile.js';
import path from 'node:path';
import { ALIVE_INTERVAL_MS, type AliveNote, type OpenDisplay, readAliveNote, writeAliveNote } from './alive.js';
import { createDisplayCoalescer, displayCard } from '../services/signDisplays.js';
import { type IntervalRecord, intervalRecord } from './displays.js';
import { type OutboxEntry, createNodeOutbox } from './outbox.js';
import { type NodeCredentials, forgetCredentials, pairNode, readCredentials } from './pairing.js';
import { createScheduleStore } from './schedule.js';
import { createUplink } from './uplink.js';
import { type NodeWitness, createNodeWitness } from './witness.js';

export const NODE_STATE_FILE = 'node-state.json';
/** A new clock reading moves the correction only when it differs by more than this (a round trip's noise). */
const CLOCK_NOISE_MS = 1_000;
/** The machine's clock reading earlier than the last one noted by more than this, at start: it went backwards. */
const CLOCK_BACKWARDS_MS = 5_000;
/** …or later by more than this: an implausible jump (a node is not switched off for over a year and started again). */
const CLOCK_JUMP_MS = 366 * 24 * 3_600_000;

export interface NodeConfig {
  /** The controller's base URL, e.g. http://town.example:8080. */
  controller: string;
  dataDir: string;
  build: string;
}

/** Timings a test or the demo shortens. */
export interface NodeTuning {
  heartbeatMs?: number;
  reconnectMaxMs?: number;
  pairingPollMs?: number;
  /** How often the node notes itself alive and its open intervals (alive.ts). */
  aliveMs?: number;
  signs?: Partial<Pick<SignsServiceDeps, 'binding' | 'tickMs' | 'tuning' | 'healthIntervalMs' | 'contentCheckMs' | 'eqRefreshMs' | 'font'>>;
}

export interface RunningNode {
  /** Resolves once the node is paired (at once when it already was). */
  paired: Promise<NodeCredentials>;
  signs(): SignsService | null;
  uplinkConnected(): boolean;
  /** Records waiting for the controller. */
  queued(): number;
  /** Whether its times are controller time: corrected once, and the machine's clock not gone astray since. */
  clockTrusted(): boolean;
  /** The node as a witness of the town's ledger (its alarm, if one stands). */
  witness: NodeWitness;
  stop(): Promise<void>;
}

interface NodeState {
  /** Node clock − controller clock at the last reading; null before the first. */
  clockOffsetMs: number | null;
  /** Since when (controller time) the uplink has been down, across restarts; null while up. */
  uplinkDownSince: number | null;
  /**
   * The machine's clock went backwards (or jumped implausibly) while the node was down: the saved correction no
   * longer applies, and records say `clockTrusted: false` until the controller's clock is read again.
   */
  clockSuspect: boolean;
}

/** The record a signs-service ledger entry becomes in the outbox: only the fields the node contract carries. */
function outboxEntry(e: LedgerEntry): OutboxEntry | null {
  switch (e.type) {
    case 'sign.display':
      return displayCard(e);
    case 'sign.link-down':
      return { type: 'sign.link-down', signId: e.signId, at: e.at, cause: e.cause.slice(0, 32) };
    case 'sign.link-outage':
      return { type: 'sign.link-outage', signId: e.signId, start: e.start, end: e.end, cause: e.cause.slice(0, 32) };
    default:
      return null;
  }
}

const statusOf = (v: SignView): NodeSignStatus => ({
  id: v.id,
  link: v.link,
  reachable: v.reachable,
  lastAckAt: v.lastAckAt,
  showing: v.showing ? { ...v.showing, text: v.showing.text.slice(0, 2000), key: v.showing.key.slice(0, 128) } : null,
  power: v.power,
  brightness: v.brightness,
  lastError: v.lastError ? { code: v.lastError.code.slice(0, 64), message: v.lastError.message.slice(0, 500), at: v.lastError.at } : null,
});

export async function createNode(
  config: NodeConfig,
  options: {
    logger: Logger;
    clock?: Clock;
    tuning?: NodeTuning;
    print?: (line: string) => void;
    /** Known credentials instead of the token file and pairing (the controller's in-process demo node). */
    credentials?: NodeCredentials;
  },
): Promise<RunningNode> {
  const { logger } = options;
  const raw = options.clock ?? { now: () => Date.now() };
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
  const stateFile = path.join(config.dataDir, NODE_STATE_FILE);
  const saved: Partial<NodeState> = await readFile(stateFile, 'utf8').then(
    (t) => JSON.parse(t) as Partial<NodeState>,
    () => ({}),
  );
  const state: NodeState = {
    clockOffsetMs: saved.clockOffsetMs ?? null,
    uplinkDownSince: saved.uplinkDownSince ?? null,
    clockSuspect: saved.clockSuspect ?? false,
  };
  const saveState = () => writeFileDurably(stateFile, JSON.stringify(state));
  const alive = await readAliveNote(config.dataDir);
  if (alive && state.clockOffsetMs !== null && !state.clockSuspect) {
    const moved = raw.now() - alive.rawAt;
    if (moved < -CLOCK_BACKWARDS_MS || moved > CLOCK_JUMP_MS) {
      state.clockSuspect = true;
      logger.warn(
        `this machine's clock ${moved < 0 ? `went back ${Math.round(-moved / 1000)} s` : `jumped ${Math.round(moved / 86_400_000)} days ahead`} while the node was down; its times are not trusted until the controller's clock is read (本机时钟异常，待与镇级控制器校时)`,
      );
      await saveState();
    }
  }
  const clockTrusted = (): boolean => state.clockOffsetMs !== null && !state.clockSuspect;
  /** Controller time, as well as the node knows it. */
  const clock: Clock = { now: () => raw.now() - (state.clockOffsetMs ?? 0) };

  const outbox = createNodeOutbox({
    dataDir: config.dataDir,
    clockTrusted,
    logger: logger.child('outbox'),
  });
  const schedule = createScheduleStore({ dataDir: config.dataDir });
  const witness = await createNodeWitness({ dataDir: config.dataDir, now: () => clock.now(), logger: logger.child('witness') });
  await outbox.start();
  await schedule.start();
  /** The notice each content hash belongs to, from every schedule this run has seen (the coalescer compares them). */
  const noticeIds = new Map<string, string>();
  const learnNotices = (from: NodeSchedule | null): void => {
    for (const playlist of Object.values(from?.playlists ?? {}))
      for (const item of playlist.items) noticeIds.set(item.contentHash, item.noticeId);
  };
  learnNotices(schedule.current());
  for (const interval of alive?.intervals ?? []) noticeIds.set(interval.contentHash, interval.noticeId);
  // What the last run left open or on its way: the intervals and pending records its last note names that the outbox
  // does not hold yet (a record appended after the note is numbered after it: only the outbox's end is read).
  const noted = [...(alive?.intervals ?? []), ...(alive?.closing ?? []), ...(alive?.open ?? [])];
  const held = await outbox.holding(new Set(noted.flatMap((o) => (o.recordId === undefined ? [] : [o.recordId]))), alive?.outboxSeq ?? 0);
  const displays = createDisplayCoalescer({
    open: (alive?.intervals ?? []).filter((o) => !held.has(o.recordId)),
    noticeOf: (contentHash) => noticeIds.get(contentHash),
  });
  if (alive) {
    const recovered: IntervalRecord[] = alive.closing.filter((r) => !held.has(r.recordId));
    // A card on a sign at the kill ends at the last moment the node knew itself alive, as the last of its interval.
    const cards = alive.open.filter((o) => o.recordId === undefined || !held.has(o.recordId));
    for (const card of cards) {
      const ended = { ...card, end: Math.max(card.start, alive.at), endReason: 'unclean-stop' as const };
      recovered.push(...displays.fold(ended, alive.clockTrusted).map(intervalRecord));
    }
    // The rotation stopped with the node: every interval it left open closes where its last card ended.
    recovered.push(...displays.closeAll().map(intervalRecord));
    if (recovered.length > 0) {
      await outbox.append(recovered);
      if (cards.length > 0)
        logger.warn(`closed ${cards.length} display interval(s) left open by an unclean stop at their last noted moment`);
    }
  }
  const bus = createEventBus();
  const pairing = new AbortController();
  let signs: SignsService | null = null;
  let uplink: ReturnType<typeof createUplink> | null = null;
  let stopped = false;
  let offChange: (() => void) | null = null;

  /**
   * Records on their way to the outbox, in order: closed display intervals and the signs' other records. A closed
   * interval is named in an alive note before it is appended (alive.ts), so a kill in between neither loses it nor
   * lets the next start count its cards again.
   */
  let pending: (OutboxEntry & { recordId?: string; clockTrusted?: boolean })[] = [];
  /** Entries already folded: the record sink puts a batch again after a failed write, and it must count once. */
  const taken = new WeakSet<LedgerEntry>();
  /** Alive notes and outbox appends, one after another: the newest note on disk is never older than an append. */
  let chain: Promise<void> = Promise.resolve();
  const serially = (work: () => Promise<void>): Promise<void> => {
    const done = chain.then(work);
    chain = done.catch(() => undefined);
    return done;
  };

  /** Writes the note, taken when its turn comes so that it is the newest state. */
  const writeNote = async (): Promise<void> => {
    const at = clock.now();
    const open: OpenDisplay[] = [];
    for (const entry of signs?.openIntervals(at) ?? []) {
      const e = outboxEntry(entry);
      if (e?.type === 'sign.display') open.push(e);
    }
    const closing = pending.filter((r): r is IntervalRecord => r.type === 'sign.display' && r.recordId !== undefined);
    const note: AliveNote = {
      at,
      rawAt: raw.now(),
      clockTrusted: clockTrusted(),
      open,
      intervals: displays.open(),
      closing,
      outboxSeq: outbox.lastSeq(),
    };
    await writeAliveNote(config.dataDir, note);
  };

  /** Notes what is pending, then appends it to the outbox; resolves once it is durable there. */
  const persist = (): Promise<void> =>
    serially(async () => {
      const batch = pending;
      if (batch.length === 0) return;
      if (batch.some((r) => r.type === 'sign.display')) await writeNote();
      await outbox.append(batch);
      pending = pending.slice(batch.length);
    });

  const ledger = {
    append: async (entries: readonly LedgerEntry[]) => {
      for (const entry of entries) {
        if (taken.has(entry)) continue;
        taken.add(entry);
        const e = outboxEntry(entry);
        if (e === null) continue;
        if (e.type === 'sign.display') pending.push(...displays.fold(e, clockTrusted()).map(intervalRecord));
        else pending.push(e);
      }
      await persist();
      return [];
    },
  };

  /** Notes the node alive now and closes the intervals whose period is over (never two notes queued at once). */
  let noting: Promise<void> | null = null;
  const noteAlive = (): Promise<void> => {
    if (noting) return noting;
    pending.push(...displays.closeDue(clock.now()).map(intervalRecord));
    noting = (pending.length > 0 ? persist() : serially(writeNote))
      .catch((error: unknown) => logger.error('could not note the open display intervals', { error }))
      .finally(() => {
        noting = null;
      });
    return noting;
  };
  /** Closes every open interval into the outbox (the node stops driving its signs). */
  const closeAllIntervals = async (): Promise<void> => {
    pending.push(...displays.closeAll().map(intervalRecord));
    await persist();
  };
  await noteAlive();
  const aliveTimer = setInterval(() => void noteAlive(), options.tuning?.aliveMs ?? ALIVE_INTERVAL_MS);
  aliveTimer.unref();

  const uplinkDown = (): void => {
    if (state.uplinkDownSince !== null || stopped) return;
    state.uplinkDownSince = clock.now();
    void Promise.all([saveState(), outbox.append([{ type: 'node.uplink-down', at: state.uplinkDownSince }])]).catch((error: unknown) =>
      logger.error('could not record the uplink outage', { error }),
    );
  };
  const uplinkUp = (): void => {
    const since = state.uplinkDownSince;
    if (since === null) return;
    state.uplinkDownSince = null;
    void Promise.all([saveState(), outbox.append([{ type: 'node.uplink-outage', start: since, end: Math.max(since, clock.now()) }])]).catch(
      (error: unknown) => logger.error('could not record the end of the uplink outage', { error }),
    );
  };

  const run = async (credentials: NodeCredentials): Promise<void> => {
    signs = createSignsService({
      profiles: schedule,
      playlists: schedule,
      ledger,
      bus,
      clock,
      nodeId: credentials.deviceId,
      logger: logger.child('led'),
      binding: SerialPort.binding,
      ...options.tuning?.signs,
    });
    // From the stored schedule at once: the town may be out of reach.
    await signs.start();
    const current = signs;
    uplink = createUplink({
      credentials,
      build: config.build,
      outbox,
      logger: logger.child('uplink'),
      rawNow: () => raw.now(),
      beat: () => ({ showing: null, queued: outbox.size(), quarantined: 0, signs: current.list().map(statusOf) }),
      onSchedule: (next: NodeSchedule) => {
        // Driven by at once, kept on disk behind: an approval reaches the sign without waiting for the node's fsync.
        const { changed, saved } = schedule.keep(next);
        saved.catch((error: unknown) =>
          logger.error('could not keep the new schedule on disk; the signs follow it until the node restarts', { error }),
        );
        if (!changed) return;
        learnNotices(next);
        logger.info(`schedule ${next.version}: ${next.signs.length} sign(s)`);
        // The new playlists on the next turn; then the profiles (a sign attached, moved or removed), which steps again.
        bus.emit('playlists:stale');
        current.reload().catch((error: unknown) => logger.error('could not apply the new sign profiles', { error }));
      },
      onClock: (offsetMs) => {
        if (state.clockSuspect) {
          state.clockSuspect = false;
          logger.info("this machine's clock is corrected to the controller's again; its times are trusted");
          state.clockOffsetMs = Math.round(offsetMs);
          void saveState().catch((error: unknown) => logger.error('could not save the clock correction', { error }));
          return;
        }
        if (state.clockOffsetMs !== null && Math.abs(offsetMs - state.clockOffsetMs) <= CLOCK_NOISE_MS) return;
        if (Math.abs(offsetMs) > 2 * 60_000)
          logger.warn(`this machine's clock is ${Math.round(offsetMs / 1000)} s off the controller's; correcting`);
        // Whole milliseconds: every time the node keeps is an integer, as the contract wants.
        state.clockOffsetMs = Math.round(offsetMs);
        void saveState().catch((error: unknown) => logger.error('could not save the clock correction', { error }));
      },
      onUp: uplinkUp,
      onDown: uplinkDown,
      onRevoked: (reason) => void revoked(reason),
      onConnected: (socket) => void witness.check(socket),
      onCommand: async (request) => {
        const parsed = nodeSignCommand.safeParse(request);
        if (!parsed.success) return invalidPayload(parsed.error);
        if (signs !== current) return fail('unavailable', 'this village node no longer drives signs for the town (本节点已停止驱动)');
        const { signId, command } = parsed.data;
        logger.info(`staff command for sign ${signId}: ${command.type}`);
        const done = await current.command(signId, command);
        return done.ok ? ok(statusOf(done.data)) : done;
      },
      ...(options.tuning?.heartbeatMs !== undefined && { heartbeatMs: options.tuning.heartbeatMs }),
      ...(options.tuning?.reconnectMaxMs !== undefined && { reconnectMaxMs: options.tuning.reconnectMaxMs }),
    });
    offChange = current.onChange(() => uplink?.beatSoon());
    uplink.start();
  };

  /** Staff revoked the node: stop driving the signs at once, forget the token and schedule, and show a new code. */
  const revoked = async (reason: string): Promise<void> => {
    if (stopped || !signs) return;
    logger.warn(`this node was revoked (${reason}); it stops driving the signs`);
    uplink?.stop();
    uplink = null;
    offChange?.();
    const was = signs;
    signs = null;
    await was.stop();
    await noting;
    await closeAllIntervals().catch((error: unknown) => logger.error('could not record the open display intervals', { error }));
    await noteAlive();
    await forgetCredentials(config.dataDir);
    await schedule.clear();
    paired = begin();
  };

  const begin = async (): Promise<NodeCredentials> => {
    const known = options.credentials ?? (await readCredentials(config.dataDir));
    const credentials =
      known && known.controller === config.controller
        ? known
        : await pairNode({
            controller: config.controller,
            dataDir: config.dataDir,
            signal: pairing.signal,
            ...(options.tuning?.pairingPollMs !== undefined && { pollMs: options.tuning.pairingPollMs }),
            show: (code) => print(`pairing-code ${code}  配对码：在管理后台「设备」输入 ${code}，类型选「村级节点」`),
            log: (message) => logger.warn(message),
          });
    if (!stopped) await run(credentials);
    return credentials;
  };
  let paired = begin();
  paired.catch(() => undefined);

  return {
    get paired() {
      return paired;
    },
    signs: () => signs,
    uplinkConnected: () => uplink?.connected() ?? false,
    queued: () => outbox.size(),
    clockTrusted,
    witness,
    async stop() {
      if (stopped) return;
      stopped = true;
      pairing.abort();
      uplink?.stop();
      offChange?.();
      clearInterval(aliveTimer);
      await signs?.stop();
      signs = null;
      // Every open interval closed into the outbox (the cards on the signs end 'stopped'): nothing is left for the next
      // start to close.
      await noting;
      await closeAllIntervals().catch((error: unknown) => logger.error('could not record the open display intervals', { error }));
      await noteAlive();
      await schedule.settled();
      await outbox.stop();
    },
  };
}
