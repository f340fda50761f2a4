/**
 * The cell archive on its own: chunks appended per month, read back summed by
 * key over a date range, a torn last line ignored and then cut, chunks cut
 * after a snapshot's seq dropped, and a failed append taken back off the file.
 */
import { appendFile, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CELL_WIDTH, type Cell, toRow } from '../../../controller/reports/projection/aggregates.js';
import { CellArchive } from '../../../controller/reports/projection/cellArchive.js';
import { addInto } from '../../../controller/reports/projection/cells.js';

let dir: string;
let archive: CellArchive;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'gongshi-cells-'));
  archive = new CellArchive(path.join(dir, 'cells'));
  await archive.open();
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const cell = (noticeId: string, deviceId: string, day: string, showings: number, ms = showings * 1000): Cell => {
  const v = new Array<number>(CELL_WIDTH).fill(0);
  v[0] = showings;
  v[1] = ms;
  return { noticeId, deviceId, villageId: 'v1', day, v };
};
/** Reads [from, to] with `hot` added, summed by key. */
const sumRead = async (from: string, to: string, hot: Cell[] = []): Promise<Map<string, Cell>> => {
  const out = new Map<string, Cell>();
  await archive.read(from, to, hot.map(toRow), ([n, d, v, day, values]) => addInto(out, n, d, v, day, values));
  return out;
};
const noFailure = (error: unknown): void => {
  throw new Error(`unexpected append failure: ${String(error)}`);
};
/** [key, showings, ms], sorted. */
const figures = (cells: Map<string, Cell>) =>
  [...cells.values()]
    .map((c) => [`${c.noticeId}/${c.deviceId}/${c.day}`, c.v[0], c.v[1]])
    .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
const lines = async (month: string) => (await readFile(path.join(dir, 'cells', `${month}.jsonl`), 'utf8')).split('\n');

describe('cell archive', () => {
  it('appends one line per month a chunk touches and reads a range back summed by key', async () => {
    await archive.append(
      5,
      [cell('n1', 'd1', '2026-03-30', 2), cell('n1', 'd1', '2026-04-01', 3), cell('n2', 'd1', '2026-04-02', 1)],
      noFailure,
    );
    // A late record for an old day: one more chunk for the same key.
    await archive.append(9, [cell('n1', 'd1', '2026-03-30', 4)], noFailure);
    expect((await readdir(path.join(dir, 'cells'))).sort()).toEqual(['2026-03.jsonl', '2026-04.jsonl']);
    expect(await lines('2026-03')).toEqual([expect.stringMatching(/^\{"seq":5,"cells":/), expect.stringMatching(/^\{"seq":9,/), '']);

    expect(figures(await sumRead('2026-03-01', '2026-04-30'))).toEqual([
      ['n1/d1/2026-03-30', 6, 6000],
      ['n1/d1/2026-04-01', 3, 3000],
      ['n2/d1/2026-04-02', 1, 1000],
    ]);
    // Only the days asked for, across the month boundary, with the caller's in-memory cells added.
    const hot = [cell('n1', 'd1', '2026-04-01', 10)];
    expect(figures(await sumRead('2026-03-31', '2026-04-01', hot))).toEqual([['n1/d1/2026-04-01', 13, 13000]]);
    expect(figures(await sumRead('2026-05-01', '2026-05-31'))).toEqual([]);
  });

  it('ignores a torn last line when reading and cuts it at the next start', async () => {
    await archive.append(3, [cell('n1', 'd1', '2026-03-02', 1)], noFailure);
    const file = path.join(dir, 'cells', '2026-03.jsonl');
    await appendFile(file, '{"seq":4,"cells":[["n1","d1","v1","2026-03-02",[7');
    expect(figures(await sumRead('2026-03-01', '2026-03-31'))).toEqual([['n1/d1/2026-03-02', 1, 1000]]);

    expect(await new CellArchive(path.join(dir, 'cells')).keepThrough(10)).toBe(1);
    expect(await lines('2026-03')).toEqual([expect.stringMatching(/^\{"seq":3,/), '']);
    // An append after the cut starts on a line of its own.
    await archive.append(4, [cell('n1', 'd1', '2026-03-02', 2)], noFailure);
    expect(figures(await sumRead('2026-03-01', '2026-03-31'))).toEqual([['n1/d1/2026-03-02', 3, 3000]]);
  });

  it('drops the chunks cut after a seq in every month file, and only those', async () => {
    await archive.append(10, [cell('n1', 'd1', '2026-03-30', 1), cell('n1', 'd1', '2026-04-01', 1)], noFailure);
    await archive.append(20, [cell('n1', 'd1', '2026-03-30', 2)], noFailure);
    await archive.append(30, [cell('n1', 'd1', '2026-03-31', 4), cell('n1', 'd1', '2026-04-02', 4)], noFailure);
    await archive.append(40, [cell('n1', 'd1', '2026-04-02', 8)], noFailure);
    expect(await archive.keepThrough(20)).toBe(3);
    expect(figures(await sumRead('2026-01-01', '2026-12-31'))).toEqual([
      ['n1/d1/2026-03-30', 3, 3000],
      ['n1/d1/2026-04-01', 1, 1000],
    ]);
    // Everything dropped: the file goes.
    expect(await archive.keepThrough(5)).toBe(3);
    expect(await readdir(path.join(dir, 'cells'))).toEqual([]);
  });

  it('takes a failed append back off the files and hands its cells back', async () => {
    await archive.append(1, [cell('n1', 'd1', '2026-03-02', 1)], noFailure);
    const before = await readFile(path.join(dir, 'cells', '2026-03.jsonl'), 'utf8');
    // April's file cannot be opened for appending: the March line of the same chunk must go too.
    await mkdir(path.join(dir, 'cells', '2026-04.jsonl'));
    const failures: unknown[] = [];
    await archive.append(2, [cell('n1', 'd1', '2026-03-03', 5), cell('n1', 'd1', '2026-04-01', 5)], (e) => failures.push(e));
    expect(failures).toHaveLength(1);
    expect(await readFile(path.join(dir, 'cells', '2026-03.jsonl'), 'utf8')).toBe(before);
    expect(archive.pending()).toBe(0);
  });

  it('a read sees the chunks appended before it was asked for, not those after', async () => {
    await archive.append(1, [cell('n1', 'd1', '2026-03-02', 1)], noFailure);
    const reading = sumRead('2026-03-01', '2026-03-31');
    const later = archive.append(2, [cell('n1', 'd1', '2026-03-02', 100)], noFailure);
    expect(figures(await reading)).toEqual([['n1/d1/2026-03-02', 1, 1000]]);
    await later;
    expect(figures(await sumRead('2026-03-01', '2026-03-31'))).toEqual([['n1/d1/2026-03-02', 101, 101000]]);
  });

  it('refuses a damaged line in the middle of a month file with an error naming it', async () => {
    await writeFile(path.join(dir, 'cells', '2026-03.jsonl'), 'garbage\n{"seq":2,"cells":[]}\n');
    await expect(sumRead('2026-03-01', '2026-03-31')).rejects.toThrow(/2026-03\.jsonl:1: not a cell chunk/);
  });
});
