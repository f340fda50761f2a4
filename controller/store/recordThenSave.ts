/**
 * One staff change that is both a ledger record and a state change, saved so
 * that a failed request leaves neither half done: the record first (a change
 * the ledger does not hold did not happen), then the state. The ledger cannot
 * be rewritten, so when the state write fails a `ledger.void` record of its
 * own voids the first one, and the error goes on to the caller (a 500).
 *
 * A crash between the two writes is the same failure seen at the next start:
 * the state names the last ledger record it reflects (`ledgerMark`, written in
 * the same atomic write as the change), and {@link reconcileLedger} voids
 * every staff change recorded after it. Voiding, not re-applying: a record
 * holds what changed, not the whole new state, and a step that never reached
 * the state was never answered with success, so the person repeats it.
 */
import type { Ledger, LedgerEntry, LedgerRecord } from './ledger.js';
import type { State, StateStore } from './state.js';
import { type Serial, createSerial } from '../util/serial.js';

/** The record that says an earlier record's change did not take effect (`voids`: its seq; `reason`: why). */
export const LEDGER_VOID_TYPE = 'ledger.void';

/**
 * The record types written ledger first by {@link recordThenSave}: the ones a crash can leave in the ledger
 * without their state change. `device.revoked` is written state first on purpose (services/devices.ts).
 */
const RECORDED_FIRST = /^(?:notice|village|user|settings)\.|^device\.(?:paired|updated)$/;

export function isRecordedFirst(type: string): boolean {
  return RECORDED_FIRST.test(type);
}

/**
 * Per ledger: staff changes run one at a time, so the mark a change writes (the ledger's head) covers no other
 * change still on its way to the state; and the voids a full disk kept out of the ledger go out first next time.
 */
interface Book {
  serial: Serial;
  owed: number[];
}
const books = new WeakMap<Ledger, Book>();
function bookOf(ledger: Ledger): Book {
  let book = books.get(ledger);
  if (!book) books.set(ledger, (book = { serial: createSerial(), owed: [] }));
  return book;
}

/** The record that voids record `seq`, whose change did not take effect. */
export const voidEntry = (seq: number, reason: string): LedgerEntry => ({ type: LEDGER_VOID_TYPE, voids: seq, reason });

/**
 * Appends `entry` (or several), then applies `change` to the state together with the new ledger mark.
 *
 * @example
 * await recordThenSave(deps, { type: 'village.created', villageId, name, actorId }, (s) => void s.villages.push(village));
 */
export function recordThenSave<T>(
  deps: { ledger: Ledger; store: StateStore },
  entry: LedgerEntry | readonly LedgerEntry[],
  change: (draft: State) => T,
): Promise<{ record: LedgerRecord | undefined; result: T }> {
  const entries: readonly LedgerEntry[] = Array.isArray(entry) ? entry : [entry as LedgerEntry];
  const wrong = entries.find((e) => !isRecordedFirst(e.type));
  if (wrong) return Promise.reject(new Error(`${wrong.type} is not a recorded-first type; add it to RECORDED_FIRST`));
  const book = bookOf(deps.ledger);
  return book.serial(async () => {
    const owed = book.owed.map((seq) => voidEntry(seq, 'the state write failed; the step did not take effect'));
    const appended = await deps.ledger.append([...owed, ...entries]);
    book.owed = [];
    const records = appended.slice(owed.length);
    try {
      const result = await deps.store.update((draft) => {
        const value = change(draft);
        draft.ledgerMark = deps.ledger.head();
        return value;
      });
      return { record: records[0], result };
    } catch (error) {
      const seqs = records.map((r) => r.seq);
      await deps.ledger.append(seqs.map((seq) => voidEntry(seq, 'the state write failed; the step did not take effect'))).catch(() => {
        // The disk that refused the state may refuse this too: the next staff change, a clean stop or the next start voids them.
        book.owed.push(...seqs);
      });
      throw error;
    }
  });
}

/**
 * At a clean stop: voids still owed go out, and the state's mark moves to the ledger's head, so the next start
 * has nothing to look through. Fails quietly (the next start reconciles instead).
 */
export function settleLedgerMark(deps: { ledger: Ledger; store: StateStore }): Promise<void> {
  const book = bookOf(deps.ledger);
  return book.serial(async () => {
    if (book.owed.length > 0) {
      await deps.ledger.append(book.owed.map((seq) => voidEntry(seq, 'the state write failed; the step did not take effect')));
      book.owed = [];
    }
    await deps.store.update((draft) => {
      draft.ledgerMark = deps.ledger.head();
    });
  });
}
