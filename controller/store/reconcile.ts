/**
 * At start, before anything else is recorded: make the ledger and the state
 * tell the same story after a crash. The state names the last ledger record it
 * reflects (`ledgerMark`); every staff change recorded after it never reached
 * the state (see recordThenSave.ts), so each gets a `ledger.void` record with
 * the reason, unless one already voids it. Reports fold voids as "did not
 * happen", and the step can simply be done again.
 *
 * Only the ledger after the mark is read, from the end backwards: a clean stop
 * moves the mark to the head, so a normal start reads nothing.
 */
import { open } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../logger.js';
import { GENESIS_HASH, type Ledger, type LedgerRecord, listSegments } from './ledger.js';
import { LEDGER_VOID_TYPE, isRecordedFirst } from './recordThenSave.js';
import type { LedgerMark, StateStore } from './state.js';

export const CRASH_VOID_REASON =
  'the controller stopped before the state was saved; the step did not take effect (保存状态前中断，此步骤未生效)';

const CHUNK = 1024 * 1024;

/** Lines of `file` from the last to the first, read backwards in chunks. */
async function* linesBackwards(file: string): AsyncGenerator<string> {
  const handle = await open(file, 'r');
  try {
    let end = (await handle.stat()).size;
    let carry = Buffer.alloc(0);
    while (end > 0) {
      const from = Math.max(0, end - CHUNK);
      const chunk = Buffer.alloc(end - from);
      await handle.read(chunk, 0, chunk.length, from);
      end = from;
      let buffer = Buffer.concat([chunk, carry]);
      let newline = buffer.lastIndexOf(0x0a);
      let stop = buffer.length;
      while (newline >= 0) {
        const line = buffer.toString('utf8', newline + 1, stop);
        if (line !== '') yield line;
        stop = newline;
        newline = newline > 0 ? buffer.lastIndexOf(0x0a, newline - 1) : -1;
      }
      buffer = buffer.subarray(0, stop);
      carry = Buffer.from(buffer);
    }
    const first = carry.toString('utf8');
    if (first !== '') yield first;
  } finally {
    await handle.close();
  }
}

/**
 * The records after `seq` that `keep` accepts, oldest first, and the hash of record `seq` itself when it was
 * reached (null if the ledger ends before it or does not go back that far).
 */
export async function readRecordsAfter(
  dataDir: string,
  seq: number,
  keep: (record: LedgerRecord) => boolean,
): Promise<{ records: LedgerRecord[]; markHash: string | null }> {
  const dir = path.join(dataDir, 'ledger');
  const records: LedgerRecord[] = [];
  for (const name of (await listSegments(dir)).reverse()) {
    for await (const line of linesBackwards(path.join(dir, name))) {
      const record = JSON.parse(line) as LedgerRecord;
      if (record.seq <= seq) return { records: records.reverse(), markHash: record.seq === seq ? record.hash : null };
      if (keep(record)) records.push(record);
    }
  }
  return { records: records.reverse(), markHash: seq === 0 ? GENESIS_HASH : null };
}

/**
 * Voids every staff change after the state's mark that nothing voids yet, then moves the mark to the head.
 * A state without a mark (written before marks existed) is taken as reflecting the whole ledger; a new
 * state (`emptyState`) reflects none of it.
 */
export async function reconcileLedger(deps: {
  dataDir: string;
  ledger: Ledger;
  store: StateStore;
  logger: Logger;
}): Promise<{ voided: number[] }> {
  const head = deps.ledger.head();
  const mark: LedgerMark | null = deps.store.read().ledgerMark ?? null;
  if (mark === null || mark.seq >= head.seq) {
    if (mark !== null && mark.seq > head.seq) {
      deps.logger.error(
        `state.json reflects ledger record ${mark.seq} but the ledger ends at ${head.seq}; was the ledger restored from an older copy?`,
      );
    }
    if (mark === null && head.seq > 0) await deps.store.update((s) => void (s.ledgerMark = head));
    return { voided: [] };
  }
  const { records, markHash } = await readRecordsAfter(
    deps.dataDir,
    mark.seq,
    (r) => r.type === LEDGER_VOID_TYPE || isRecordedFirst(r.type),
  );
  if (markHash !== mark.hash) {
    deps.logger.error(`ledger record ${mark.seq} is not the one state.json names (hash differs); reconciling from it anyway`);
  }
  const alreadyVoided = new Set(records.filter((r) => r.type === LEDGER_VOID_TYPE).map((r) => r.voids));
  const orphans = records.filter((r) => r.type !== LEDGER_VOID_TYPE && !alreadyVoided.has(r.seq));
  if (orphans.length > 0) {
    await deps.ledger.append(orphans.map((r) => ({ type: LEDGER_VOID_TYPE, voids: r.seq, voidsType: r.type, reason: CRASH_VOID_REASON })));
    for (const r of orphans) deps.logger.warn(`voided ledger record ${r.seq} (${r.type}): ${CRASH_VOID_REASON}`);
  }
  await deps.store.update((s) => void (s.ledgerMark = deps.ledger.head()));
  return { voided: orphans.map((r) => r.seq) };
}
