/**
 * The annual report's tables laid out as the template prints them: header rows
 * with their spans, the row labels of 三 over three columns (三、本年度办理结果 /
 * （三）不予公开 / 1.属于国家秘密), 二's sub-tables as one table, and column widths
 * in millimetres. The HTML print page and the DOCX draw the same grid.
 */
import type { ReportTable } from './reports.js';

export interface GridCell {
  text: string;
  colSpan: number;
  rowSpan: number;
  kind: 'head' | 'label' | 'value';
  /** A value cell's id (`t3.total.natural`). */
  cellId?: string;
  /** 二's sub-table titles (第二十条第（一）项) stand as a full-width row. */
  caption?: boolean;
}

/** Rows list only the cells that start in them, as HTML does. */
export interface Grid {
  widthsMm: number[];
  head: GridCell[][];
  body: GridCell[][];
}

/** The text width of an A4 page with the GB/T 9704 margins (28 mm left, 26 mm right). */
export const PAGE_TEXT_MM = 156;

const formatValue = (value: number | null): string => (value === null ? '' : String(value));
const one = (text: string, kind: GridCell['kind'], colSpan = 1, rowSpan = 1): GridCell => ({ text, kind, colSpan, rowSpan });

function equalWidths(count: number, labelMm: number): number[] {
  const rest = (PAGE_TEXT_MM - labelMm) / Math.max(1, count - 1);
  return [labelMm, ...new Array<number>(count - 1).fill(rest)];
}

/**
 * One table's grid. Row labels spread over `labelCols` columns by their indent:
 * a heading takes one column and spans the rows under it; a data row's label
 * takes the columns from its indent to the last label column. With `labelCols`
 * 0 (四) the rows print their values only.
 */
export function tableGrid(table: ReportTable): Grid {
  const labelCols = table.labelCols ?? 1;
  const valueCols = table.rows.find((r) => !r.heading)?.cells.length ?? table.cols.length - 1;
  const head = table.head?.map((r) => r.map((c) => ({ ...c, kind: 'head' as const }))) ?? [table.cols.map((c) => one(c, 'head'))];
  const body: GridCell[][] = [];
  let pending: GridCell[] = [];
  table.rows.forEach((row, i) => {
    if (row.heading && labelCols > 1) {
      let span = 0;
      for (const next of table.rows.slice(i + 1)) {
        if (next.indent <= row.indent) break;
        if (!next.heading) span++;
      }
      pending.push(one(row.label, 'label', 1, Math.max(1, span)));
      return;
    }
    if (row.heading) {
      body.push([one(row.label, 'label', labelCols + valueCols)]);
      return;
    }
    const labelSpan = Math.max(1, labelCols - Math.min(row.indent, labelCols - 1));
    body.push([
      ...pending,
      ...(labelCols > 0 ? [one(row.label, 'label', labelSpan)] : []),
      ...row.cells.map((c) => ({ ...one(formatValue(c.value), 'value'), cellId: c.id })),
    ]);
    pending = [];
  });
  const widthsMm = table.widthsMm ?? (labelCols > 0 ? equalWidths(labelCols + valueCols, 40) : equalWidths(valueCols + 1, 0).slice(1));
  return { widthsMm, head, body };
}

/**
 * 二 as the template prints it: one table, each 第二十条 item a full-width title
 * row, then its own header row and data rows; a sub-table with fewer columns
 * lets its last column span the rest.
 */
export function t2Grid(tables: readonly ReportTable[]): Grid {
  const width = Math.max(...tables.map((t) => t.cols.length));
  const body: GridCell[][] = [];
  const spanOf = (cols: number, c: number): number => (c === cols - 1 ? width - cols + 1 : 1);
  for (const table of tables) {
    const cols = table.cols.length;
    body.push([{ ...one(table.caption, 'head', width), caption: true }]);
    body.push(table.cols.map((c, i) => one(c, 'head', spanOf(cols, i))));
    for (const row of table.rows) {
      body.push([
        one(row.label, 'label'),
        ...row.cells.map((c, i) => ({ ...one(formatValue(c.value), 'value', spanOf(cols, i + 1)), cellId: c.id })),
      ]);
    }
  }
  return { widthsMm: equalWidths(width, 48), head: [], body };
}
