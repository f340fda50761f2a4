/**
 * The ledger records of staff changes to sign profiles, like every other
 * staff change: `sign.profile-saved` (created or edited, with the fields that
 * changed), `sign.moved` when a sign changes village or moves between the
 * controller and a village node, `sign.removed`. Each names the node the sign
 * is attached to (`attachedTo`), so the ledger tells which node may file
 * evidence for it. Pure.
 */
import type { SignProfile } from '../protocol/signProfile.js';
import type { LedgerEntry } from '../store/ledger.js';

/** What identifies a sign in its records: where it stands and how it is reached. */
export const profileFacts = (p: SignProfile) => ({
  signId: p.id,
  villageId: p.villageId,
  name: p.name,
  protocol: p.protocol,
  portPath: p.port.path,
  address: p.address,
  attachedTo: p.node,
});

/** The profile's top-level fields whose values differ (`port` counts as one). */
function changedFields(before: SignProfile, after: SignProfile): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]) as Set<keyof SignProfile>;
  return [...keys].filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k])).sort();
}

/**
 * @example
 * profileEntries(null, profile, 'u-admin'); // [{ type: 'sign.profile-saved', created: true, … }]
 */
export function profileEntries(before: SignProfile | null, after: SignProfile, actorId: string): LedgerEntry[] {
  const entries: LedgerEntry[] = [
    {
      type: 'sign.profile-saved',
      ...profileFacts(after),
      created: before === null,
      changed: before ? changedFields(before, after) : [],
      actorId,
    },
  ];
  if (before && (before.villageId !== after.villageId || before.node !== after.node))
    entries.push({
      type: 'sign.moved',
      signId: after.id,
      fromVillageId: before.villageId,
      toVillageId: after.villageId,
      fromNode: before.node,
      toNode: after.node,
      actorId,
    });
  return entries;
}
