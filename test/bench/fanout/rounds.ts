/**
 * Alternates the two paths round by round: approve on the controller, then
 * emit the playlist it pushed from the bare server. The VM's two cores are
 * shared with whatever else runs, so measuring one path for a minute and then
 * the other would compare two different machines; paired rounds see the same
 * background load.
 */
import { sleep } from '../stats.js';
import type { BareSide } from './bare-side.js';
import type { ControllerSide } from './controller-side.js';
import { type Plan, type Samples, addRound, emptySamples } from './samples.js';

export interface FanoutRun {
  controller: Samples;
  baseline: Samples;
  /** Approve request → its HTTP response, per round. */
  approveMs: number[];
}

export async function runRounds(controller: ControllerSide, bare: BareSide, plan: Plan): Promise<FanoutRun> {
  const run: FanoutRun = { controller: emptySamples(controller.connectMs), baseline: emptySamples(bare.connectMs), approveMs: [] };
  for (let round = 0; run.controller.all.length < plan.rounds; round++) {
    const outcome = await controller.approve(round);
    const counted = round >= plan.warmup;
    if (counted) {
      addRound(run.controller, outcome.t0, outcome.report);
      run.approveMs.push(outcome.approveMs);
    }
    await sleep(plan.gapMs);
    const baseline = await bare.emit(outcome.report.playlist);
    if (counted) addRound(run.baseline, baseline.t0, baseline.report);
    await sleep(plan.gapMs);
  }
  return run;
}
