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
  /** Rounds lost because the approval outlasted the posting window (excluded from the figures). */
  lateRounds: number;
}

export async function runRounds(
  controller: ControllerSide,
  bare: BareSide,
  plan: Plan,
  log: (message: string) => void,
): Promise<FanoutRun> {
  const run: FanoutRun = {
    controller: emptySamples(controller.connectMs),
    baseline: emptySamples(bare.connectMs),
    approveMs: [],
    lateRounds: 0,
  };
  const maxLate = Math.max(2, Math.ceil(plan.rounds / 20));
  // +1 ms: the controller drops a notice only once `now` has passed `endsAt`, and timers round to the millisecond.
  const untilClosed = (endsAt: number): number => Math.max(plan.gapMs, endsAt - Date.now() + 1);

  for (let round = 0; run.controller.all.length < plan.rounds; round++) {
    const endsAt = Date.now() + plan.periodMs;
    const outcome = await controller.approve(round, endsAt);
    if (outcome.kind === 'late') {
      log(`  round ${round}: the approval outlasted the ${plan.periodMs} ms posting window; round lost`);
      if (++run.lateRounds > maxLate)
        throw new Error(`more than ${maxLate} rounds lost to approvals slower than ${plan.periodMs} ms; is the machine overloaded?`);
      await sleep(untilClosed(endsAt));
      continue;
    }
    const counted = round >= plan.warmup;
    if (counted) {
      addRound(run.controller, outcome.t0, outcome.report);
      run.approveMs.push(outcome.approveMs);
    }
    await sleep(plan.gapMs);
    const baseline = await bare.emit(outcome.report.playlist);
    if (counted) addRound(run.baseline, baseline.t0, baseline.report);
    await sleep(untilClosed(endsAt));
  }
  return run;
}
