/**
 * One benchmark cell: mckp on each seed's instance beside strict HiGHS (test/support/highs.ts) in
 * the same run. Prints the share proven, median and worst solver time of each, their ratio
 * (median to median, and the worst instance's), and notes where the optima differ or a gap was
 * left (and how far the worst plan answered is above HiGHS's optimum).
 */
import { makePlan, type PlanInput } from '../src/core/index.js';
import { strictPlanOptimum } from '../test/support/highs.js';
import { median } from './median.js';

const clock = { now: () => performance.now() };

export async function benchCellAgainstHighs(label: string, labelWidth: number, inputOf: (seed: number) => PlanInput, seeds: number): Promise<void> {
  const ours: number[] = [];
  const theirs: number[] = [];
  let proven = 0;
  let agree = 0;
  let worstGap = 0;
  let worstAbove = 0;
  for (let seed = 1; seed <= seeds; seed++) {
    const input = inputOf(seed);
    const plan = makePlan(input, clock);
    ours.push(plan.solver.timeMs);
    if (plan.status === 'optimal') proven++;
    else worstGap = Math.max(worstGap, plan.gap);
    const { reference, optimum } = await strictPlanOptimum(input, 120_000);
    theirs.push(reference.timeMs);
    // Strict HiGHS shrinks every budget by 2e-9 relative, so a plan at a budget may be below its optimum.
    if (plan.objective.value <= optimum + 1e-9 * Math.abs(optimum)) agree++;
    else worstAbove = Math.max(worstAbove, (plan.objective.value - optimum) / Math.abs(optimum));
  }
  const worstRatio = Math.max(...ours.map((ms, i) => ms / theirs[i]!));
  const notes = [
    agree === seeds ? '' : `plan no worse than HiGHS's optimum on ${agree}/${seeds}, worst ${(worstAbove * 100).toPrecision(2)}% above it`,
    proven === seeds ? '' : `worst gap left ${(worstGap * 100).toPrecision(2)}%`,
  ].filter(Boolean).join('; ');
  console.log(
    `  ${label.padEnd(labelWidth)} | ${`${proven}/${seeds}`.padStart(6)} | ${median(ours).toFixed(0).padStart(6)} / ${Math.max(...ours).toFixed(0).padStart(6)} | ${median(theirs).toFixed(0).padStart(6)} / ${Math.max(...theirs).toFixed(0).padStart(6)} | ${(median(ours) / median(theirs)).toFixed(2)}x, ${worstRatio.toFixed(2)}x${notes ? `  (${notes})` : ''}`,
  );
}
