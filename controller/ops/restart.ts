/**
 * What a start writes so that the record says how the last run ended.
 *
 * A controller killed (kill -9, power cut) never writes the `device.offline`
 * of the kiosks connected to it, nor the end of a sign outage in progress, so
 * the ledger would keep them online (or down) forever, and the compliance
 * report would blame the devices for what was the controller's downtime. At
 * start, before any device can connect, this closes every such interval:
 *
 * - `controller.restarted` with `lastAliveAt`, the controller's last known sign
 *   of life: the later of the last ledger record and the last-seen times saved
 *   in state.json (flushed while kiosks send heartbeats). The report counts
 *   [lastAliveAt, restart) as `controller_down` on every device.
 * - `device.offline` (`reason: 'controller-restart'`, `at: lastAliveAt`) for
 *   each kiosk whose last `device.online` has no `device.offline` after it. A
 *   kiosk that reconnects writes `device.online` as usual, once: the device
 *   service starts with no connection and records only real transitions.
 * - `sign.link-outage` (`cause: 'controller-restart'`, ending at lastAliveAt)
 *   for each sign whose `sign.link-down` has no end. If the link is still down
 *   after the restart, the signs service opens a new outage.
 *
 * The same holds after a clean stop: then lastAliveAt is the stop itself.
 */
import type { Logger } from '../logger.js';
import type { LedgerEntry } from '../store/ledger.js';
import type { Coverage } from '../reports/index.js';

export const RESTART_REASON = 'controller-restart';

/** The records a start writes, given the coverage folded from the ledger so far (none for an empty ledger). */
export function restartEntries(
  cov: Readonly<Coverage>,
  devices: readonly { id: string; lastSeenAt: number | null }[],
  now: number,
): LedgerEntry[] {
  if (cov.lastTs === 0) return [];
  const lastSeen = devices.reduce((max, d) => (d.lastSeenAt !== null && d.lastSeenAt <= now ? Math.max(max, d.lastSeenAt) : max), 0);
  const lastAliveAt = Math.min(now, Math.max(cov.lastTs, lastSeen));
  const kiosks: LedgerEntry[] = [...cov.online.keys()].map((deviceId) => ({
    type: 'device.offline',
    deviceId,
    reason: RESTART_REASON,
    at: lastAliveAt,
    lastRecordAt: cov.lastAt.get(deviceId) ?? null,
  }));
  const signs: LedgerEntry[] = [];
  for (const [signId, outages] of cov.outages) {
    const open = outages.findLast((o) => o.cause === 'link_down' && o.to === null);
    if (open)
      signs.push({ type: 'sign.link-outage', signId, start: open.from, end: Math.max(open.from, lastAliveAt), cause: RESTART_REASON });
  }
  return [
    { type: 'controller.restarted', lastAliveAt, downMs: now - lastAliveAt, openKiosks: kiosks.length, openSignOutages: signs.length },
    ...kiosks,
    ...signs,
  ];
}

/** Writes {@link restartEntries} (a failure is logged, not fatal); must run after the aggregates are current and before devices can connect. */
export async function recordRestart(deps: {
  ledger: { append(entries: readonly LedgerEntry[]): Promise<unknown> };
  coverage: Readonly<Coverage>;
  devices: readonly { id: string; lastSeenAt: number | null }[];
  now: number;
  logger: Logger;
}): Promise<void> {
  const entries = restartEntries(deps.coverage, deps.devices, deps.now);
  if (entries.length === 0) return;
  try {
    await deps.ledger.append(entries);
  } catch (error) {
    // A full disk must not keep the controller from starting; the intervals stay open until a later start closes them.
    deps.logger.error('could not record the restart and close the intervals the last run left open', { error });
    return;
  }
  const closed = entries.length - 1;
  if (closed > 0) deps.logger.warn(`closed ${closed} device interval(s) the last run left open (it did not stop cleanly)`);
}
