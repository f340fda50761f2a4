import { describe, expect, it } from 'vitest';
import {
  INTERACTION_TYPES,
  LEDGER_TYPES,
  type StoredLedgerRecord,
  isLedgerRecord,
  isLedgerType,
  parseLedgerEntry,
} from '../../controller/protocol/index.js';

const stamp = { seq: 7, ts: 1_760_000_000_000, prevHash: '0'.repeat(64), hash: 'f'.repeat(64) };

describe('the declared ledger records', () => {
  it('declares a record type for every interaction a kiosk reports', () => {
    for (const type of INTERACTION_TYPES) expect(isLedgerType(type), type).toBe(true);
  });

  it('reads a declared record, keeping fields a newer writer added', () => {
    const record = { ...stamp, type: 'village.renamed', villageId: 'v1', name: '彪角村', actorId: 'u1', note: 'added later' };
    expect(parseLedgerEntry(record)).toMatchObject({ type: 'village.renamed', name: '彪角村', note: 'added later' });
  });

  it('reads a record of an undeclared type, or one whose fields do not match, as null (shown raw), never throwing', () => {
    expect(parseLedgerEntry({ ...stamp, type: 'village.merged', villageIds: ['v1', 'v2'] })).toBeNull();
    expect(parseLedgerEntry({ ...stamp, type: 'village.renamed', villageId: 'v1' })).toBeNull();
    expect(parseLedgerEntry({ type: '__proto__' })).toBeNull();
    expect(isLedgerType('toString')).toBe(false);
  });

  it('narrows a stored record by its type', () => {
    const record: StoredLedgerRecord = { ...stamp, type: 'device.receipt-gap', deviceId: 'k1', missing: 3 };
    expect(isLedgerRecord(record, 'device.receipt-gap') && record.missing).toBe(3);
    expect(isLedgerRecord(record, 'device.online')).toBe(false);
  });

  it('lists each type once', () => {
    expect(new Set(LEDGER_TYPES).size).toBe(LEDGER_TYPES.length);
  });
});
