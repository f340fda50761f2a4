/**
 * One staff change that is both a ledger record and a state change, saved so
 * that a failed request leaves neither half done: the record first (a change
 * the ledger does not hold did not happen), then the state. The ledger cannot
 * be rewritten, so when the state write fails a `ledger.void` record of its
 * own voids the first one, and the error goes on to the caller (a 500).
 */
import type { Ledger, LedgerEntry, LedgerRecord } from './ledger.js';
import type { State, StateStore } from './state.js';

/** The record that says an earlier record's change did not take effect (`voids`: its seq). */
export const LEDGER_VOID_TYPE = 'ledger.void';

/**
 * Appends `entry`, then applies `change` to the state.
 *
 * @example
 * await recordThenSave(deps, { type: 'village.created', villageId, name, actorId }, (s) => void s.villages.push(village));
 */
export async function recordThenSave<T>(
  deps: { ledger: Ledger; store: StateStore },
  entry: LedgerEntry,
  change: (draft: State) => T,
): Promise<{ record: LedgerRecord | undefined; result: T }> {
  const [record] = await deps.ledger.append([entry]);
  try {
    return { record, result: await deps.store.update(change) };
  } catch (error) {
    await deps.ledger
      .append([{ type: LEDGER_VOID_TYPE, voids: record?.seq, reason: 'the state write failed; the step did not take effect' }])
      .catch(() => undefined);
    throw error;
  }
}
