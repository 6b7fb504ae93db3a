/**
 * The random family (test/support/randomFamily.ts): layers of unrelated costs with 1, 2 and 3
 * budgets at 40 to 1000 layers, 5 seeds a cell. Per cell: the share mckp proves optimal, its
 * median and worst solver time, strict HiGHS's (test/support/highs.ts) in the same run, and their
 * ratio (median to median, and the worst instance's). mckp runs with its default limits (10 s).
 *
 *   npm run bench -- --family            this section only
 *   FAMILY_SEEDS=3 FAMILY_SIZES=40,150   fewer instances
 */
import { makePlan } from '../src/core/index.js';
import { randomPlanInput } from '../test/support/randomFamily.js';
import { benchCellAgainstHighs } from './againstHighs.js';

export async function benchFamily(): Promise<void> {
  const sizes = (process.env.FAMILY_SIZES ?? '40,150,300,560,1000').split(',').map(Number);
  const seeds = Number(process.env.FAMILY_SEEDS ?? 5);
  const clock = { now: () => performance.now() };
  // Warm the JIT on a few instances first, as a running service is.
  for (let seed = 1; seed <= 3; seed++) makePlan(randomPlanInput(300, 3, 1000 + seed), clock);
  console.log(`\n[family] random layers of unrelated costs, ${seeds} seeds a cell; mckp (default limits, 10 s) against strict HiGHS, same run`);
  console.log('  budgets x layers | proven | mckp median / worst ms | HiGHS median / worst ms | ratio median, worst instance');
  for (const budgets of [1, 2, 3] as const) {
    for (const layers of sizes) await benchCellAgainstHighs(`${budgets} x ${String(layers).padStart(4)}`, 16, (seed) => randomPlanInput(layers, budgets, seed), seeds);
  }
}
