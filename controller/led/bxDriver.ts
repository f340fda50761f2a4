/**
 * The Onbon BX-5K/6K font-card driver: one sign on a {@link SerialLink}. It
 * keeps the desired content, and after every reconnect or detected reboot it
 * pings, syncs the clock and re-sends it (dynamic areas live in the card's RAM
 * and vanish on power loss).
 *
 * Detecting a reboot: a font card's answers carry no boot counter or area
 * state (led-protocols.md §1.1.2 lists none, and no status query), and the
 * link (RS-232/485) does not drop when the card restarts. So a reboot is
 * inferred when the sign misses an answer — a request that needed a retry
 * after a timeout, or one that ran out of retries — and it answers again; a
 * health ping runs while the link is up so this is noticed without traffic.
 * A reboot short enough to fall between two pings cannot be seen at all, so
 * the content is also re-asserted every `contentCheckMs` (an A3 06 to the same
 * area is idempotent), which bounds how long a rebooted sign stays blank.
 *
 * A sign that fell silent is probed with a ping 1 s later, then 2, 4, 8 … s
 * (capped at `probeMaxMs`), not only at the next health ping: its first answer
 * restores it at once, so its content is back within a second or two of it
 * answering again, instead of up to a minute later. The cap keeps a dead sign
 * from holding a shared RS-485 line with timeouts.
 */
import type { Delivery, SignContent, SignDriver } from '../domain/signs.js';
import type { Logger } from '../logger.js';
import type { SignProfile } from '../protocol/signProfile.js';
import { type BxRequest, clockOf, describeBxCommand, encodeBxRequest } from './bx/commands.js';
import { BX_BROADCAST_ADDRESS, BX_MAX_DATA_LENGTH, defaultHeader, encodeBxFrame } from './bx/frame.js';
import { BX_DISPLAY_MODES, type A306Options } from './bx/text.js';
import { DriverCore, checkCharset, checkLevel, signText } from './driverCore.js';
import { SignError, SignTimeoutError } from './errors.js';
import { type RequestTally, type SerialLink, emptyTally } from './link.js';

export interface BxDriverDeps {
  profile: SignProfile;
  link: SerialLink;
  logger: Logger;
  now?: () => number;
  /** Ping period while the link is up (0 = off). */
  healthIntervalMs?: number;
  /** Re-send the desired content this often while the link is up (0 = off): the bound on an unseen reboot. */
  contentCheckMs?: number;
  /** First probe of a silent sign after this long (1 s by default), doubling up to `probeMaxMs` (30 s). */
  probeInitialMs?: number;
  probeMaxMs?: number;
}

export const PROBE_INITIAL_MS = 1000;
export const PROBE_MAX_MS = 30_000;

const COLOUR_CODES = { red: '\\C1', green: '\\C2', yellow: '\\C3' } as const;

export function a306Options(profile: Pick<SignProfile, 'a306Layout' | 'xUnit' | 'yUnit'>): A306Options {
  return { layout: profile.a306Layout, xUnit: profile.xUnit, yUnit: profile.yUnit };
}

/** The A3 06 request that shows `content` full-screen in dynamic area 0. */
export function bxTextRequest(content: SignContent, profile: SignProfile, replyWanted: boolean): BxRequest {
  const scroll = content.layout === 'scroll';
  // Dual-colour cards take inline colour escapes (one public client: \C1 red, \C2 green, \C3 yellow); mono cards would print them.
  const prefix = profile.colour === 'dual' && content.colour !== 'red' ? COLOUR_CODES[content.colour] : '';
  return {
    replyWanted,
    command: {
      kind: 'text',
      processMode: 1,
      deleteAreas: [],
      areas: [
        {
          areaId: 0,
          x: 0,
          y: 0,
          width: profile.widthPx,
          height: profile.heightPx,
          lineSpacing: 0,
          runMode: 0,
          timeout: 0,
          singleLine: scroll ? 1 : 2,
          newLine: scroll ? 1 : 2,
          displayMode: scroll ? BX_DISPLAY_MODES.left : BX_DISPLAY_MODES.static,
          exitMode: 0,
          speed: Math.max(0, Math.min(0x18, Math.round(content.speed))),
          stayTime: Math.max(1, Math.min(255, Math.round(content.stayTimeSec * 2))),
          text: prefix + signText(content, profile),
        },
      ],
    },
  };
}

export function createBxDriver(deps: BxDriverDeps): SignDriver & { stop(): void } {
  const { profile, link, logger } = deps;
  const now = deps.now ?? Date.now;
  const core = new DriverCore(profile.id, now);
  const broadcast = profile.address === BX_BROADCAST_ADDRESS;
  const proof = broadcast ? 'sent' : 'acknowledged';
  const options = a306Options(profile);
  let restoring: Promise<void> | null = null;
  let health: NodeJS.Timeout | null = null;
  let contentCheck: NodeJS.Timeout | null = null;
  let probe: NodeJS.Timeout | null = null;
  const probeInitialMs = deps.probeInitialMs ?? PROBE_INITIAL_MS;
  const probeMaxMs = deps.probeMaxMs ?? PROBE_MAX_MS;
  let probeDelay = probeInitialMs;

  async function send(request: BxRequest): Promise<Delivery> {
    const data = encodeBxRequest({ ...request, replyWanted: !broadcast }, options);
    if (data.length > BX_MAX_DATA_LENGTH) {
      throw new SignError(
        'too_long',
        `the frame carries ${data.length} bytes; BX-5K/6K cards take at most ${BX_MAX_DATA_LENGTH} per packet: shorten the LED text`,
      );
    }
    const frame = encodeBxFrame({ header: defaultHeader(profile.address, profile.deviceType), data });
    // Counted per request: with requests overlapping (a ping queued behind a show), a before/after
    // difference of the link's totals would count the other request's frames too.
    const tally = emptyTally();
    const count = () => {
      const counters = core.st.counters;
      for (const key of Object.keys(tally) as (keyof RequestTally)[]) counters[key] += tally[key];
    };
    try {
      const result = await link.request({
        frame,
        describe: describeBxCommand(request.command),
        replyFrom: broadcast ? null : profile.address,
        tally,
      });
      count();
      if (result.answered) core.st.lastAckAt = result.at;
      const wasUnreachable = !core.st.reachable;
      const missed = tally.timeouts > 0;
      core.setReachable(true);
      if ((wasUnreachable || missed) && !restoring && !broadcast) {
        logger.info(
          `sign ${profile.id} answers again after ${wasUnreachable ? 'falling silent' : 'a missed answer'}: it may have rebooted, restoring its content`,
        );
        void restore().catch(() => undefined);
      }
      return { proof, at: result.at, attempts: result.attempts, bytes: frame.length };
    } catch (error) {
      count();
      if (error instanceof SignTimeoutError) {
        if (core.st.reachable) {
          logger.warn(`sign ${profile.id} stopped answering`);
          probeDelay = probeInitialMs;
        }
        core.setReachable(false);
        scheduleProbe();
      }
      core.failed(error);
      throw error;
    }
  }

  async function show(content: SignContent): Promise<Delivery> {
    checkCharset(content.text, profile.charset);
    const request = bxTextRequest(content, profile, !broadcast);
    core.st.desired = content;
    const delivery = await core.change({ change: 'show', key: content.key, text: content.text }, () => send(request));
    if (core.st.desired === content) core.displayed(content, delivery.proof, delivery.at);
    return delivery;
  }

  async function clear(): Promise<Delivery> {
    // Desired at once: a restore after the sign answers again must clear it, not put the withdrawn text back.
    core.st.desired = null;
    const delivery = await core.change({ change: 'clear' }, () => send({ command: { kind: 'clear' }, replyWanted: true }));
    core.ended('cleared', delivery.at);
    return delivery;
  }

  async function restore(): Promise<void> {
    if (restoring) return restoring;
    restoring = (async () => {
      core.st.counters.restores++;
      await send({ command: { kind: 'ping' }, replyWanted: true });
      await send({ command: { kind: 'clock', clock: clockOf(now()) }, replyWanted: true });
      if (!core.st.power) await send({ command: { kind: 'power', on: false }, replyWanted: true });
      const desired = core.st.desired;
      if (desired) await show(desired);
      else await clear();
    })().finally(() => {
      restoring = null;
    });
    return restoring;
  }

  /** The next ping to a silent sign, `probeDelay` from now; each unanswered one doubles the delay. */
  function scheduleProbe(): void {
    if (probe || broadcast || core.st.reachable || link.state() !== 'up') return;
    const delay = probeDelay;
    probeDelay = Math.min(probeMaxMs, probeDelay * 2);
    probe = setTimeout(() => {
      probe = null;
      if (core.st.reachable || link.state() !== 'up' || restoring) return scheduleProbe();
      logger.debug(`sign ${profile.id}: probing the silent sign`);
      send({ command: { kind: 'ping' }, replyWanted: true }).catch(() => undefined);
    }, delay);
    probe.unref();
  }

  function stopProbe(): void {
    if (probe) clearTimeout(probe);
    probe = null;
    probeDelay = probeInitialMs;
  }

  function startHealth(): void {
    if (deps.healthIntervalMs && !health) {
      health = setInterval(() => {
        // A silent sign is the probe's (scheduleProbe).
        if (link.state() !== 'up' || restoring || !core.st.reachable) return;
        send({ command: { kind: 'ping' }, replyWanted: true }).catch(() => undefined);
      }, deps.healthIntervalMs);
      health.unref();
    }
    if (deps.contentCheckMs && !contentCheck) {
      contentCheck = setInterval(() => {
        const desired = core.st.desired;
        if (link.state() !== 'up' || restoring || !desired || !core.st.power) return;
        logger.debug(`sign ${profile.id}: re-asserting its content (a reboot between pings would have wiped it)`);
        show(desired).catch(() => undefined);
      }, deps.contentCheckMs);
      contentCheck.unref();
    }
  }

  function stopHealth(): void {
    if (health) clearInterval(health);
    if (contentCheck) clearInterval(contentCheck);
    health = null;
    contentCheck = null;
  }

  const offLink = link.onState((state, reason) => {
    core.st.link = state;
    const at = now();
    if (state === 'up') {
      core.emit({ type: 'link', signId: profile.id, state: 'up', at, reason });
      startHealth();
      core.st.counters.reconnects = link.stats().reconnects;
      void restore().catch((error: unknown) => logger.warn(`sign ${profile.id}: restore after reconnect failed`, { error }));
    } else if (state === 'down' || state === 'stopped') {
      stopHealth();
      stopProbe();
      if (core.st.showing) core.st.showing = null;
      core.emit({ type: 'link', signId: profile.id, state: 'down', at, reason });
      // Not heard until it answers on the reopened link: a port that opens (a device server accepting a
      // connection) is no proof that the sign is there; its first answer is (and ends the outage's record).
      core.setReachable(false);
    }
  });
  core.st.link = link.state();
  if (link.state() === 'up') startHealth();

  const simple = async (request: BxRequest): Promise<Delivery> => send(request);

  return {
    id: profile.id,
    proofLevel: proof,
    show,
    restore,
    clear,
    async setBrightness(level) {
      checkLevel(level);
      const delivery = await simple({
        command: { kind: 'brightness', mode: 'force', level, table: new Array<number>(48).fill(level) },
        replyWanted: true,
      });
      core.st.brightness = level;
      return delivery;
    },
    async setPower(on) {
      const delivery = await simple({ command: { kind: 'power', on }, replyWanted: true });
      if (!on) core.ended('power-off', delivery.at);
      const wasOff = !core.st.power;
      core.st.power = on;
      const showing = core.st.showing;
      if (on && wasOff && showing && core.st.desired) core.displayed(core.st.desired, showing.proof, delivery.at);
      return delivery;
    },
    syncClock: (at) => simple({ command: { kind: 'clock', clock: clockOf(at) }, replyWanted: true }),
    ping: () => simple({ command: { kind: 'ping' }, replyWanted: true }),
    status: () => core.status(),
    subscribe: (listener) => core.subscribe(listener),
    stop() {
      stopHealth();
      stopProbe();
      offLink();
    },
  };
}
