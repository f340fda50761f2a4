/**
 * The controller's own signs' cards, coalesced before the ledger
 * (services/signIntervals.ts), over a real ledger in a temp directory: one
 * record per sign, notice and period; and after a run that ended without a
 * stop (a kill -9: the instance is dropped, its files left as they are), the
 * next start records each interval it had noted exactly once.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../controller/logger.js';
import { SHOWING_INTERVAL_MS, periodOf } from '../../../controller/protocol/index.js';
import { SIGN_INTERVALS_FILE, type SignIntervalRecords, createSignIntervalRecords } from '../../../controller/services/signIntervals.js';
import { type Ledger, type LedgerEntry, createLedger } from '../../../controller/store/ledger.js';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);
const notices = [
  { id: 'n-a', versions: [{ contentHash: A }] },
  { id: 'n-b', versions: [{ contentHash: B }] },
];
/** 09:00 in the town (UTC+8), inside the 08:00–12:00 period. */
const NINE = Date.UTC(2026, 11, 7, 1, 0);

let dir = '';
let now = NINE;
const logger = createLogger({ level: 'error' });

async function open(): Promise<{ ledger: Ledger; records: SignIntervalRecords }> {
  const ledger = createLedger({ dataDir: dir, logger, now: () => now }) as Ledger;
  await ledger.start();
  const records = createSignIntervalRecords({ ledger, dataDir: dir, now: () => now, notices: () => notices, logger, noteEveryMs: 20 });
  await records.start();
  return { ledger, records };
}

const card = (contentHash: string, start: number, endReason = 'replaced'): LedgerEntry => ({
  type: 'sign.display',
  signId: 'town-sign',
  villageId: 'v1',
  contentHash,
  start,
  end: start + 10_000,
  proof: 'acknowledged',
  endReason,
});

async function displays(ledger: Ledger): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for await (const r of ledger.records()) if (r.type === 'sign.display') out.push(r);
  return out;
}

const settle = (ms = 100) => new Promise((r) => setTimeout(r, ms));

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'gongshi-sign-intervals-'));
  now = NINE;
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the controller’s sign intervals', () => {
  it('record a rotation as one record per notice, closed when its period is over, and pass other records through', async () => {
    const { ledger, records } = await open();
    for (let i = 0; i < 30; i++) await records.put([card(A, NINE + i * 20_000), card(B, NINE + i * 20_000 + 10_000)]);
    await records.put([
      { type: 'sign.link-down', signId: 'town-sign', villageId: 'v1', portPath: '/dev/ttyUSB0', at: NINE + 700_000, cause: 'link' },
    ]);
    expect(await displays(ledger)).toEqual([]);
    now = periodOf({ startedAt: NINE }) + SHOWING_INTERVAL_MS + 1_000;
    await settle();
    const shown = await displays(ledger);
    expect(shown).toHaveLength(2);
    expect(shown.find((r) => r.contentHash === A)).toMatchObject({ villageId: 'v1', start: NINE, showings: 30, shownMs: 300_000 });
    await records.stop();
    await ledger.stop();
  });

  it('record the intervals a killed run noted, once, and not again after the next stop', async () => {
    let { ledger, records } = await open();
    for (let i = 0; i < 5; i++) await records.put([card(A, NINE + i * 20_000)]);
    await settle();
    // Killed: neither stopped nor flushed; the ledger's own appends were durable.
    await ledger.stop();
    now += 60_000;
    ({ ledger, records } = await open());
    expect(await displays(ledger)).toEqual([expect.objectContaining({ contentHash: A, showings: 5, start: NINE, end: NINE + 90_000 })]);
    await records.stop();
    await ledger.stop();
    ({ ledger, records } = await open());
    expect(await displays(ledger)).toHaveLength(1);
    await records.stop();
    await ledger.stop();
  });

  it('do not record again an interval that closed into the ledger after the last note', async () => {
    let { ledger, records } = await open();
    await records.put([card(A, NINE), card(A, NINE + 20_000)]);
    await settle();
    // The note names the interval open; then its last card ends with the link lost and it is recorded; the kill comes
    // before the next note (the note of that moment is put back).
    const noted = await readFile(path.join(dir, SIGN_INTERVALS_FILE));
    expect((JSON.parse(noted.toString()) as { intervals: unknown[] }).intervals).toHaveLength(1);
    await records.put([card(A, NINE + 40_000, 'link-lost')]);
    await ledger.stop();
    await writeFile(path.join(dir, SIGN_INTERVALS_FILE), noted);
    ({ ledger, records } = await open());
    expect(await displays(ledger)).toEqual([expect.objectContaining({ contentHash: A, showings: 3, endReason: 'link-lost' })]);
    await records.stop();
    await ledger.stop();
  });
});
