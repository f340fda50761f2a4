/** The ledger's member-wise encoding equals hashing the record and then encoding it whole, for any JSON record. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../controller/domain/canonical.js';
import { type AnyEntry, type UnhashedRecord, createRecordEncoder, encodeRecord, hashRecord } from '../../../controller/store/records.js';

const plain = (base: UnhashedRecord) => {
  const hash = hashRecord(base);
  return { hash, line: canonicalJson({ ...base, hash }) };
};
const PREV = 'a'.repeat(64);
/** Any string, including unpaired surrogates, quotes, backslashes and controls. */
const anyString = fc.string({ unit: 'binary', maxLength: 12 });
const anyValue = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  anyString,
  fc.double(),
  fc.constantFrom(undefined, null, true, false, -0, Number.NaN, Number.POSITIVE_INFINITY),
);

describe('encodeRecord', () => {
  it('gives the same hash and line as the plain path', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 3 })),
        fc.string({ minLength: 1, maxLength: 12 }),
        fc.nat(),
        (fields, type, seq) => {
          const base = { ...fields, type, seq, ts: 1_700_000_000_000, prevHash: PREV } as UnhashedRecord;
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
      JSON.parse('{"__proto__":{"a":1}}') as Record<string, unknown>,
      { toJSON: 1, constructor: 'c', valueOf: 2 },
      { when: new Date(0), list: [undefined, () => 1], nested: { b: 1, a: [{ d: 1, c: 2 }] } },
      { fn: () => 1, sym: Symbol('s') },
    ]) {
      const record = { ...extra, ...base } as UnhashedRecord;
      expect(encodeRecord(record)).toEqual(plain(record));
    }
  });
});

describe('createRecordEncoder', () => {
  it('gives the plain hash and line for records of repeated shapes, whatever their values', () => {
    const encoder = createRecordEncoder();
    const shapes = [
      ['type', 'receiptId', 'noticeId', 'startedAt', 'endedAt', 'clockTrusted'],
      ['type', 'noticeId', 'rating', 'comment'],
      ['type', 'seq', 'ts', 'prevHash', 'a'],
    ];
    fc.assert(
      fc.property(fc.nat({ max: shapes.length - 1 }), fc.array(anyValue, { minLength: 6, maxLength: 6 }), fc.nat(), (s, values, seq) => {
        const keys = shapes[s] ?? [];
        const entry = Object.fromEntries(keys.map((k, i) => [k, k === 'type' ? 't' : values[i]])) as AnyEntry;
        const got = encoder.encode(entry, seq, 1_700_000_000_000, PREV);
        expect(got).toEqual(plain({ ...entry, seq, ts: 1_700_000_000_000, prevHash: PREV }));
      }),
      { numRuns: 1000 },
    );
  });

  it('encodes strings the way JSON.stringify does, lone surrogates and controls included', () => {
    const encoder = createRecordEncoder();
    fc.assert(
      fc.property(anyString, (text) => {
        const entry = { type: 'display.kiosk', note: text };
        expect(encoder.encode(entry, 1, 2, PREV)).toEqual(plain({ ...entry, seq: 1, ts: 2, prevHash: PREV }));
      }),
      { numRuns: 1000 },
    );
  });
});
