/**
 * Recomputes the ledger's hash chain from the files alone and reports the
 * first record that does not fit: an edited, deleted, reordered or inserted
 * line breaks the chain there. Reads line by line, so memory stays flat.
 */
import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { GENESIS_HASH, type LedgerRecord, hashRecord } from './ledger.js';

export interface Checkpoint {
  seq: number;
  headHash: string;
  /** When the check ran (epoch ms). */
  at: number;
}

export type Verification =
  | { ok: true; records: number; checkpoint: Checkpoint }
  | { ok: false; records: number; firstBroken: { file: string; line: number; seq: number | null; reason: string } };

/**
 * @param against a checkpoint exported earlier: the chain must pass through its
 *   `seq` with exactly its `headHash`, which proves nothing up to it changed.
 */
export async function verifyLedger(
  dataDir: string,
  now: () => number = Date.now,
  against?: { seq: number; headHash: string },
): Promise<Verification> {
  const dir = path.join(dataDir, 'ledger');
  const files = (await readdir(dir).catch(() => [])).filter((n) => /^\d{4}-\d{2}\.jsonl$/.test(n)).sort();
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let records = 0;
  for (const file of files) {
    let line = 0;
    const lines = createInterface({ input: createReadStream(path.join(dir, file), 'utf8'), crlfDelay: Number.POSITIVE_INFINITY });
    for await (const text of lines) {
      line++;
      const broken = (seq: number | null, reason: string): Verification => ({
        ok: false,
        records,
        firstBroken: { file, line, seq, reason },
      });
      let record: LedgerRecord;
      try {
        record = JSON.parse(text) as LedgerRecord;
      } catch {
        return broken(null, 'not a JSON record');
      }
      const { hash, ...rest } = record;
      const seq = typeof record.seq === 'number' ? record.seq : null;
      if (seq !== expectedSeq) return broken(seq, `expected seq ${expectedSeq}: a record was deleted, inserted or moved`);
      if (record.prevHash !== prevHash) return broken(seq, 'prevHash does not match the previous record: the chain was cut or reordered');
      if (hashRecord(rest) !== hash) return broken(seq, 'hash does not match the content: the record was edited');
      if (against && seq === against.seq && hash !== against.headHash) {
        return broken(seq, `the record at checkpoint seq ${against.seq} has hash ${hash}, not the checkpoint's ${against.headHash}`);
      }
      prevHash = hash;
      expectedSeq++;
      records++;
    }
  }
  if (against && against.seq > expectedSeq - 1) {
    return {
      ok: false,
      records,
      firstBroken: {
        file: files.at(-1) ?? '',
        line: 0,
        seq: null,
        reason: `the ledger ends at seq ${expectedSeq - 1}, before checkpoint seq ${against.seq}`,
      },
    };
  }
  return { ok: true, records, checkpoint: { seq: expectedSeq - 1, headHash: prevHash, at: now() } };
}
