/**
 * The soak's hourly samples, the table printed at the end, and the verdict:
 * heap and open handles flat (the last day's mean within {@link FLAT_PCT} % of
 * the first judged day's, see {@link windows}), event-loop lag not growing, and the ledger growing as
 * predicted (records × the first day's bytes per record).
 */

export interface Sample {
  simHour: number;
  heapMb: number;
  rssMb: number;
  handles: number;
  /** Open sockets and timers, the kinds that leak. */
  sockets: number;
  timers: number;
  lagMeanMs: number;
  lagP99Ms: number;
  lagMaxMs: number;
  ledgerRecords: number;
  ledgerBytes: number;
  acked: number;
  kiosksOnline: number;
  /** displays:recorded batches (at most one a second each) the two staff browsers received in the hour. */
  staffDisplayEvents: number;
}

export const FLAT_PCT = 10;
/** The lag's p99 may rise by this factor plus {@link LAG_SLACK_MS} before it counts as growing (the machine is shared). */
const LAG_FACTOR = 1.5;
const LAG_SLACK_MS = 5;
const LEDGER_PCT = 5;

const mean = (xs: number[]): number => (xs.length === 0 ? Number.NaN : xs.reduce((a, b) => a + b, 0) / xs.length);
const pct = (a: number, b: number): number => ((a - b) / b) * 100;
const f = (x: number, digits = 1): string => (Number.isFinite(x) ? x.toFixed(digits) : '–');

/**
 * The windows the verdict compares. From three simulated days on, the first day is warm-up and left out: it fills
 * the controller's bounded caches (the staff's display list, the per-device receipt rings, the sign emulators' frame
 * logs), a ramp every run shows and that is not growth; the second day is then compared with the last. Shorter runs
 * compare the first and last quarter after hour 0.
 */
export function windows(samples: readonly Sample[]): { warmup: Sample[]; first: Sample[]; last: Sample[]; label: string } {
  const body = samples.filter((s) => s.simHour >= 1);
  if (body.length >= 72) {
    return {
      warmup: body.slice(0, 24),
      first: body.slice(24, 48),
      last: body.slice(-24),
      label: 'second day vs last day (the first day is warm-up)',
    };
  }
  const size = body.length >= 48 ? 24 : Math.max(1, Math.floor(body.length / 4));
  return {
    warmup: [],
    first: body.slice(0, size),
    last: body.slice(-size),
    label: size === 24 ? 'first day vs last day' : `first vs last ${size} h`,
  };
}

/** Least-squares slope of `pick` per simulated day over `samples`. */
export function slopePerDay(samples: readonly Sample[], pick: (s: Sample) => number): number {
  const n = samples.length;
  if (n < 2) return Number.NaN;
  const xs = samples.map((s) => s.simHour / 24);
  const ys = samples.map(pick);
  const mx = mean(xs);
  const my = mean(ys);
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i]! - mx) * (ys[i]! - my);
    den += (xs[i]! - mx) ** 2;
  }
  return den === 0 ? Number.NaN : num / den;
}

export interface Verdict {
  ok: boolean;
  lines: string[];
}

export function verdict(samples: readonly Sample[]): Verdict {
  const { warmup, first, last, label } = windows(samples);
  const lines: string[] = [`windows: ${label}`];
  if (warmup.length > 0) {
    const a = warmup[0]!;
    const b = warmup.at(-1)!;
    lines.push(`warm-up day: heap ${f(a.heapMb)} → ${f(b.heapMb)} MB, handles ${a.handles} → ${b.handles} (not judged)`);
  }
  let ok = first.length > 0;
  const flat = (name: string, pick: (s: Sample) => number, unit: string) => {
    const a = mean(first.map(pick));
    const b = mean(last.map(pick));
    const change = pct(b, a);
    const pass = Math.abs(change) <= FLAT_PCT;
    ok &&= pass;
    lines.push(
      `${pass ? 'PASS' : 'FAIL'} ${name}: ${f(a)} → ${f(b)} ${unit} (${change >= 0 ? '+' : ''}${f(change)} %, limit ±${FLAT_PCT} %)`,
    );
  };
  flat('heap after GC', (s) => s.heapMb, 'MB');
  const judged = samples.filter((s) => s.simHour >= (first[0]?.simHour ?? 1));
  const slope = slopePerDay(judged, (s) => s.heapMb);
  const base = mean(first.map((s) => s.heapMb));
  lines.push(
    `     heap trend over the judged days: ${slope >= 0 ? '+' : ''}${f(slope, 2)} MB per simulated day ` +
      `(${f((slope / base) * 100, 2)} % of the second window's mean a day; least squares over ${judged.length} hourly samples)`,
  );
  flat('open handles', (s) => s.handles, '');
  const lagA = mean(first.map((s) => s.lagP99Ms));
  const lagB = mean(last.map((s) => s.lagP99Ms));
  const lagPass = lagB <= lagA * LAG_FACTOR + LAG_SLACK_MS;
  ok &&= lagPass;
  lines.push(`${lagPass ? 'PASS' : 'FAIL'} event-loop lag p99: ${f(lagA)} → ${f(lagB)} ms (limit ×${LAG_FACTOR} + ${LAG_SLACK_MS} ms)`);
  const perRecord = (ws: Sample[]) => {
    const a = ws[0];
    const b = ws.at(-1);
    return a && b && b.ledgerRecords > a.ledgerRecords ? (b.ledgerBytes - a.ledgerBytes) / (b.ledgerRecords - a.ledgerRecords) : Number.NaN;
  };
  const bytesPerRecord = perRecord(first);
  const end = samples.at(-1);
  if (end && Number.isFinite(bytesPerRecord)) {
    const predicted = end.ledgerRecords * bytesPerRecord;
    const off = pct(end.ledgerBytes, predicted);
    const pass = Math.abs(off) <= LEDGER_PCT;
    ok &&= pass;
    lines.push(
      `${pass ? 'PASS' : 'FAIL'} ledger: ${end.ledgerRecords} records, ${f(end.ledgerBytes / 1e6)} MB; predicted ${f(predicted / 1e6)} MB ` +
        `(${f(bytesPerRecord, 0)} B/record on the first window; ${off >= 0 ? '+' : ''}${f(off)} %, limit ±${LEDGER_PCT} %)`,
    );
  } else {
    ok = false;
    lines.push('FAIL ledger: too few samples to predict its size');
  }
  return { ok, lines };
}

export function table(samples: readonly Sample[], every = 1): string {
  const head =
    '| sim h | heap MB | RSS MB | handles | sockets | timers | lag mean / p99 / max ms | ledger records | ledger MB | receipts acked | kiosks online | displays:recorded batches to staff |';
  const rule = `|${head
    .split('|')
    .slice(1, -1)
    .map(() => '---')
    .join('|')}|`;
  const rows = samples
    .filter((s, i) => i % every === 0 || i === samples.length - 1)
    .map(
      (s) =>
        `| ${s.simHour} | ${f(s.heapMb)} | ${f(s.rssMb, 0)} | ${s.handles} | ${s.sockets} | ${s.timers} | ${f(s.lagMeanMs)} / ${f(s.lagP99Ms)} / ${f(s.lagMaxMs)} | ${s.ledgerRecords} | ${f(s.ledgerBytes / 1e6)} | ${s.acked} | ${s.kiosksOnline} | ${s.staffDisplayEvents} |`,
    );
  return [head, rule, ...rows].join('\n');
}
