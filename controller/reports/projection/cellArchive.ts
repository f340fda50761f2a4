/**
 * Closed days' report cells, out of the heap: `<data>/aggregates/cells/YYYY-MM.jsonl`,
 * append-only, one line per chunk and month:
 *
 *     {"seq":S,"cells":[[noticeId, deviceId, villageId, day, values[]], …]}
 *
 * where S is the aggregates' `throughSeq` when the chunk was cut. Cells are
 * sums, so a key may appear in many chunks (a late record for an old day is
 * one more chunk) and reading adds them up.
 *
 * Durability: a chunk is appended and the file fsynced (and the directory when
 * the file is new) before the append resolves; a failed append is cut back off
 * the file and its cells handed back to the caller. Within a file, chunks are
 * in seq order, so the start-up cut (`keepThrough`) reads only the tails.
 * A torn last line (a crash mid-append) has no newline: reads ignore it and
 * `keepThrough` cuts it.
 *
 * Appends and the start of each read go through one queue, so a read sees
 * exactly the chunks appended before it was asked for (see `read`).
 */
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { syncDir } from '../../store/durableFile.js';
import { type Cell, type CellRow, toRow } from './aggregates.js';
import { keepThroughSeq } from './cellArchiveTail.js';

export const CELLS_DIR = path.join('aggregates', 'cells');
const MONTH_FILE = /^(\d{4}-\d{2})\.jsonl$/;

interface Job {
  /** The chunk's rows; after a failure, only those handed back to memory (a read visits them from here). */
  rows: readonly CellRow[];
  failed: boolean;
}

interface Written {
  file: string;
  month: string;
  /** The file's size before this append: what a roll-back cuts it back to. */
  size: number;
  /** The whole line was written and synced. */
  complete: boolean;
}

/** A missing directory is an empty archive; any other error (EMFILE, EACCES…) must not read as "no closed days". */
const noDirAsEmpty = <T>(error: unknown, empty: T): T => {
  if ((error as NodeJS.ErrnoException).code === 'ENOENT') return empty;
  throw error;
};

export class CellArchiveError extends Error {}

export class CellArchive {
  private tail: Promise<unknown> = Promise.resolve();
  private readonly inflight = new Set<Job>();
  /** Set when a failed append could not be cut back off its file: no more appends until a restart. */
  private poisoned: Error | null = null;

  constructor(readonly dir: string) {}

  private enqueue<T>(op: () => Promise<T>): Promise<T> {
    const result = this.tail.then(op);
    this.tail = result.catch(() => undefined);
    return result;
  }

  async open(): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
  }

  /** Appends asked for and not finished yet. */
  pending(): number {
    return this.inflight.size;
  }

  /** Resolves once every append asked for so far has finished (durably, or handed back). */
  idle(): Promise<void> {
    return this.enqueue(() => Promise.resolve());
  }

  /**
   * Appends one chunk (one line per month it touches). On failure the lines
   * already written are cut back off and `onFailed` gets back, before the next
   * queued operation runs, every cell that is not in the archive; the promise
   * still resolves. A month whose whole line was written but could not be cut
   * back off stays archived (its cells are not handed back, or they would
   * count twice), and the archive takes no more appends until a restart.
   */
  append(seq: number, cells: readonly Cell[], onFailed: (error: unknown, handedBack: readonly Cell[]) => void): Promise<void> {
    const byMonth = new Map<string, Cell[]>();
    for (const cell of cells) {
      const month = cell.day.slice(0, 7);
      const list = byMonth.get(month) ?? [];
      list.push(cell);
      byMonth.set(month, list);
    }
    const job: Job = { rows: cells.map(toRow), failed: false };
    this.inflight.add(job);
    return this.enqueue(async () => {
      const written: Written[] = [];
      try {
        if (this.poisoned) throw this.poisoned;
        for (const [month, list] of [...byMonth].sort(([a], [b]) => a.localeCompare(b))) {
          const file = path.join(this.dir, `${month}.jsonl`);
          const size = await stat(file).then(
            (s) => s.size,
            (error: unknown) => {
              // Only a missing file is a new month; any other error must not make a roll-back cut the whole file.
              if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
              throw error;
            },
          );
          const entry: Written = { file, month, size: size ?? 0, complete: false };
          written.push(entry);
          const handle = await open(file, 'a', 0o600);
          try {
            await handle.writeFile(`${JSON.stringify({ seq, cells: list.map(toRow) })}\n`);
            await handle.sync();
          } finally {
            await handle.close();
          }
          entry.complete = true;
          if (size === null) await syncDir(this.dir);
        }
      } catch (error) {
        const stuck = await this.rollBack(written);
        const archived = new Set(written.filter((w) => w.complete && stuck.has(w.file)).map((w) => w.month));
        const back = [...byMonth].flatMap(([month, list]) => (archived.has(month) ? [] : list));
        job.rows = back.map(toRow);
        job.failed = true;
        onFailed(error, back);
      } finally {
        this.inflight.delete(job);
      }
    });
  }

  /** Cuts each written line back off; returns the files that could not be cut (and poisons the archive if any). */
  private async rollBack(written: readonly Written[]): Promise<Set<string>> {
    const stuck = new Set<string>();
    for (const { file, size } of written) {
      try {
        const handle = await open(file, 'r+');
        try {
          await handle.truncate(size);
          await handle.sync();
        } finally {
          await handle.close();
        }
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
        stuck.add(file);
        this.poisoned = new CellArchiveError(`could not cut a failed chunk back off ${file}; no more appends until a restart`, {
          cause: error,
        });
      }
    }
    return stuck;
  }

  /** At start, with a snapshot at `seq`: drops every chunk cut after it (the replay derives them again) and any torn last line. */
  keepThrough(seq: number): Promise<number> {
    return this.enqueue(async () => {
      let dropped = 0;
      for (const name of await this.monthFiles()) dropped += await keepThroughSeq(path.join(this.dir, name.file), seq);
      if (dropped > 0) await syncDir(this.dir);
      return dropped;
    });
  }

  /** Removes every chunk (before a full rebuild from the ledger). */
  clear(): Promise<void> {
    return this.enqueue(async () => {
      const files = await readdir(this.dir).catch((error: unknown) => noDirAsEmpty(error, [] as string[]));
      for (const name of files) await rm(path.join(this.dir, name), { force: true, recursive: true });
      if (files.length > 0) await syncDir(this.dir);
      this.poisoned = null;
    });
  }

  private async monthFiles(): Promise<{ file: string; month: string }[]> {
    const entries = await readdir(this.dir, { withFileTypes: true }).catch((error: unknown) => noDirAsEmpty(error, []));
    return entries.flatMap((entry) => {
      const m = entry.isFile() ? MONTH_FILE.exec(entry.name) : null;
      return m ? [{ file: entry.name, month: m[1]! }] : [];
    });
  }

  /**
   * Calls `visit` with every cell row of a day in [from, to], chunk by chunk
   * (a key may come several times: the caller sums), then with `hot` (the
   * caller's copy of the in-memory cells, taken synchronously just before
   * this call). The file sizes are taken in queue order, so the view is the
   * one at the time of the call: chunks cut before it are in the files (or,
   * if their append failed, visited from the job here); chunks cut after it
   * are still in `hot` and lie beyond the sizes read. Streams: memory stays
   * one chunk, however long the range.
   */
  read(from: string, to: string, hot: readonly CellRow[], visit: (row: CellRow) => void): Promise<void> {
    const jobs = [...this.inflight];
    const pinned = this.enqueue(async () => {
      const files = (await this.monthFiles()).filter((f) => f.month >= from.slice(0, 7) && f.month <= to.slice(0, 7));
      const sizes: { file: string; size: number }[] = [];
      for (const f of files.sort((a, b) => a.month.localeCompare(b.month))) {
        const file = path.join(this.dir, f.file);
        sizes.push({ file, size: (await stat(file)).size });
      }
      return sizes;
    });
    return pinned.then(async (sizes) => {
      const inRange = (row: CellRow): void => {
        if (row[3] >= from && row[3] <= to) visit(row);
      };
      for (const { file, size } of sizes) await readChunks(file, size, (rows) => rows.forEach(inRange));
      for (const job of jobs) if (job.failed) job.rows.forEach(inRange);
      hot.forEach(inRange);
    });
  }
}

/** Calls `each` with every whole chunk in the first `size` bytes of `file`; a torn last line is ignored. */
async function readChunks(file: string, size: number, each: (rows: CellRow[]) => void): Promise<void> {
  if (size === 0) return;
  let parts: string[] = [];
  let line = 0;
  const parse = (text: string): void => {
    line++;
    if (text === '') return;
    let chunk: { seq?: unknown; cells?: unknown };
    try {
      chunk = JSON.parse(text) as typeof chunk;
    } catch (error) {
      throw new CellArchiveError(`${file}:${line}: not a cell chunk (报表归档文件损坏); rebuild the aggregates from the ledger`, {
        cause: error,
      });
    }
    if (!Array.isArray(chunk.cells)) throw new CellArchiveError(`${file}:${line}: a chunk without cells (报表归档文件损坏)`);
    each(chunk.cells as CellRow[]);
  };
  for await (const piece of createReadStream(file, { start: 0, end: size - 1, encoding: 'utf8' })) {
    const text = piece as string;
    let start = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      parts.push(text.slice(start, nl));
      parse(parts.join(''));
      parts = [];
      start = nl + 1;
    }
    if (start < text.length) parts.push(text.slice(start));
  }
  // What is left in `parts` has no newline after it: a torn append, or nothing.
}
