/**
 * The daily clock sync of a shared line of BX signs: one frame to 0xFFFE with
 * no answer asked, instead of one per sign (each sign's own sync then finds it
 * done). The signs count as synced only once the frame left the port; a
 * failed broadcast is tried again on the next tick, and meanwhile the signs
 * do not sync one by one.
 */
import type { Logger } from '../logger.js';
import type { PortEntry } from '../led/fleet.js';
import { ledProtocol } from '../led/protocols.js';
import { CLOCK_SYNC_INTERVAL_MS, type SignState } from './signSteps.js';

/**
 * Sends the broadcast sync on every shared BX line that is up and has a sign
 * due. Every member counts as synced when it succeeds, a silent one too: the
 * broadcast is not answered, so nothing tells who heard it, and a sign that
 * answers again after falling silent is restored by its driver (ping, clock,
 * content). Marking only the answering ones would re-send the broadcast every
 * tick while one sign is down.
 */
export function broadcastClockSync(ports: Iterable<PortEntry>, signs: Iterable<SignState>, at: number, logger: Logger): void {
  const all = [...signs];
  for (const port of ports) {
    const members = all.filter((s) => s.profile.port.path === port.path);
    const broadcastClock = members[0] && ledProtocol(members[0].profile.protocol).broadcastClock;
    if (members.length < 2 || !broadcastClock || port.link.state() !== 'up') continue;
    if (!members.every((s) => ledProtocol(s.profile.protocol).broadcastClock)) continue;
    if (members.some((s) => s.clockBroadcastPending)) continue;
    if (!members.some((s) => at - s.lastClockSync >= CLOCK_SYNC_INTERVAL_MS)) continue;
    for (const s of members) s.clockBroadcastPending = true;
    broadcastClock(port.link, at)
      .then(() => {
        for (const s of members) s.lastClockSync = Math.max(s.lastClockSync, at);
      })
      .catch((error: unknown) =>
        logger.warn(
          `port ${port.path}: broadcast clock sync failed, trying again on the next tick: ${error instanceof Error ? error.message : String(error)}`,
        ),
      )
      .finally(() => {
        for (const s of members) s.clockBroadcastPending = false;
      });
  }
}
