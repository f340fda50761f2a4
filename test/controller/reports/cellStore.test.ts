/**
 * The aggregate store keeps only today's and yesterday's cells in memory and
 * archives the rest, yet `cells(from, to)` always equals a pure rebuild of the
 * same ledger: live, after a kill between an archive append and the next
 * snapshot, and after a full rebuild over an existing archive.
 */
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../controller/logger.js';
import { type Cell, rebuildAggregates } from '../../../controller/reports/projection/aggregates.js';
import { type CellSum, sumCells } from '../../../controller/reports/projection/cells.js';
import { CELLS_DIR, SNAPSHOT_FILE, createAggregateStore } from '../../../controller/reports/projection/store.js';
import { observeLedger } from '../../../controller/reports/projection/tap.js';
import { createLedger } from '../../../controller/store/ledger.js';

const logger = createLogger({ level: 'silent' });
const HOUR = 3_600_000;
/** 2026-03-29 10:00 in Beijing: five days from here cross a month boundary. */
const DAY0 = Date.parse('2026-03-29T02:00:00Z');
const ALL = ['0000-01-01', '9999-12-31'] as const;
const RANGES: (readonly [string, string])[] = [
  ALL,
  ['2026-03-29', '2026-03-29'],
  ['2026-03-30', '2026-04-01'],
  ['2026-04-01', '2026-04-30'],
  ['2026-04-02', '2026-04-02'],
  ['2026-05-01', '2026-05-31'],
];
let dir: string;
let now = DAY0;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'gongshi-cellstore-'));
  now = DAY0;
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function open() {
  const ledger = observeLedger(createLedger({ dataDir: dir, logger, now: () => now }));
  await ledger.start();
  const store = createAggregateStore({ dataDir: dir, ledger, logger, snapshotEvery: 1_000_000 });
  await store.start();
  return { ledger, store };
}

const display = (noticeId: string, deviceId: string, startedAt: number, seconds: number) => ({
  type: 'display.kiosk',
  receiptId: `${noticeId}-${deviceId}-${startedAt}-${seconds}`,
  noticeId,
  deviceId,
  villageId: 'v1',
  contentHash: 'c'.repeat(64),
  startedAt,
  endedAt: startedAt + seconds * 1000,
  clockTrusted: true,
});
const rating = (noticeId: string, deviceId: string, at: number, stars: number) => ({
  type: 'interaction.rated',
  noticeId,
  deviceId,
  at,
  rating: stars,
});

/** One simulated day: the ledger's clock on `day`, displays and ratings on it, and a late receipt for the first day. */
async function day(ledger: Awaited<ReturnType<typeof open>>['ledger'], d: number): Promise<void> {
  now = DAY0 + d * 24 * HOUR;
  for (let i = 0; i < 6; i++) {
    await ledger.append([
      // Shown in the hour before the ledger's clock: a receipt arrives after its showing ends.
      display(`n${i % 3}`, `k${i % 2}`, now - HOUR + i * 60_000, i + 1),
      rating(`n${i % 3}`, `k${i % 2}`, now - HOUR + i * 60_000, (i % 5) + 1),
    ]);
  }
  if (d >= 2) await ledger.append([display('n0', 'k0', DAY0 + HOUR, 7)]);
}

const sorted = (cells: Iterable<Cell>) =>
  [...cells].map((c) => [c.noticeId, c.deviceId, c.villageId, c.day, ...c.v].join(' ')).sort((a, b) => a.localeCompare(b));

/** What a pure rebuild of the ledger gives for [from, to]. */
async function expected(ledger: Awaited<ReturnType<typeof open>>['ledger'], from: string, to: string) {
  const agg = await rebuildAggregates(ledger.records());
  return sorted([...agg.cells.values()].filter((c) => c.day >= from && c.day <= to));
}

const sortedSums = (sums: CellSum[]) => sums.map((c) => [c.noticeId, c.villageId, ...c.v].join(' ')).sort((a, b) => a.localeCompare(b));

async function expectSameAsRebuild(h: Awaited<ReturnType<typeof open>>): Promise<void> {
  const agg = await rebuildAggregates(h.ledger.records());
  for (const [from, to] of RANGES) {
    expect(sorted(await h.store.cells(from, to)), `${from}..${to}`).toEqual(await expected(h.ledger, from, to));
    // What the reports read: the same counts per notice × village.
    expect(sortedSums(await h.store.sumCells(from, to)), `${from}..${to}`).toEqual(sortedSums(sumCells(agg.cells.values(), from, to)));
  }
}

/** Every chunk's seq, per month file. */
async function chunkSeqs(): Promise<Record<string, number[]>> {
  const out: Record<string, number[]> = {};
  for (const name of (await readdir(path.join(dir, CELLS_DIR))).sort()) {
    const text = await readFile(path.join(dir, CELLS_DIR, name), 'utf8');
    out[name] = text
      .split('\n')
      .filter(Boolean)
      .map((l) => (JSON.parse(l) as { seq: number }).seq);
  }
  return out;
}

describe('report cells out of the heap', () => {
  it('keep only today and yesterday in memory, and read every range as a rebuild does', async () => {
    const h = await open();
    for (let d = 0; d < 5; d++) await day(h.ledger, d);
    // The ledger's clock is on 04-02: 04-01 and 04-02 stay in memory.
    expect(new Set([...h.store.current().cells.values()].map((c) => c.day))).toEqual(new Set(['2026-04-01', '2026-04-02']));
    // The late receipts for 03-29 were cut as chunks of their own, in the month they count in.
    const seqs = await chunkSeqs();
    expect(Object.keys(seqs)).toEqual(['2026-03.jsonl']);
    expect(seqs['2026-03.jsonl']!.length).toBeGreaterThanOrEqual(3);
    await expectSameAsRebuild(h);
    // The snapshot holds only the cells in memory.
    await h.store.stop();
    const snapshot = JSON.parse(await readFile(path.join(dir, SNAPSHOT_FILE), 'utf8')) as { format: number; cells: unknown[] };
    expect(snapshot.format).toBe(6);
    expect(snapshot.cells).toHaveLength(h.store.current().cells.size);
    await h.ledger.stop();
  });

  it('after a kill between an archive append and the next snapshot, drop the chunks cut after the snapshot and count them once', async () => {
    let h = await open();
    for (let d = 0; d < 3; d++) await day(h.ledger, d);
    await h.store.snapshot();
    const snapshotSeq = h.store.current().throughSeq;
    for (let d = 3; d < 5; d++) await day(h.ledger, d);
    // Wait for the archive appends (a read queues behind them), then "kill": no stop, no snapshot.
    await h.store.cells('2026-01-01', '2026-01-01');
    const before = await chunkSeqs();
    expect(
      Object.values(before)
        .flat()
        .some((seq) => seq > snapshotSeq),
    ).toBe(true);
    await h.ledger.stop();

    h = await open();
    expect(h.store.startedFrom().snapshotSeq).toBe(snapshotSeq);
    await expectSameAsRebuild(h);
    // The chunks after the snapshot were re-derived by the replay, not kept beside it.
    const after = await chunkSeqs();
    const through = (seqs: Record<string, number[]>) =>
      Object.values(seqs)
        .flat()
        .filter((seq) => seq <= snapshotSeq);
    expect(through(after)).toEqual(through(before));
    // And the next restart, from the snapshot written after the replay, still agrees.
    await h.store.stop();
    await h.ledger.stop();
    h = await open();
    expect(h.store.startedFrom().replayed).toBe(0);
    await expectSameAsRebuild(h);
    await h.store.stop();
    await h.ledger.stop();
  });

  it('rebuild over an existing archive without counting it twice, for an unreadable or old-format snapshot', async () => {
    let h = await open();
    for (let d = 0; d < 5; d++) await day(h.ledger, d);
    await h.store.stop();
    await h.ledger.stop();
    const file = path.join(dir, SNAPSHOT_FILE);
    const snapshot = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;

    for (const damaged of ['{"format": 5, "throughSeq"', JSON.stringify({ ...snapshot, format: 4 })]) {
      await writeFile(file, damaged);
      h = await open();
      expect(h.store.startedFrom().snapshotSeq).toBe(0);
      await expectSameAsRebuild(h);
      await h.store.stop();
      await h.ledger.stop();
    }
  });

  it('keep the cells in memory while the archive cannot take them, and archive them once it can', async () => {
    let h = await open();
    await mkdir(path.join(dir, CELLS_DIR, '2026-03.jsonl'));
    for (let d = 0; d < 4; d++) await day(h.ledger, d);
    await h.store.cells('2026-01-01', '2026-01-01');
    expect([...h.store.current().cells.values()].some((c) => c.day === '2026-03-29')).toBe(true);
    await expectSameAsRebuild(h);
    // The snapshot taken meanwhile holds them, so a restart loses nothing.
    await h.store.stop();
    await h.ledger.stop();
    await rm(path.join(dir, CELLS_DIR, '2026-03.jsonl'), { recursive: true });
    h = await open();
    await expectSameAsRebuild(h);
    await day(h.ledger, 4);
    await h.store.cells('2026-01-01', '2026-01-01');
    expect([...h.store.current().cells.values()].every((c) => c.day >= '2026-04-01')).toBe(true);
    await expectSameAsRebuild(h);
    await h.store.stop();
    await h.ledger.stop();
  });

  it('rebuild when the snapshot is ahead of the ledger, emptying the archive first', async () => {
    let h = await open();
    for (let d = 0; d < 4; d++) await day(h.ledger, d);
    await h.store.stop();
    await h.ledger.stop();
    const file = path.join(dir, SNAPSHOT_FILE);
    const snapshot = JSON.parse(await readFile(file, 'utf8')) as { throughSeq: number };
    await writeFile(file, JSON.stringify({ ...snapshot, throughSeq: snapshot.throughSeq + 100 }));
    h = await open();
    expect(h.store.startedFrom().snapshotSeq).toBe(0);
    await expectSameAsRebuild(h);
    await h.store.stop();
    await h.ledger.stop();
  });
});
