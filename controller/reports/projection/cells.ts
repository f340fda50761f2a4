/**
 * The per notice × device × day cells are pure counters (sums), so a closed
 * day's cells can leave memory as an additive chunk (cellArchive.ts) and be
 * summed back with whatever else counts the same key. Pure helpers over the
 * aggregates' `cells` Map; `applyRecord` (aggregates.ts) stays the only way
 * records get in.
 */
import { type CivilDate, addCalendarDays, civilDateOf, startOfCivilDay } from '../../protocol/index.js';
import { type Aggregates, CELL_WIDTH, type Cell, cellKey } from './aggregates.js';

/**
 * Removes and returns the cells whose day is before `beforeDay`. The caller
 * owns them from then on (they are no longer in `agg`).
 */
export function takeClosedDays(agg: Aggregates, beforeDay: CivilDate): Cell[] {
  const taken: Cell[] = [];
  for (const [key, cell] of agg.cells) {
    if (cell.day < beforeDay) {
      taken.push(cell);
      agg.cells.delete(key);
    }
  }
  return taken;
}

/** Adds `cells` back into `agg` (after an archive append failed): summed into the cells of the same key. */
export function putBack(agg: Aggregates, cells: readonly Cell[]): void {
  for (const cell of cells) addInto(agg.cells, cell.noticeId, cell.deviceId, cell.villageId, cell.day, cell.v);
}

/** Sums `values` into the cell of this key in `into` (a copy is kept: `values` is never aliased). */
export function addInto(
  into: Map<string, Cell>,
  noticeId: string,
  deviceId: string,
  villageId: string,
  day: string,
  values: readonly number[],
): void {
  const key = cellKey(noticeId, deviceId, day);
  const cell = into.get(key);
  if (!cell) {
    const v = new Array<number>(CELL_WIDTH).fill(0);
    for (let i = 0; i < CELL_WIDTH; i++) v[i] = values[i] ?? 0;
    into.set(key, { noticeId, deviceId, villageId, day, v });
    return;
  }
  // The village stays the one the key's first cell said, as when folding (a cell keeps the village it was made with).
  for (let i = 0; i < CELL_WIDTH; i++) cell.v[i]! += values[i] ?? 0;
}

/**
 * When to cut: every cell whose day is before "yesterday" of the newest
 * record's time (civil date, China) is closed. Today's and yesterday's cells
 * stay in memory, where a kiosk's usual late receipts land.
 */
export class ClosedDayClock {
  /** Cells before this day are closed. */
  private cutoff: CivilDate | null = null;
  /** The instants where the cutoff changes: [start of today, start of tomorrow). */
  private from = Number.POSITIVE_INFINITY;
  private until = Number.NEGATIVE_INFINITY;

  /** Follows the newest folded record's time; true when the cutoff moved. */
  observe(ts: number): boolean {
    if (ts >= this.from && ts < this.until) return false;
    const today = civilDateOf(ts);
    this.from = startOfCivilDay(today);
    this.until = startOfCivilDay(addCalendarDays(today, 1));
    const cutoff = addCalendarDays(today, -1);
    const moved = cutoff !== this.cutoff;
    this.cutoff = cutoff;
    return moved;
  }

  /** Null until a record was observed. */
  beforeDay(): CivilDate | null {
    return this.cutoff;
  }
}

/** A range's counts summed per notice × village: what the reports that sum cells need, however many days and devices. */
export interface CellSum {
  noticeId: string;
  villageId: string;
  v: number[];
}

/**
 * Sums cell rows per notice × village. Each row counts for the village it was
 * cut with: if a device moved to another village and a late record for a day
 * before the move came after that day was archived, its chunk names the new
 * village, where a fold of the whole ledger would keep the day's first one.
 */
export class CellSums {
  private readonly sums = new Map<string, CellSum>();

  add(noticeId: string, villageId: string, values: readonly number[]): void {
    const key = `${noticeId}\u0000${villageId}`;
    let sum = this.sums.get(key);
    if (!sum) this.sums.set(key, (sum = { noticeId, villageId, v: new Array<number>(CELL_WIDTH).fill(0) }));
    for (let i = 0; i < CELL_WIDTH; i++) sum.v[i]! += values[i] ?? 0;
  }

  rows(): CellSum[] {
    return [...this.sums.values()];
  }
}

/** In-memory cells of days in [from, to], summed per notice × village (a pure rebuild's equivalent of AggregateStore.sumCells). */
export function sumCells(cells: Iterable<Cell>, from: CivilDate, to: CivilDate): CellSum[] {
  const sums = new CellSums();
  for (const c of cells) if (c.day >= from && c.day <= to) sums.add(c.noticeId, c.villageId, c.v);
  return sums.rows();
}
