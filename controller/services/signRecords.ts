/**
 * What the signs put in the ledger: each closed display interval (the
 * system's own content — test pattern — excluded) and each link outage, as
 * it begins and as it ends. Pure apart from the outage start kept on the sign.
 */
import type { DisplayInterval, SignEvent } from '../domain/signs.js';
import type { SignProfile } from '../protocol/signProfile.js';
import type { LedgerEntry } from '../store/ledger.js';

export function intervalEntry(sign: { profile: SignProfile }, interval: DisplayInterval): LedgerEntry | null {
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

export function intervalEntries(sign: { profile: SignProfile }, closed: readonly DisplayInterval[]): LedgerEntry[] {
  return closed.map((i) => intervalEntry(sign, i)).filter((e): e is LedgerEntry => e !== null);
}

const outageFields = (sign: { profile: SignProfile }) => ({
  signId: sign.profile.id,
  villageId: sign.profile.villageId,
  portPath: sign.profile.port.path,
});

export const isUp = (event: SignEvent): boolean =>
  (event.type === 'link' && event.state === 'up') || (event.type === 'reachable' && event.reachable);

/**
 * The outage records a link or reachability event makes: `sign.link-down` as
 * the outage begins (so a restart after a crash knows one is in progress),
 * `sign.link-outage` with its start, end and the cause it began with once the
 * sign is back. Back means heard: a link that opens again (a TCP device server
 * accepting a connection) while the sign has not answered yet does not end the
 * outage — the sign's first answer does (`reachable`), so a path that resets
 * every connection stays one outage, however many times it is reopened. A
 * driver that cannot hear its sign (EQ cards never answer) keeps it reachable,
 * and its outage ends when the link is up again.
 */
export function outageEntries(
  sign: { profile: SignProfile; outageSince: number | null; outageCause: string | null },
  event: SignEvent,
  /** What the driver reports now: whether the sign has answered since the link came back. */
  reachableNow: boolean,
): LedgerEntry[] {
  const down = (event.type === 'link' && event.state === 'down') || (event.type === 'reachable' && !event.reachable);
  if (down && sign.outageSince === null) {
    const cause = event.type === 'link' ? 'link' : 'sign-silent';
    sign.outageSince = event.at;
    sign.outageCause = cause;
    return [{ ...outageFields(sign), type: 'sign.link-down', at: event.at, cause }];
  }
  const back = (event.type === 'reachable' && event.reachable) || (event.type === 'link' && event.state === 'up' && reachableNow);
  if (back && sign.outageSince !== null) {
    const cause = sign.outageCause ?? (event.type === 'link' ? 'link' : 'sign-silent');
    const entry: LedgerEntry = { ...outageFields(sign), type: 'sign.link-outage', start: sign.outageSince, end: event.at, cause };
    sign.outageSince = null;
    sign.outageCause = null;
    return [entry];
  }
  return [];
}

/** A sign stopped mid-outage (removed, reconfigured, the controller stopping): the outage recorded as begun ends here. */
export function stoppedOutageEntries(
  sign: { profile: SignProfile; outageSince: number | null; outageCause: string | null },
  at: number,
): LedgerEntry[] {
  if (sign.outageSince === null) return [];
  return [
    { ...outageFields(sign), type: 'sign.link-outage', start: sign.outageSince, end: Math.max(at, sign.outageSince), cause: 'stopped' },
  ];
}
