/**
 * Fan-out: how long after a reviewer approves a notice until every kiosk of
 * the village has it, for 100 and 1,000 connected kiosks, next to a bare
 * socket.io broadcast of the same playlist to the same number of clients.
 *
 * The measured path includes the approve HTTP request, the ledger append
 * (fdatasync), the lowdb write of state.json, playlist compilation and the
 * per-village grouped emit; the baseline is a single emit.
 */
import type { BenchOptions, BenchResult } from './bench.js';
import { startBareSide } from './fanout/bare-side.js';
import { startControllerSide } from './fanout/controller-side.js';
import { type FanoutRun, runRounds } from './fanout/rounds.js';
import type { Plan } from './fanout/samples.js';
import { summarise } from './stats.js';

export const name = 'fanout';

const KIOSK_COUNTS = [100, 1000] as const;

const FULL: Plan = { warmup: 5, rounds: 100, gapMs: 200, roundTimeoutMs: 10_000, readyTimeoutMs: 60_000 };
const QUICK: Plan = { ...FULL, warmup: 2, rounds: 15 };

const pair = (label: string, measured: readonly number[], baseline: readonly number[]): string => {
  const m = summarise(measured);
  const b = summarise(baseline);
  return `${label}: p50 ${m.p50.toFixed(1)} / p99 ${m.p99.toFixed(1)} ms (baseline ${b.p50.toFixed(1)} / ${b.p99.toFixed(1)} ms)`;
};

function result(kiosks: number, run: FanoutRun): BenchResult {
  const { controller, baseline } = run;
  const approve = summarise(run.approveMs);
  // Rounds are paired, so the per-round difference cancels background load that hit both halves of a round.
  const extra = summarise(controller.all.map((ms, i) => ms - (baseline.all[i] ?? Number.NaN)));
  return {
    benchmark: 'approve → all kiosks',
    n: kiosks,
    rounds: controller.all.length,
    payloadBytes: controller.payloadBytes,
    measured: summarise(controller.all),
    baseline: { name: 'bare socket.io emit of the same playlist, alternating rounds', ...summarise(baseline.all) },
    notes: [
      `controller − baseline, same round: p50 ${extra.p50.toFixed(1)} / p99 ${extra.p99.toFixed(1)} ms`,
      pair('first kiosk has it', controller.first, baseline.first),
      pair('per delivery', controller.deliveries, baseline.deliveries),
      `approve HTTP response: p50 ${approve.p50.toFixed(1)} / p99 ${approve.p99.toFixed(1)} ms (answered first; the push follows on the same event loop)`,
      `connecting ${kiosks} clients: ${(controller.connectMs / 1000).toFixed(2)} s (baseline ${(baseline.connectMs / 1000).toFixed(2)} s)`,
    ],
  };
}

async function measure(kiosks: number, plan: Plan, log: (message: string) => void): Promise<BenchResult> {
  const controller = await startControllerSide(kiosks, plan, log);
  try {
    const bare = await startBareSide(kiosks, plan, log);
    try {
      return result(kiosks, await runRounds(controller, bare, plan));
    } finally {
      await bare.stop();
    }
  } finally {
    await controller.stop();
  }
}

export async function run(options: BenchOptions): Promise<BenchResult[]> {
  const plan = options.quick ? QUICK : FULL;
  const results: BenchResult[] = [];
  for (const kiosks of KIOSK_COUNTS) {
    options.log(
      ` N = ${kiosks}: ${plan.warmup} warm-up + ${plan.rounds} rounds, each an approval and a bare emit ≥ ${plan.gapMs} ms apart`,
    );
    results.push(await measure(kiosks, plan, options.log));
  }
  return results;
}
