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
 * Per ledger: staff changes are committed in batches, one batch at a time, so the mark a batch writes (its own
 * last record) covers no other change still on its way to the state; the changes that arrive while a batch is
 * being saved wait together and go out as the next batch — one ledger append and one state write for all of them
 * (a state write clones, serialises and fsyncs the whole state: one per change made pairing slow down as the town
 * grew). `owed`: the voids a full disk kept out of the ledger, which go out first next time.
 */
interface Book {
  serial: Serial;
  owed: number[];
  waiting: Job[];
}
/** One caller's change waiting for its batch. */
interface Job {
  deps: { ledger: Ledger; store: StateStore };
  entries: readonly LedgerEntry[];
  change: (draft: State) => unknown;
  resolve: (value: { record: LedgerRecord | undefined; result: unknown }) => void;
  reject: (error: unknown) => void;
}
const books = new WeakMap<Ledger, Book>();
function bookOf(ledger: Ledger): Book {
  let book = books.get(ledger);
  if (!book) books.set(ledger, (book = { serial: createSerial(), owed: [], waiting: [] }));
  return book;
}

/** The record that voids record `seq`, whose change did not take effect. */
export const voidEntry = (seq: number, reason: string): LedgerEntry => ({ type: LEDGER_VOID_TYPE, voids: seq, reason });

const STATE_FAILED = 'the state write failed; the step did not take effect';

/** A change that threw while its batch was applied: the batch is applied again without it. */
class ChangeFailed extends Error {
  constructor(
    readonly index: number,
    readonly error: unknown,
  ) {
    super('a change of the batch failed');
  }
}

/**
 * Appends `entry` (or several), then applies `change` to the state together with the new ledger mark. Resolves
 * only once both are durable; calls made while a batch is saved share the next batch's append and state write.
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
  return new Promise<{ record: LedgerRecord | undefined; result: T }>((resolve, reject) => {
    book.waiting.push({ deps, entries, change, resolve: resolve as Job['resolve'], reject });
    // The first batch step after this takes every change waiting then (the later steps may find none).
    void book.serial(async () => {
      const store = book.waiting[0]?.deps.store;
      const batch = book.waiting.filter((job) => job.deps.store === store);
      book.waiting = book.waiting.filter((job) => job.deps.store !== store);
      if (batch.length === 0) return;
      await commit(deps.ledger, book, batch).catch((error: unknown) => {
        for (const job of batch) job.reject(error);
      });
    });
  });
}

/** Appends voids of `seqs`, or owes them when the ledger refuses (the next batch or a clean stop writes them first). */
async function voidOrOwe(ledger: Ledger, book: Book, seqs: readonly number[]): Promise<boolean> {
  if (seqs.length === 0) return true;
  try {
    await ledger.append(seqs.map((seq) => voidEntry(seq, STATE_FAILED)));
    return true;
  } catch {
    book.owed.push(...seqs);
    return false;
  }
}

/**
 * One batch: the owed voids and every job's records in one append, then every job's change and the mark (the
 * batch's last record) in one state write. A change that throws fails alone (its records voided before the
 * others are written past them); a state write that fails fails the batch, each record voided.
 */
async function commit(ledger: Ledger, book: Book, batch: Job[]): Promise<void> {
  const store = batch[0]!.deps.store;
  let appended: LedgerRecord[];
  try {
    const owed = book.owed.map((seq) => voidEntry(seq, STATE_FAILED));
    appended = (await ledger.append([...owed, ...batch.flatMap((job) => job.entries)])).slice(owed.length);
    book.owed = [];
  } catch (error) {
    for (const job of batch) job.reject(error);
    return;
  }
  let at = 0;
  let jobs = batch.map((job) => {
    const records = appended.slice(at, (at += job.entries.length));
    return { job, records };
  });
  while (jobs.length > 0) {
    try {
      const results = await store.update((draft) => {
        const values = jobs.map(({ job }, index) => {
          try {
            return job.change(draft);
          } catch (error) {
            throw new ChangeFailed(index, error);
          }
        });
        // The head: this batch's records and what went before (a later batch appends only after this one is done).
        draft.ledgerMark = ledger.head();
        return values;
      });
      jobs.forEach(({ job, records }, i) => job.resolve({ record: records[0], result: results[i] }));
      return;
    } catch (error) {
      const failed = error instanceof ChangeFailed ? [jobs[error.index]!] : jobs;
      jobs = jobs.filter((j) => !failed.includes(j));
      const voided = await voidOrOwe(
        ledger,
        book,
        failed.flatMap((j) => j.records.map((r) => r.seq)),
      );
      for (const j of failed) j.job.reject(error instanceof ChangeFailed ? error.error : error);
      if (!voided) {
        // The voids are only owed: no state may be written past the failed records before they are in the ledger.
        await voidOrOwe(
          ledger,
          book,
          jobs.flatMap((j) => j.records.map((r) => r.seq)),
        );
        for (const j of jobs) j.job.reject(error instanceof ChangeFailed ? error.error : error);
        return;
      }
    }
  }
}

/**
 * At a clean stop: voids still owed go out, and the state's mark moves to the ledger's head, so the next start
 * has nothing to look through. Fails quietly (the next start reconciles instead).
 */
export function settleLedgerMark(deps: { ledger: Ledger; store: StateStore }): Promise<void> {
  const book = bookOf(deps.ledger);
  return book.serial(async () => {
    if (book.owed.length > 0) {
      await deps.ledger.append(book.owed.map((seq) => voidEntry(seq, STATE_FAILED)));
      book.owed = [];
    }
    await deps.store.update((draft) => {
      draft.ledgerMark = deps.ledger.head();
    });
  });
}
