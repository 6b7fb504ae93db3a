/**
 * Plans with pairwise interactions (test/support/interactionFamily.ts): 300 layers x 6 candidates
 * with 2,000 interaction entries and 1 to 3 budgets (issue #15's target: 2 budgets proven in
 * under 2 s), then a broader family the solver was not tuned on (dense measurements: every pair
 * of a 16- and 30-layer model, 600 pairs among 60 layers), chains and stars of pairs with signed
 * terms, budgets tight together, then the k best plans (alternatives), with and without pairs.
 * Strict HiGHS (pair terms linearized: one variable a combination, its row and column sums equal
 * the two layers' choices; test/support/highs.ts) solves each instance in the same run.
 *
 *   npm run bench -- --interactions      this section only
 *   INTERACTION_SEEDS=3                  fewer instances
 */
import { makePlan, type PlanInput } from '../src/core/index.js';
import { interactionPlanInput, pairGraphPlanInput } from '../test/support/interactionFamily.js';
import { jointlyTightInput } from '../test/support/jointlyTight.js';
import { randomPlanInput } from '../test/support/randomFamily.js';
import { benchCellAgainstHighs } from './againstHighs.js';
import { median } from './median.js';

const clock = { now: () => performance.now() };

interface Cell {
  label: string;
  input: (seed: number) => PlanInput;
}

const benchCell = (cell: Cell, seeds: number) => benchCellAgainstHighs(cell.label, 44, cell.input, seeds);

export async function benchInteractions(): Promise<void> {
  const seeds = Number(process.env.INTERACTION_SEEDS ?? 5);
  for (let seed = 1; seed <= 2; seed++) makePlan(interactionPlanInput(300, 2000, 2, 100 + seed), clock);
  console.log(`\n[interactions] random layers with measured-style pair terms (negative ones capped, the default), ${seeds} seeds a cell; mckp (default limits, 10 s) against strict HiGHS, same run`);
  console.log('  case                                         | proven | mckp median / worst ms | HiGHS median / worst ms | ratio median, worst instance');
  for (const budgets of [1, 2, 3] as const) {
    await benchCell({ label: `300 x 6, 2,000 entries, ${budgets} budget${budgets > 1 ? 's' : ''}`, input: (seed) => interactionPlanInput(300, 2000, budgets, seed) }, seeds);
  }
  await benchCell({ label: '300 x 6, 2,000, 2 budgets, keep', input: (seed) => ({ ...interactionPlanInput(300, 2000, 2, seed), negativeInteractions: 'keep' }) }, seeds);
  await benchCell({ label: '1000 x 6, 6,000 entries, 2 budgets', input: (seed) => interactionPlanInput(1000, 6000, 2, seed) }, seeds);
  // Dense measurements (pairs="all" on a small model): one connected group of every layer.
  await benchCell({ label: 'dense: 16 layers, all 120 pairs', input: (seed) => interactionPlanInput(16, 120 * 36, 2, seed) }, seeds);
  await benchCell({ label: 'dense: 30 layers, all 435 pairs', input: (seed) => interactionPlanInput(30, 435 * 36, 2, seed) }, seeds);
  await benchCell({ label: 'dense: 60 layers, 600 pairs', input: (seed) => interactionPlanInput(60, 600 * 36, 2, seed) }, seeds);
  // Pair graphs that do not fall apart (issue #26.3): chains and stars, terms >= 0 or 35% negative.
  for (const [shape, layers, paired] of [['chain', 300, 280], ['chain', 500, 480], ['star', 300, 50]] as const) {
    for (const [negativeShare, negative] of [[0, 'keep'], [0.35, 'keep'], [0.35, 'cap']] as const) {
      const label = `${shape}: ${layers} layers, ${paired} pairs, ${negativeShare ? `35% < 0, ${negative}` : 'terms >= 0'}`;
      await benchCell({ label, input: (seed) => ({ ...pairGraphPlanInput(shape, layers, paired, 2, seed, negativeShare), negativeInteractions: negative }) }, seeds);
    }
  }
  // Budgets tight together, no pair terms (issue #26.2): each alone easy, a plan exists.
  await benchCell({ label: 'jointly tight: 300 layers, 3 budgets', input: (seed) => jointlyTightInput(300, seed) }, seeds);

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
  // Without pair terms (issue #26.4): the first of the k best against the single best plan.
  console.log('\n[alternatives] the k best distinct plans of the additive family (300 layers, 2-7 of 7 candidates, 3 budgets)');
  for (const k of [5, 20]) {
    const times: number[] = [];
    let proven = 0;
    let worse = 0;
    for (let seed = 1; seed <= seeds; seed++) {
      const input = randomPlanInput(300, 3, seed);
      const one = makePlan(input, clock);
      const plan = makePlan({ ...input, alternatives: k }, clock);
      times.push(plan.solver.timeMs);
      if (plan.status === 'optimal') proven++;
      if (plan.objective.value > one.objective.value) worse++;
    }
    console.log(`  k = ${String(k).padEnd(3)} proven ${proven}/${seeds}, median ${median(times).toFixed(0)} ms, worst ${Math.max(...times).toFixed(0)} ms; first plan worse than the single best plan's on ${worse}/${seeds}`);
  }
}
