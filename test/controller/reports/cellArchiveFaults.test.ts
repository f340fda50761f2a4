/**
 * The cell archive when the file system fails in ways a test cannot provoke
 * with files alone (as root, permissions do not stop a write): a roll-back
 * that cannot cut its line back off, and a directory that cannot be listed.
 * The failing calls are swapped into node:fs/promises for one test at a time.
 */
import fs, { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { syncBuiltinESMExports } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CELL_WIDTH, type Cell } from '../../../controller/reports/projection/aggregates.js';
import { CellArchive } from '../../../controller/reports/projection/cellArchive.js';

const realOpen = fs.open;
const realReaddir = fs.readdir;
let dir: string;
let archive: CellArchive;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'gongshi-cells-faults-'));
  archive = new CellArchive(path.join(dir, 'cells'));
  await archive.open();
});
afterEach(async () => {
  Object.assign(fs, { open: realOpen, readdir: realReaddir });
  syncBuiltinESMExports();
  await rm(dir, { recursive: true, force: true });
});

const cell = (day: string, showings: number): Cell => {
  const v = new Array<number>(CELL_WIDTH).fill(0);
  v[0] = showings;
  return { noticeId: 'n1', deviceId: 'd1', villageId: 'v1', day, v };
};
const emfile = (): never => {
  throw Object.assign(new Error('EMFILE: too many open files'), { code: 'EMFILE' });
};
const showingsIn = async (from: string, to: string, hot: Cell[]): Promise<number> => {
  let sum = 0;
  await archive.read(
    from,
    to,
    hot.map((c) => [c.noticeId, c.deviceId, c.villageId, c.day, c.v]),
    (row) => (sum += row[4][0] ?? 0),
  );
  return sum;
};

describe('cell archive faults', () => {
  it('keeps a line it could not cut back off as archived, hands back only the rest, and takes no more appends', async () => {
    // March's line is written and synced; April's file cannot be opened; cutting March back fails too.
    await mkdir(path.join(dir, 'cells', '2026-04.jsonl'));
    Object.assign(fs, { open: (file: string, flags: string, mode?: number) => (flags === 'r+' ? emfile() : realOpen(file, flags, mode)) });
    syncBuiltinESMExports();
    const back: Cell[][] = [];
    await archive.append(7, [cell('2026-03-30', 5), cell('2026-04-01', 3)], (_error, cells) => back.push([...cells]));

    expect(back.map((cells) => cells.map((c) => c.day))).toEqual([['2026-04-01']]);
    expect(await readFile(path.join(dir, 'cells', '2026-03.jsonl'), 'utf8')).toContain('"seq":7');
    // The caller puts the handed-back April cell into memory: every showing counts once.
    expect(await showingsIn('2026-03-01', '2026-04-30', back[0]!)).toBe(8);

    const refused: Cell[][] = [];
    await archive.append(8, [cell('2026-03-31', 2)], (_error, cells) => refused.push([...cells]));
    expect(refused.map((cells) => cells.length)).toEqual([1]);
  });

  it('fails a read whose month files cannot be listed, instead of answering without the closed days', async () => {
    await archive.append(1, [cell('2026-03-02', 5)], () => {
      throw new Error('unexpected append failure');
    });
    expect(await showingsIn('2026-03-01', '2026-03-31', [])).toBe(5);
    Object.assign(fs, { readdir: () => Promise.reject(Object.assign(new Error('EMFILE: too many open files'), { code: 'EMFILE' })) });
    syncBuiltinESMExports();
    await expect(showingsIn('2026-03-01', '2026-03-31', [])).rejects.toThrow(/EMFILE/);
    await expect(archive.clear()).rejects.toThrow(/EMFILE/);
  });
});
