/**
 * A ledger that tells listeners about every record once it is durable, in
 * ledger order. Derived data (the report aggregates) follow the ledger this
 * way instead of every service remembering to update them.
 */
import type { AnyEntry, Ledger, LedgerEntry, LedgerRecord } from '../../store/ledger.js';

export type AppendListener = (records: readonly LedgerRecord[]) => void;

export interface ObservedLedger<E extends AnyEntry = LedgerEntry> extends Ledger<E> {
  /** `listener` hears each appended batch after it is on disk and before its sender continues. */
  onAppended(listener: AppendListener): () => void;
}

export function observeLedger<E extends AnyEntry>(inner: Ledger<E>): ObservedLedger<E> {
  const listeners = new Set<AppendListener>();
  return {
    start: () => inner.start(),
    stop: () => inner.stop(),
    head: () => inner.head(),
    position: () => inner.position(),
    holds: (position) => inner.holds(position),
    records: (range) => inner.records(range),
    append: (entries) =>
      inner.append(entries).then((records) => {
        // A listener's failure must never turn a durable, acknowledged append into an error for its sender.
        for (const listener of listeners) {
          try {
            listener(records);
          } catch {
            // the listener logs its own failures
          }
        }
        return records;
      }),
    onAppended(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
