/**
 * mckp against an independent solver: HiGHS (WebAssembly), run strictly (test/support/highs.ts),
 * on random models of the issue-13 family: layers of unrelated costs, 1 to 3 budgets, ties and
 * pins, up to 300 layers. The optima agree to 1e-9 relative and mckp's plan meets every budget.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CoreError, makePlan } from '../../../../src/core/index.js';
import { BUDGET_RELATIVE_TOLERANCE } from '../../../../src/core/solvers/instance.js';
import { strictPlanOptimum } from '../../../support/highs.js';
import { degenerateInput, fpgaInput, heavyTiesInput, manyCandidatesInput, sensitivityBoundedInput } from '../../../support/broadFamily.js';
import { interactionPlanInput } from '../../../support/interactionFamily.js';
import { randomPlanInput } from '../../../support/randomFamily.js';

describe('mckp equals strict HiGHS', () => {
  it('on random instances with one to three budgets, ties and pins, up to 300 layers', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(20, 60, 150, 300),
        fc.constantFrom(1, 2, 3) as fc.Arbitrary<1 | 2 | 3>,
        fc.integer({ min: 1, max: 1_000_000 }),
        async (layers, budgets, seed) => {
          const input = randomPlanInput(layers, budgets, seed, 60_000);
          const plan = makePlan(input, { now: () => performance.now() });
          expect(plan.status).toBe('optimal');
          for (const budget of plan.budgets) expect(budget.used).toBeLessThanOrEqual(budget.limit * (1 + BUDGET_RELATIVE_TOLERANCE));
          // HiGHS on the same instance (the fixed layers, pinned or with one candidate, taken off).
          const { reference, optimum } = await strictPlanOptimum(input);
          expect(reference.status).toBe('optimal');
          expect(Math.abs(plan.objective.value - optimum)).toBeLessThanOrEqual(1e-9 * Math.abs(optimum));
        },
      ),
      { seed: 1313, numRuns: 24 },
    );
  });

  it('with interactions (pair terms linearized for HiGHS), on models of 20 to 150 layers with one to three budgets', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom([20, 120], [60, 500], [150, 1000]),
        fc.constantFrom(1, 2, 3) as fc.Arbitrary<1 | 2 | 3>,
        fc.constantFrom('keep', 'cap', 'clip'),
        fc.integer({ min: 1, max: 1_000_000 }),
        async ([layers, entries], budgets, negative, seed) => {
          const input = { ...interactionPlanInput(layers!, entries!, budgets, seed, 60_000), negativeInteractions: negative as 'keep' | 'cap' | 'clip' };
          const plan = makePlan(input, { now: () => performance.now() });
          expect(plan.status).toBe('optimal');
          // HiGHS on the same instance (the fixed layers, pinned or with one candidate, taken off).
          const { reference, optimum } = await strictPlanOptimum(input);
          expect(reference.status).toBe('optimal');
          expect(Math.abs(plan.objective.value - optimum)).toBeLessThanOrEqual(1e-9 * Math.abs(optimum));
        },
      ),
      { seed: 1515, numRuns: 12 },
    );
  });

  it('on the broad families the bench was not tuned on: fp4/MX/NVFP4 under five budgets, FPGA minifloats with macLuts, heavy ties, degenerate data, the sensitivity-bounded form', async () => {
    const families = { manyCandidatesInput, fpgaInput, heavyTiesInput, degenerateInput, sensitivityBoundedInput };
    let infeasible = 0;
    for (const [name, family] of Object.entries(families)) {
      for (const seed of [7, 8]) {
        const input = family(120, seed, 60_000);
        let plan: ReturnType<typeof makePlan>;
        try {
          plan = makePlan(input, { now: () => performance.now() });
        } catch (error) {
          // Budgets at the edges of their range may exclude each other (degenerate seed 8): HiGHS must agree.
          expect((error as CoreError).code, `${name} seed ${seed}`).toBe('BITPLAN_ERR_INFEASIBLE');
          expect((await strictPlanOptimum(input)).reference.status).toBe('infeasible');
          infeasible++;
          continue;
        }
        expect(plan.status, `${name} seed ${seed}`).toBe('optimal');
        for (const budget of plan.budgets) expect(budget.used).toBeLessThanOrEqual(budget.limit * (1 + BUDGET_RELATIVE_TOLERANCE));
        expect(plan.bound).toBeLessThanOrEqual(plan.objective.value);
        // Strict HiGHS shrinks every budget by 2e-9 relative: its optimum is a plan within the
        // budgets, so a proven optimum is never above it (up to its tolerance).
        const { reference, optimum } = await strictPlanOptimum(input);
        expect(reference.status, `${name} seed ${seed}`).toBe('optimal');
        expect(plan.objective.value, `${name} seed ${seed}`).toBeLessThanOrEqual(optimum + 1e-9 * Math.abs(optimum));
      }
    }
    expect(infeasible).toBeLessThanOrEqual(1);
  }, 120_000);
});
