/**
 * One sign inside the signs service: its running state, the tick that drives
 * it (schedule, clock, rotation), the admin's commands and the admin's view.
 */
import { type RotationState, nextRotation, signItems, signSchedule, toSignContent } from '../domain/signContent.js';
import type { SignContent } from '../domain/signs.js';
import type { Logger } from '../logger.js';
import type { SignEmulator } from '../led/emulator/signEmulator.js';
import { SignError, type SignErrorCode } from '../led/errors.js';
import type { FleetDriver } from '../led/fleet.js';
import type { SignCommand, SignProfile, SignView } from '../protocol/signProfile.js';
import type { PlaylistService } from './playlists.js';

export const CLOCK_SYNC_INTERVAL_MS = 86_400_000;
/** A manual command (test pattern, clear) holds the sign this long before rotation resumes. */
export const MANUAL_HOLD_MS = 30_000;
const TEST_PATTERN_KEY = 'system:test-pattern';

export type { SignCommand };

/** One running sign: its profile, driver, rotation and what was last applied. */
export interface SignState {
  profile: SignProfile;
  driver: FleetDriver;
  emulator: SignEmulator | null;
  rotation: RotationState;
  /** The schedule's on/off and brightness last applied: re-applied only when the schedule changes, so an admin's setting holds until then. */
  applied: { power: boolean | null; brightness: number | null };
  lastClockSync: number;
  /** A broadcast clock sync of its shared line is on its way: the sign's own sync waits for its outcome. */
  clockBroadcastPending: boolean;
  holdUntil: number;
  busy: boolean;
  refused: { key: string; chars: string[] }[];
  outageSince: number | null;
  /** How the outage in progress began ('link', 'sign-silent'): its closing record says the same. */
  outageCause: string | null;
  unsubscribe: () => void;
}

/** Failures worth another try on the next tick: the command may well go through then. */
const TRANSIENT: ReadonlySet<SignErrorCode> = new Set(['busy', 'crc', 'timeout', 'link_down']);

/**
 * Runs one command, logging a failure. True when it is settled: the sign took
 * it, or it can never take it (an EQ card has no brightness, on/off or clock
 * command; a NACK for a bad argument), so trying again would only repeat the
 * failure every tick. False after a transient failure (timeout, busy, CRC,
 * link down).
 */
async function run(logger: Logger, sign: SignState, what: string, action: () => Promise<unknown>): Promise<boolean> {
  try {
    await action();
    return true;
  } catch (error) {
    const transient = !(error instanceof SignError) || TRANSIENT.has(error.code);
    logger.warn(
      `sign ${sign.profile.id}: ${what} failed${transient ? ', trying again on the next tick' : ''}: ${error instanceof Error ? error.message : String(error)}`,
    );
    return !transient;
  }
}

/**
 * One tick of one sign: on/off hours, night brightness, the daily clock sync,
 * then rotation through its playlist (emergencies at once), unless an admin's
 * command holds it. A schedule command or sync counts as done only once the
 * sign took it, so a failed one is tried again on the next tick (each try
 * already spent the link's own retries). Nothing of the schedule goes to a
 * sign that stopped answering: when it answers again its driver restores it
 * (ping, clock, content) and the service forgets what was applied.
 */
export async function stepSign(sign: SignState, at: number, deps: { playlists: PlaylistService; logger: Logger }): Promise<void> {
  const { logger } = deps;
  const status = sign.driver.status();
  if (status.link !== 'up') return;
  const schedule = signSchedule(sign.profile, at);
  if (status.reachable && sign.applied.power !== schedule.power) {
    if (await run(logger, sign, 'on/off', () => sign.driver.setPower(schedule.power))) sign.applied.power = schedule.power;
  }
  if (status.reachable && sign.applied.brightness !== schedule.brightness) {
    if (await run(logger, sign, 'brightness', () => sign.driver.setBrightness(schedule.brightness)))
      sign.applied.brightness = schedule.brightness;
  }
  if (status.reachable && !sign.clockBroadcastPending && at - sign.lastClockSync >= CLOCK_SYNC_INTERVAL_MS) {
    if (await run(logger, sign, 'clock sync', () => sign.driver.syncClock(at))) sign.lastClockSync = at;
  }
  const playlist = deps.playlists.forTarget({ villageId: sign.profile.villageId, onHours: null });
  const { items, refused } = signItems(playlist, (item) => item.ledText ?? '', sign.profile.charset, at);
  for (const r of refused) {
    if (!sign.refused.some((old) => old.key === r.key))
      logger.warn(
        `sign ${sign.profile.id} (${sign.profile.charset}) cannot show notice ${r.key}: its font lacks ${r.chars.join('')} (该屏字库缺字，此公示不上屏)`,
      );
  }
  sign.refused = refused;
  const emergency = items.some((i) => i.emergency);
  if (at < sign.holdUntil && !emergency) return;
  const next = nextRotation(items, sign.rotation, at);
  sign.rotation = next.state;
  const desired = status.desired;
  if (next.item) {
    const content = toSignContent(next.item, sign.profile);
    if (desired?.key !== content.key || desired.text !== content.text) await run(logger, sign, 'show', () => sign.driver.show(content));
  } else if (desired || status.pending?.change === 'clear') {
    await run(logger, sign, 'clear', () => sign.driver.clear());
  }
}

export function signView(sign: SignState): SignView {
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
    nodeId: p.node,
    link: st.link,
    reachable: st.reachable,
    lastAckAt: st.lastAckAt,
    showing: st.showing,
    pending: st.pending,
    power: st.power,
    brightness: st.brightness,
    counters: st.counters,
    lastError: st.lastError,
    refused: sign.refused,
  };
}

const TEST_PATTERN: SignContent = {
  key: TEST_PATTERN_KEY,
  text: '■□■□测试TEST 0123456789■□■□',
  layout: 'pages',
  stayTimeSec: 5,
  speed: 4,
  colour: 'red',
};

/** An admin's button: test pattern and clear hold the sign for a while; re-send resumes rotation. Rejects with the driver's SignError. */
export async function applyCommand(sign: SignState, cmd: SignCommand, at: number): Promise<void> {
  switch (cmd.type) {
    case 'test-pattern':
      sign.holdUntil = at + MANUAL_HOLD_MS;
      await sign.driver.show(TEST_PATTERN);
      break;
    case 'brightness':
      // Holds until the schedule's own level changes (night falls, day breaks) or the sign reconnects.
      await sign.driver.setBrightness(cmd.level);
      break;
    case 'power':
      await sign.driver.setPower(cmd.on);
      break;
    case 'clear':
      sign.holdUntil = at + MANUAL_HOLD_MS;
      await sign.driver.clear();
      break;
    case 'resend':
      sign.holdUntil = 0;
      await sign.driver.restore();
      break;
  }
}
