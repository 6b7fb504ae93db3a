/**
 * The random family (test/support/randomFamily.ts): layers of unrelated costs with 1, 2 and 3
 * budgets at 40 to 1000 layers, 5 seeds a cell. Per cell: the share mckp proves optimal, its
 * median and worst solver time, strict HiGHS's (test/support/highs.ts) in the same run, and their
 * ratio (median to median, and the worst instance's). mckp runs with its default limits (10 s).
 *
 *   npm run bench -- --family            this section only
 *   FAMILY_SEEDS=3 FAMILY_SIZES=40,150   fewer instances
 */
import { makePlan, prepareProblem } from '../src/core/index.js';
import { instanceFor } from '../src/core/problem/instance.js';
import { reducedFor } from '../src/core/problem/prepare.js';
import { solveStrictly } from '../test/support/highs.js';
import { randomPlanInput } from '../test/support/randomFamily.js';

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;

export async function benchFamily(): Promise<void> {
  const sizes = (process.env.FAMILY_SIZES ?? '40,150,300,560,1000').split(',').map(Number);
  const seeds = Number(process.env.FAMILY_SEEDS ?? 5);
  const clock = { now: () => performance.now() };
  // Warm the JIT on a few instances first, as a running service is.
  for (let seed = 1; seed <= 3; seed++) makePlan(randomPlanInput(300, 3, 1000 + seed), clock);
  console.log(`\n[family] random layers of unrelated costs, ${seeds} seeds a cell; mckp (default limits, 10 s) against strict HiGHS, same run`);
  console.log('  budgets x layers | proven | mckp median / worst ms | HiGHS median / worst ms | ratio median, worst instance');
  for (const budgets of [1, 2, 3] as const) {
    for (const layers of sizes) {
      const ours: number[] = [];
      const theirs: number[] = [];
      let proven = 0;
      let agree = 0;
      for (let seed = 1; seed <= seeds; seed++) {
        const input = randomPlanInput(layers, budgets, seed);
        const plan = makePlan(input, clock);
        ours.push(plan.solver.timeMs);
        if (plan.status === 'optimal') proven++;
        const problem = prepareProblem(input);
        const reduced = reducedFor(problem, problem.limits.map((limit) => limit.quantity));
        const reference = await solveStrictly(instanceFor(reduced, problem.limits), 120_000);
        theirs.push(reference.timeMs);
        const optimum = (reference.objective ?? Number.NaN) + reduced.fixedObjective;
        if (Math.abs(plan.objective.value - optimum) <= 1e-9 * Math.abs(optimum)) agree++;
      }
      const worstRatio = Math.max(...ours.map((ms, i) => ms / theirs[i]!));
      const cell = `${budgets} x ${String(layers).padStart(4)}`;
      const same = agree === seeds ? '' : `  (optimum equal to HiGHS's on ${agree}/${seeds})`;
      console.log(
        `  ${cell.padEnd(16)} | ${`${proven}/${seeds}`.padStart(6)} | ${median(ours).toFixed(0).padStart(6)} / ${Math.max(...ours).toFixed(0).padStart(6)} | ${median(theirs).toFixed(0).padStart(6)} / ${Math.max(...theirs).toFixed(0).padStart(6)} | ${(median(ours) / median(theirs)).toFixed(2)}x, ${worstRatio.toFixed(2)}x${same}`,
      );
    }
  }
}
