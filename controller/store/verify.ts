/**
 * Recomputes the ledger's hash chain from the files alone and reports the
 * first record that does not fit: an edited, deleted, reordered or inserted
 * line breaks the chain there. Reads in 4 MB chunks and splits lines itself
 * (readline costs about a microsecond a line), so memory stays flat.
 *
 * Fast path: a record's hash covers its canonical JSON without the `hash`
 * member, and each line was written as the canonical JSON of the record, so
 * removing `"hash":"…"` from the line gives the hashed text itself without
 * re-encoding. Only if that does not match is the record re-encoded, to tell
 * an edited record from one merely re-encoded (both are reported).
 */
import { open, readdir } from 'node:fs/promises';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { sha256Hex } from '../domain/canonical.js';
import { GENESIS_HASH, type LedgerRecord, hashRecord } from './ledger.js';

const CHUNK = 4 * 1024 * 1024;

/** The lines of a file, read in large chunks and decoded as UTF-8 across chunk borders. */
async function* lines(file: string): AsyncGenerator<string> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.allocUnsafe(CHUNK);
    const decoder = new StringDecoder('utf8');
    let rest = '';
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, CHUNK, null);
      if (bytesRead === 0) break;
      const text = rest + decoder.write(buffer.subarray(0, bytesRead));
      let start = 0;
      for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
        yield text.slice(start, end);
        start = end + 1;
      }
      rest = text.slice(start);
    }
    rest += decoder.end();
    if (rest !== '') yield rest;
  } finally {
    await handle.close();
  }
}

/** Whether `line` minus its `hash` member hashes (after `prevHash`) to `hash`: the record is byte for byte what was written. */
function rawLineMatches(line: string, prevHash: string, hash: string): boolean {
  const member = `"hash":"${hash}"`;
  const at = line.indexOf(member);
  if (at < 0) return false;
  const body =
    line[at - 1] === ',' ? line.slice(0, at - 1) + line.slice(at + member.length) : line.slice(0, at) + line.slice(at + member.length + 1);
  return sha256Hex(`${prevHash}\n${body}`) === hash;
}

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
    for await (const raw of lines(path.join(dir, file))) {
      line++;
      const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
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
      if (typeof hash !== 'string' || !rawLineMatches(text, prevHash, hash)) {
        if (hashRecord(rest) !== hash) return broken(seq, 'hash does not match the content: the record was edited');
        return broken(seq, 'the line is not the encoding that was written (re-encoded or padded), although its content still hashes');
      }
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
