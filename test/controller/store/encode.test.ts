/** The ledger's single-pass encoding equals hashing the record and then encoding it whole, for any JSON record. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../controller/domain/canonical.js';
import { type UnhashedRecord, encodeRecord, hashRecord } from '../../../controller/store/ledger.js';

const plain = (base: UnhashedRecord) => {
  const hash = hashRecord(base);
  return { hash, line: canonicalJson({ ...base, hash }) };
};

describe('encodeRecord', () => {
  it('gives the same hash and line as the plain path', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 3 })),
        fc.string({ minLength: 1, maxLength: 12 }),
        fc.nat(),
        (fields, type, seq) => {
          const base = { ...fields, type, seq, ts: 1_700_000_000_000, prevHash: 'a'.repeat(64) } as UnhashedRecord;
          expect(encodeRecord(base)).toEqual(plain(base));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('handles the edges: a field named hash, array-index keys, undefined members, keys around "hash"', () => {
    const base = { type: 'x', seq: 1, ts: 2, prevHash: 'b'.repeat(64) };
    for (const extra of [
      { hash: 'old' },
      { 10: 1, 9: 2 },
      { gone: undefined, h: 1, hasi: 2, has: 3, 'hash\u0000': 4 },
      { 中文: '公示', '': 0 },
    ]) {
      const record = { ...base, ...extra } as UnhashedRecord;
      expect(encodeRecord(record)).toEqual(plain(record));
    }
  });
});
