/** Renders results as a Markdown table, so a run's output can be pasted into docs/BENCHMARKS.md as is. */
import type { BenchResult } from './bench.js';

const HEADER = ['benchmark', 'N', 'rounds', 'payload', 'p50', 'p99', 'baseline p50', 'baseline p99', 'p99 ÷ baseline p99'] as const;

function row(r: BenchResult): string[] {
  const unit = r.unit ?? 'ms';
  const ms = (value: number): string => `${value.toFixed(unit === 'MB' ? 2 : 1)} ${unit}`;
  return [
    r.benchmark,
    r.n.toLocaleString('en-US'),
    String(r.rounds),
    `${r.payloadBytes.toLocaleString('en-US')} B`,
    ms(r.measured.p50),
    ms(r.measured.p99),
    ms(r.baseline.p50),
    ms(r.baseline.p99),
    `${(r.measured.p99 / r.baseline.p99).toFixed(2)}×`,
  ];
}

/** Display width: CJK and other wide characters take two columns in a terminal. */
function width(text: string): number {
  let w = 0;
  for (const ch of text)
    w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(ch) ? 2 : 1;
  return w;
}

export function formatTable(results: readonly BenchResult[]): string {
  const rows = [[...HEADER], ...results.map(row)];
  const widths = HEADER.map((_, col) => Math.max(...rows.map((cells) => width(cells[col] ?? ''))));
  const line = (cells: readonly string[]): string =>
    `| ${cells.map((cell, col) => (col === 0 ? cell + ' '.repeat((widths[col] ?? 0) - width(cell)) : ' '.repeat((widths[col] ?? 0) - width(cell)) + cell)).join(' | ')} |`;
  const rule = `|${widths.map((w, col) => (col === 0 ? `${'-'.repeat(w + 1)}-` : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  const [head = [], ...body] = rows;
  return [line(head), rule, ...body.map(line)].join('\n');
}

export function formatNotes(results: readonly BenchResult[]): string {
  const lines: string[] = [];
  for (const r of results) {
    lines.push(`${r.benchmark}, N = ${r.n.toLocaleString('en-US')} (baseline: ${r.baseline.name})`);
    for (const note of r.notes) lines.push(`  - ${note}`);
  }
  return lines.join('\n');
}
