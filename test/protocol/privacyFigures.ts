/**
 * Recall and false alarms of the privacy gate over the generated corpus, for
 * the test and for docs/BENCHMARKS.md. Run `npx tsx test/protocol/privacyFigures.ts`
 * to print the figures.
 */
import { scanPii } from '../../controller/protocol/privacy.js';
import { ordinaryCorpus, personalCorpus } from './privacyCorpus.js';

export interface CorpusFigures {
  personal: number;
  /** Personal items not found whole, as `kind: text`. */
  missed: string[];
  recallByKind: Record<string, { found: number; of: number }>;
  ordinary: number;
  /** Labelled ordinary items flagged, as `kind → reason: text`. */
  falseAlarms: string[];
  falseAlarmsByKind: Record<string, number>;
  /** The same ordinary numbers with no label before them. */
  bareFalseAlarms: number;
  bareByReason: Record<string, number>;
}

export function measureCorpus(o: { personal: number; ordinary: number; today: string; seed: number }): CorpusFigures {
  const scan = (text: string) => scanPii(text, { today: o.today });
  const missed: string[] = [];
  const recallByKind: CorpusFigures['recallByKind'] = {};
  for (const item of personalCorpus(o.seed, o.personal, o.today)) {
    const entry = (recallByKind[item.kind] ??= { found: 0, of: 0 });
    entry.of++;
    if (scan(item.text).some((h) => h.kind === item.kind && h.text === item.value)) entry.found++;
    else missed.push(`${item.kind}: ${item.text}`);
  }
  const falseAlarms: string[] = [];
  const falseAlarmsByKind: Record<string, number> = {};
  for (const item of ordinaryCorpus(o.seed, o.ordinary, o.today)) {
    const [hit] = scan(item.text);
    if (!hit) continue;
    falseAlarms.push(`${item.kind} → ${hit.reason}: ${item.text}`);
    falseAlarmsByKind[item.kind] = (falseAlarmsByKind[item.kind] ?? 0) + 1;
  }
  let bareFalseAlarms = 0;
  const bareByReason: Record<string, number> = {};
  for (const item of ordinaryCorpus(o.seed, o.ordinary, o.today, true)) {
    const [hit] = scan(item.text);
    if (!hit) continue;
    bareFalseAlarms++;
    bareByReason[hit.reason] = (bareByReason[hit.reason] ?? 0) + 1;
  }
  return {
    personal: o.personal,
    missed,
    recallByKind,
    ordinary: o.ordinary,
    falseAlarms,
    falseAlarmsByKind,
    bareFalseAlarms,
    bareByReason,
  };
}

if (process.argv[1]?.endsWith('privacyFigures.ts')) {
  const started = performance.now();
  const f = measureCorpus({ personal: 3000, ordinary: 10_000, today: '2026-12-07', seed: 14 });
  const ms = performance.now() - started;
  console.log(JSON.stringify({ ...f, falseAlarms: f.falseAlarms, ms: Math.round(ms) }, null, 2));
}
