/**
 * Plans with pairwise interactions (test/support/interactionFamily.ts): 300 layers x 6 candidates
 * with 2,000 interaction entries and 1 to 3 budgets (issue #15's target: 2 budgets proven in
 * under 2 s), then a broader family the solver was not tuned on (dense measurements: every pair
 * of a 16- and 30-layer model, 600 pairs among 60 layers), then the k best plans (alternatives).
 * Strict HiGHS (pair terms linearized: one variable a combination, its row and column sums equal
 * the two layers' choices; test/support/highs.ts) solves each instance in the same run.
 *
 *   npm run bench -- --interactions      this section only
 *   INTERACTION_SEEDS=3                  fewer instances
 */
import { makePlan, prepareProblem, type PlanInput } from '../src/core/index.js';
import { instanceFor } from '../src/core/problem/instance.js';
import { reducedFor } from '../src/core/problem/prepare.js';
import { solveStrictly } from '../test/support/highs.js';
import { interactionPlanInput } from '../test/support/interactionFamily.js';

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;
const clock = { now: () => performance.now() };

interface Cell {
  label: string;
  input: (seed: number) => PlanInput;
}

async function benchCell(cell: Cell, seeds: number): Promise<void> {
  const ours: number[] = [];
  const theirs: number[] = [];
  let proven = 0;
  let agree = 0;
  let worstGap = 0;
  for (let seed = 1; seed <= seeds; seed++) {
    const input = cell.input(seed);
    const plan = makePlan(input, clock);
    ours.push(plan.solver.timeMs);
    if (plan.status === 'optimal') proven++;
    else worstGap = Math.max(worstGap, plan.gap);
    const problem = prepareProblem(input);
    const reduced = reducedFor(problem, problem.limits.map((limit) => limit.quantity));
    const reference = await solveStrictly(instanceFor(reduced, problem.limits), 120_000);
    theirs.push(reference.timeMs);
    const optimum = (reference.objective ?? Number.NaN) + reduced.fixedObjective;
    if (Math.abs(plan.objective.value - optimum) <= 1e-9 * Math.abs(optimum)) agree++;
  }
  const worstRatio = Math.max(...ours.map((ms, i) => ms / theirs[i]!));
  const notes = [agree === seeds ? '' : `optimum equal to HiGHS's on ${agree}/${seeds}`, proven === seeds ? '' : `worst gap left ${(worstGap * 100).toPrecision(2)}%`].filter(Boolean).join('; ');
  console.log(
    `  ${cell.label.padEnd(34)} | ${`${proven}/${seeds}`.padStart(6)} | ${median(ours).toFixed(0).padStart(6)} / ${Math.max(...ours).toFixed(0).padStart(6)} | ${median(theirs).toFixed(0).padStart(6)} / ${Math.max(...theirs).toFixed(0).padStart(6)} | ${(median(ours) / median(theirs)).toFixed(2)}x, ${worstRatio.toFixed(2)}x${notes ? `  (${notes})` : ''}`,
  );
}

export async function benchInteractions(): Promise<void> {
  const seeds = Number(process.env.INTERACTION_SEEDS ?? 5);
  for (let seed = 1; seed <= 2; seed++) makePlan(interactionPlanInput(300, 2000, 2, 100 + seed), clock);
  console.log(`\n[interactions] random layers with measured-style pair terms (negative ones capped, the default), ${seeds} seeds a cell; mckp (default limits, 10 s) against strict HiGHS, same run`);
  console.log('  case                               | proven | mckp median / worst ms | HiGHS median / worst ms | ratio median, worst instance');
  for (const budgets of [1, 2, 3] as const) {
    await benchCell({ label: `300 x 6, 2,000 entries, ${budgets} budget${budgets > 1 ? 's' : ''}`, input: (seed) => interactionPlanInput(300, 2000, budgets, seed) }, seeds);
  }
  await benchCell({ label: '300 x 6, 2,000, 2 budgets, keep', input: (seed) => ({ ...interactionPlanInput(300, 2000, 2, seed), negativeInteractions: 'keep' }) }, seeds);
  await benchCell({ label: '1000 x 6, 6,000 entries, 2 budgets', input: (seed) => interactionPlanInput(1000, 6000, 2, seed) }, seeds);
  // Dense measurements (pairs="all" on a small model): one connected group of every layer.
  await benchCell({ label: 'dense: 16 layers, all 120 pairs', input: (seed) => interactionPlanInput(16, 120 * 36, 2, seed) }, seeds);
  await benchCell({ label: 'dense: 30 layers, all 435 pairs', input: (seed) => interactionPlanInput(30, 435 * 36, 2, seed) }, seeds);
  await benchCell({ label: 'dense: 60 layers, 600 pairs', input: (seed) => interactionPlanInput(60, 600 * 36, 2, seed) }, seeds);

  console.log('\n[alternatives] the k best distinct plans, proven (300 x 6, 2,000 entries, 2 budgets)');
  for (const k of [5, 20]) {
    const times: number[] = [];
    let proven = 0;
    for (let seed = 1; seed <= seeds; seed++) {
      const plan = makePlan({ ...interactionPlanInput(300, 2000, 2, seed), alternatives: k }, clock);
      times.push(plan.solver.timeMs);
      if (plan.status === 'optimal') proven++;
    }
    console.log(`  k = ${String(k).padEnd(3)} proven ${proven}/${seeds}, median ${median(times).toFixed(0)} ms, worst ${Math.max(...times).toFixed(0)} ms`);
  }
}
