/**
 * A forger with write access to the data directory: rewrites a ledger segment
 * from `fromSeq` on (a note added to each record) and re-hashes the chain to
 * its end, so that the ledger still verifies on its own and only a witness
 * holding an older checkpoint can tell.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { canonicalJson } from '../../controller/domain/canonical.js';
import { type LedgerRecord, hashRecord } from '../../controller/store/ledger.js';

export async function rewriteLedgerFrom(segmentFile: string, fromSeq: number): Promise<void> {
  const records = (await readFile(segmentFile, 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as LedgerRecord);
  let prev = records[0]?.prevHash ?? '';
  const rewritten = records.map((r) => {
    const { hash: _old, ...rest } = r;
    const next: Record<string, unknown> & typeof rest = { ...rest, prevHash: prev };
    if (r.seq >= fromSeq) next.note = '改写';
    prev = hashRecord(next);
    return canonicalJson({ ...next, hash: prev });
  });
  await writeFile(segmentFile, `${rewritten.join('\n')}\n`);
}
