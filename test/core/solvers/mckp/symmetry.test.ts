/** Symmetry breaking over identical items against enumeration (issue #26.5, heavy ties). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { withinCapacity, type ChoiceInstance } from '../../../../src/core/solvers/instance.js';
import { flatten } from '../../../../src/core/solvers/mckp/flat.js';
import { solveWithMckp } from '../../../../src/core/solvers/mckp/solve.js';
import { identicalItemClasses, keepClassesOrdered } from '../../../../src/core/solvers/mckp/symmetry.js';

/** Instances whose items are copies of two or three templates (1-3 rows), capacities anywhere in their range. */
const repeatedInstances = fc
  .record({
    rows: fc.integer({ min: 1, max: 3 }),
    templates: fc.array(fc.array(fc.record({ cost: fc.double({ min: 0, max: 1, noNaN: true }), weights: fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 3, maxLength: 3 }) }), { minLength: 2, maxLength: 4 }), { minLength: 2, maxLength: 3 }),
    picks: fc.array(fc.nat(), { minLength: 6, maxLength: 9 }),
    fractions: fc.array(fc.double({ min: 0, max: 0.8, noNaN: true }), { minLength: 3, maxLength: 3 }),
  })
  .map(({ rows, templates, picks, fractions }): ChoiceInstance => {
    const items = picks.map((pick) => ({ options: templates[pick % templates.length]!.map((o) => ({ cost: o.cost, weights: o.weights.slice(0, rows) })) }));
    const capacities = fractions.slice(0, rows).map((fraction, k) => {
      const least = items.reduce((sum, item) => sum + Math.min(...item.options.map((o) => o.weights[k]!)), 0);
      const most = items.reduce((sum, item) => sum + Math.max(...item.options.map((o) => o.weights[k]!)), 0);
      return Math.round(least + fraction * (most - least));
    });
    return { items, capacities };
  });

/** Every assignment within every row: its cost and choice. */
function feasiblePlans(instance: ChoiceInstance): { cost: number; choice: number[] }[] {
  const plans: { cost: number; choice: number[] }[] = [];
  const choice: number[] = [];
  const visit = (i: number, cost: number, used: number[]) => {
    if (i === instance.items.length) {
      if (used.every((u, k) => withinCapacity(u, instance.capacities[k]!))) plans.push({ cost, choice: [...choice] });
      return;
    }
    instance.items[i]!.options.forEach((option, j) => {
      choice[i] = j;
      visit(i + 1, cost + option.cost, used.map((u, k) => u + option.weights[k]!));
    });
  };
  visit(0, 0, new Array<number>(instance.capacities.length).fill(0));
  return plans;
}

describe('symmetry breaking over identical items', () => {
  it('keeps every option of an ordered plan, and a class ordered is empty only when its live options hold no ordered plan', () => {
    fc.assert(
      fc.property(repeatedInstances, fc.array(fc.boolean(), { minLength: 28, maxLength: 28 }), (instance, dead) => {
        // Every option kept by flatten (dominated ones too), so that flat positions are the instance's.
        const core = flatten(instance, () => true);
        const classes = identicalItemClasses(core);
        const alive = Uint8Array.from({ length: core.cost.length }, (_, o) => (dead[o % dead.length] ? 0 : 1));
        const before = Uint8Array.from(alive);
        const ordered = (choice: number[]) => classes.every((members) => members.every((i, n) => n === 0 || choice[members[n - 1]!]! <= choice[i]!));
        // Every choice of live options that is ordered along each class.
        const survivors: number[][] = [];
        const choice: number[] = [];
        const visit = (i: number) => {
          if (i === core.items) return void (ordered(choice) && survivors.push([...choice]));
          for (let o = core.start[i]!; o < core.start[i + 1]!; o++) if (before[o]) (choice[i] = o - core.start[i]!), visit(i + 1);
        };
        visit(0);
        const kept = keepClassesOrdered(core, classes, alive, []);
        if (!kept) {
          expect(survivors).toHaveLength(0);
          return;
        }
        for (const plan of survivors) plan.forEach((j, i) => expect(alive[core.start[i]! + j]).toBe(1));
      }),
      { numRuns: 400, seed: 2650 },
    );
  });

  it('branch and bound with it finds the optimum enumeration finds', () => {
    let classesSeen = 0;
    fc.assert(
      fc.property(repeatedInstances, (instance) => {
        classesSeen += identicalItemClasses(flatten(instance)).length;
        const plans = feasiblePlans(instance);
        // Branch and bound first, and never left to the core program alone (it would merge the copies).
        const answer = solveWithMckp(instance, { timeLimitMs: 1e9, relativeGap: 0, now: () => 0 }, { prover: 'branch', mergedShare: 0 });
        if (plans.length === 0) {
          expect(answer.status).toBe('infeasible');
          return;
        }
        const best = Math.min(...plans.map((plan) => plan.cost));
        expect(answer.status).toBe('optimal');
        expect(answer.objective!).toBeCloseTo(best, 9);
      }),
      { numRuns: 300, seed: 2651 },
    );
    // Not vacuous: identical items were there to order.
    expect(classesSeen).toBeGreaterThan(100);
  });
});
