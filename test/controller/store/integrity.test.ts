/**
 * The ledger's check at start: the first one reads the whole chain, later ones
 * only what came after the last verified record (which must still be there,
 * byte for byte); a truncation, an edit after it or a rewrite through it is a
 * break that stays until staff accept the ledger with a reason.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../controller/logger.js';
import { canonicalJson } from '../../../controller/domain/canonical.js';
import { LEDGER_BREAK_ACCEPTED_TYPE, VERIFIED_FILE, createIntegrityCheck } from '../../../controller/store/integrity.js';
import { type LedgerRecord, createLedger, hashRecord, segmentName } from '../../../controller/store/ledger.js';

const NOW = Date.UTC(2026, 10, 26, 3, 0, 0);
const logger = createLogger({ level: 'silent' });
let dir: string;
let file: string;

const lines = async (): Promise<string[]> => (await readFile(file, 'utf8')).split('\n').filter(Boolean);
const save = (next: string[]): Promise<void> => writeFile(file, `${next.join('\n')}\n`);

/** Appends `n` records with a fresh ledger and runs its start check, as a controller start does. */
async function startAndAppend(n: number) {
  const ledger = createLedger({ dataDir: dir, logger, now: () => NOW });
  await ledger.start();
  const integrity = createIntegrityCheck({ dataDir: dir, ledger, now: () => NOW, logger });
  const status = await integrity.check();
  for (let i = 0; i < n; i++) await ledger.append([{ type: 'display.kiosk', n: i }]);
  return { ledger, integrity, status };
}

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'gongshi-integrity-'));
  file = path.join(dir, 'ledger', segmentName(NOW));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('ledger check at start', () => {
  it('reads the whole chain once, then only what came after the last verified record', async () => {
    const first = await startAndAppend(100);
    expect(first.status).toMatchObject({ status: 'ok', verifiedSeq: 0 });
    await first.ledger.stop();
    const second = await startAndAppend(20);
    // No mark yet (the first start found an empty ledger): the whole chain.
    expect(second.status).toMatchObject({ status: 'ok', verifiedSeq: 100, recordsRead: 100, whole: true });
    await second.ledger.stop();
    const third = await startAndAppend(0);
    // The verified record itself, then the 20 after it.
    expect(third.status).toMatchObject({ status: 'ok', verifiedSeq: 120, recordsRead: 21, whole: false });
    expect(JSON.parse(await readFile(path.join(dir, VERIFIED_FILE), 'utf8'))).toMatchObject({ seq: 120 });
    await third.ledger.stop();
  });

  it.each([
    ['truncated below the verified record', (l: string[]) => l.slice(0, 90), /not there: the ledger was truncated/],
    ['a record after it edited', (l: string[]) => l.map((x, i) => (i === 105 ? x.replace('"n":5', '"n":6') : x)), /edited/],
    [
      'the chain rewritten through it (every hash recomputed)',
      (l: string[]) => {
        let prev = '0'.repeat(64);
        return l.map((x, i) => {
          const { hash: _old, ...record } = JSON.parse(x) as LedgerRecord;
          const next = { ...record, prevHash: prev, ...(i === 3 ? { n: 'rewritten' } : {}) };
          prev = hashRecord(next);
          return canonicalJson({ ...next, hash: prev });
        });
      },
      /rewritten/,
    ],
  ])('finds the ledger %s, and keeps the break until staff accept it', async (_what, tamper, reason) => {
    await (await startAndAppend(100)).ledger.stop();
    await (await startAndAppend(10)).ledger.stop(); // verified through 100
    await save(tamper(await lines()));
    const { ledger, integrity, status } = await startAndAppend(0);
    expect(status).toMatchObject({ status: 'broken', verifiedSeq: 100, broken: { reason: expect.stringMatching(reason) } });
    // Checking again does not clear it.
    expect((await integrity.check()).status).toBe('broken');

    const accepted = await integrity.accept('查明为测试篡改，已从备份核对', 'u-admin');
    expect(accepted).toMatchObject({ status: 'ok' });
    const tail = (await lines()).map((l) => JSON.parse(l) as LedgerRecord).at(-1);
    expect(tail).toMatchObject({ type: LEDGER_BREAK_ACCEPTED_TYPE, reason: '查明为测试篡改，已从备份核对', actorId: 'u-admin' });
    await ledger.stop();
    // The next start checks from the acceptance record on.
    const after = await startAndAppend(0);
    expect(after.status).toMatchObject({ status: 'ok', verifiedSeq: tail?.seq, whole: false });
    await after.ledger.stop();
  });
});
