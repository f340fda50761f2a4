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
import { retainedBytes } from './memory.js';

export const name = 'fanout';

const KIOSK_COUNTS = [100, 1000] as const;

const FULL: Plan = { warmup: 5, rounds: 100, gapMs: 200, roundTimeoutMs: 10_000, readyTimeoutMs: 60_000 };
const QUICK: Plan = { ...FULL, warmup: 2, rounds: 15 };

const pair = (label: string, measured: readonly number[], baseline: readonly number[]): string => {
  const m = summarise(measured);
  const b = summarise(baseline);
  return `${label}: p50 ${m.p50.toFixed(1)} / p99 ${m.p99.toFixed(1)} ms (baseline ${b.p50.toFixed(1)} / ${b.p99.toFixed(1)} ms)`;
};

interface Memory {
  controllerPerKiosk: number;
  barePerClient: number;
}

function result(kiosks: number, run: FanoutRun, memory: Memory): BenchResult {
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
      `memory per connected kiosk (heap + external, after GC): controller ${(memory.controllerPerKiosk / 1024).toFixed(1)} KB, bare socket.io ${(memory.barePerClient / 1024).toFixed(1)} KB per client (${(memory.controllerPerKiosk / memory.barePerClient).toFixed(2)}×)`,
    ],
  };
}

async function measure(kiosks: number, plan: Plan, log: (message: string) => void): Promise<BenchResult> {
  const controller = await startControllerSide(kiosks, plan, log);
  try {
    const bare = await startBareSide(kiosks, plan, log);
    try {
      const rounds = await runRounds(controller, bare, plan);
      // Memory held for the connections: measured with them, then again once they are gone.
      const controllerWith = await retainedBytes();
      await controller.disconnectClients();
      const controllerPerKiosk = (controllerWith - (await retainedBytes())) / kiosks;
      const bareWith = await retainedBytes();
      await bare.disconnectClients();
      const barePerClient = (bareWith - (await retainedBytes())) / kiosks;
      return result(kiosks, rounds, { controllerPerKiosk, barePerClient });
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
