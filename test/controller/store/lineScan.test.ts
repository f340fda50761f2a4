/**
 * The line scanner behind verify's fast path accepts nothing JSON.parse
 * rejects, finds the same top-level seq, prevHash and hash JSON.parse reads,
 * and accepts every line the ledger writes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createLineScanner } from '../../../controller/store/lineScan.js';
import { createRecordEncoder } from '../../../controller/store/records.js';

const H = 'e'.repeat(64);
const scanner = createLineScanner();

/** What the scanner says about `text`, checked against JSON.parse whenever it accepts. */
function scanAgreesWithParse(text: string): boolean {
  const bytes = Buffer.concat([Buffer.from('x'), Buffer.from(text), Buffer.from('\n')]);
  const accepted = scanner.scan(bytes, 1, bytes.length - 1);
  if (!accepted) return false;
  const record = JSON.parse(text) as Record<string, unknown>;
  const m = scanner.members;
  expect(typeof record).toBe('object');
  expect(Array.isArray(record)).toBe(false);
  expect(record.seq).toBe(m.seq);
  expect(record.prevHash).toBe(bytes.toString('utf8', m.prevHashStart, m.prevHashEnd));
  expect(record.hash).toBe(bytes.toString('utf8', m.hashStart, m.hashEnd));
  expect(JSON.parse(`{${bytes.toString('utf8', m.hashMemberStart, m.hashMemberEnd)}}`)).toEqual({ hash: record.hash });
  return true;
}

const record = fc.record({
  seq: fc.nat(),
  prevHash: fc.string({ maxLength: 70 }),
  hash: fc.string({ maxLength: 70 }),
  type: fc.string(),
  extra: fc.jsonValue({ maxDepth: 3 }),
});

describe('createLineScanner', () => {
  it('accepts every line the ledger writes (top-level keys without escapes), finding its seq, prevHash and hash', () => {
    const encoder = createRecordEncoder();
    const key = fc.string({ maxLength: 6 }).filter((k) => JSON.stringify(k) === `"${k}"`);
    fc.assert(
      fc.property(fc.dictionary(key, fc.jsonValue({ maxDepth: 3 })), fc.nat(), (fields, seq) => {
        const { line } = encoder.encode({ ...fields, type: 'display.kiosk' }, seq, 1_700_000_000_000, H);
        expect(scanAgreesWithParse(line)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('agrees with JSON.parse on records however they are written (spaces, key order, any strings)', () => {
    fc.assert(
      fc.property(record, fc.constantFrom(undefined, 1, '\t'), (r, indent) => {
        scanAgreesWithParse(JSON.stringify(r, null, indent));
      }),
      { numRuns: 500 },
    );
  });

  it('never accepts what JSON.parse rejects: any text, and records with a byte changed, added or removed', () => {
    const mutated = fc
      .tuple(record, fc.nat(), fc.integer({ min: 0, max: 127 }), fc.constantFrom('replace', 'insert', 'delete'))
      .map(([r, at, code, how]) => {
        const text = JSON.stringify(r);
        const i = at % (text.length + 1);
        const c = String.fromCharCode(code);
        return how === 'replace'
          ? text.slice(0, i) + c + text.slice(i + 1)
          : how === 'insert'
            ? text.slice(0, i) + c + text.slice(i)
            : text.slice(0, i) + text.slice(i + 1);
      });
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json(), mutated), (text) => {
        let parses = true;
        try {
          JSON.parse(text);
        } catch {
          parses = false;
        }
        if (!parses) expect(scanAgreesWithParse(text)).toBe(false);
        else scanAgreesWithParse(text);
      }),
      { numRuns: 3000 },
    );
  });

  it('leaves unusual members to JSON.parse: duplicates, escapes, other types, a missing one', () => {
    const base = `"prevHash":"${H}","seq":3,"type":"t"`;
    for (const text of [
      `{"hash":"${H}",${base}}`,
      `{"hash":"${H}",${base},"seq":4}`,
      `{"hash":"${H}",${base},"s\\u0065q":4}`,
      `{"hash":"${H}","prevHash":"\\u0065${H.slice(1)}","seq":3}`,
      `{"hash":"${H}","prevHash":"${H}","seq":3.0}`,
      `{"hash":"${H}","prevHash":"${H}","seq":-3}`,
      `{"hash":"${H}","prevHash":"${H}","seq":"3"}`,
      `{"hash":1,"prevHash":"${H}","seq":3}`,
      `{"prevHash":"${H}","seq":3}`,
      `[{"hash":"${H}",${base}}]`,
      `{"hash":"${H}",${base}}x`,
      `${'['.repeat(300)}${']'.repeat(300)}`,
    ]) {
      expect(scanAgreesWithParse(text), text.slice(0, 60)).toBe(text === `{"hash":"${H}",${base}}`);
    }
  });
});
