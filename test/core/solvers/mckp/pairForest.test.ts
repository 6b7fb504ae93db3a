import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makePlan } from '../../../../src/core/index.js';
import { flatten } from '../../../../src/core/solvers/mckp/flat.js';
import { evaluateForest, forestScratch, spanningForest, type FlatPair } from '../../../../src/core/solvers/mckp/pairForest.js';
import { strictPlanOptimum } from '../../../support/highs.js';
import { interactionPlanInput, pairGraphPlanInput } from '../../../support/interactionFamily.js';

/** A clock that advances one millisecond per reading: limits become a count of steps, not wall time. */
function steppingClock() {
  let ms = 0;
  return { now: () => ms++ };
}

/**
 * Small instances of one row with signed pair terms on random graphs (trees, and cycles that
 * the forest leaves folded), some options removed, and a multiplier.
 */
const pairedInstances = fc.record({
  items: fc.array(fc.array(fc.record({ cost: fc.double({ min: 0, max: 1, noNaN: true }), weight: fc.integer({ min: 0, max: 100 }) }), { minLength: 1, maxLength: 3 }), { minLength: 2, maxLength: 6 }),
  edges: fc.array(fc.record({ a: fc.nat(), b: fc.nat(), terms: fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 9, maxLength: 9 }) }), { maxLength: 8 }),
  dead: fc.array(fc.boolean(), { minLength: 18, maxLength: 18 }),
  mu: fc.double({ min: 0, max: 2, noNaN: true }),
});

describe('exact Lagrangian bound over a forest of pair terms (issue #26.3)', () => {
  it('equals the least relaxed value by enumeration on trees, stays below it on any graph, and its min-marginals are exact on trees', () => {
    fc.assert(
      fc.property(pairedInstances, ({ items, edges, dead, mu }) => {
        const inst = flatten({ items: items.map((options) => ({ options: options.map((o) => ({ cost: o.cost, weights: [o.weight] })) })), capacities: [50] }, () => true);
        const n = items.length;
        const seen = new Set<string>();
        const pairs: FlatPair[] = [];
        for (const edge of edges) {
          const a = edge.a % n;
          const b = edge.b % n;
          if (a === b || seen.has(`${Math.min(a, b)},${Math.max(a, b)}`)) continue;
          seen.add(`${Math.min(a, b)},${Math.max(a, b)}`);
          const width = items[b]!.length;
          pairs.push({ a, b, width, table: Float64Array.from({ length: items[a]!.length * width }, (_, q) => edge.terms[q]!) });
        }
        const alive = new Uint8Array(inst.cost.length).fill(1);
        for (let i = 0; i < n; i++) {
          // Keep at least one option an item.
          for (let o = inst.start[i]! + 1; o < inst.start[i + 1]!; o++) if (dead[o]) alive[o] = 0;
        }
        const { forest, left } = spanningForest(n, pairs, pairs.map((_, p) => p));
        // The pairs left out are folded into item a, as the search does.
        const cost = Float64Array.from(inst.cost);
        for (const p of left) {
          const { a, b, table, width } = pairs[p]!;
          for (let o = inst.start[a]!; o < inst.start[a + 1]!; o++) {
            let least = Infinity;
            for (let q = inst.start[b]!; q < inst.start[b + 1]!; q++) if (alive[q]) least = Math.min(least, table[(o - inst.start[a]!) * width + q - inst.start[b]!]!);
            cost[o] = cost[o]! + least;
          }
        }
        const muRow = Float64Array.of(mu);
        const excess = new Float64Array(inst.cost.length);
        const point = evaluateForest(inst, cost, alive, pairs, forest, muRow, forestScratch(inst), excess);
        // Enumerate the true relaxed objective (every pair exact): least overall and with each option forced.
        const price = mu / inst.rowScale[0]!;
        const forced = new Float64Array(inst.cost.length).fill(Infinity);
        let least = Infinity;
        const choice: number[] = [];
        const visit = (i: number) => {
          if (i === n) {
            let v = -price * inst.capacity[0]!;
            for (let k = 0; k < n; k++) v += inst.cost[choice[k]!]! + price * inst.weight[choice[k]!]!;
            for (const pair of pairs) v += pair.table[(choice[pair.a]! - inst.start[pair.a]!) * pair.width + choice[pair.b]! - inst.start[pair.b]!]!;
            least = Math.min(least, v);
            for (const o of choice) forced[o] = Math.min(forced[o]!, v);
            return;
          }
          for (let o = inst.start[i]!; o < inst.start[i + 1]!; o++) {
            if (!alive[o]) continue;
            choice[i] = o;
            visit(i + 1);
          }
        };
        visit(0);
        const tolerance = 1e-9 * Math.max(1, Math.abs(least));
        expect(point.value).toBeLessThanOrEqual(least + tolerance);
        if (left.length === 0) {
          expect(point.value).toBeGreaterThanOrEqual(least - tolerance);
          for (let o = 0; o < inst.cost.length; o++) if (alive[o]) expect(point.value + excess[o]!).toBeCloseTo(forced[o]!, 9);
        } else {
          // Folded pairs keep every forced value a lower bound.
          for (let o = 0; o < inst.cost.length; o++) if (alive[o]) expect(point.value + excess[o]!).toBeLessThanOrEqual(forced[o]! + tolerance);
        }
      }),
      { numRuns: 500, seed: 263 },
    );
  });

  it('proves chains and stars of 300 layers with signed pair terms as strict HiGHS does', async () => {
    // Before the forest bound none of these was proven in 10 s, and the plans answered were up
    // to 16.6% above the optimum (chains with negative terms kept).
    const cases = [
      { shape: 'chain' as const, paired: 280, negative: 'keep' as const },
      { shape: 'chain' as const, paired: 280, negative: 'cap' as const },
      { shape: 'star' as const, paired: 50, negative: 'keep' as const },
    ];
    for (const { shape, paired, negative } of cases) {
      const input = { ...pairGraphPlanInput(shape, 300, paired, 2, 2, 0.35), negativeInteractions: negative };
      const plan = makePlan({ ...input, solver: { ...input.solver, timeLimitMs: 200_000 } }, steppingClock());
      expect(plan.status).toBe('optimal');
      const { reference, optimum } = await strictPlanOptimum(input);
      expect(reference.status).toBe('optimal');
      expect(Math.abs(plan.objective.value - optimum)).toBeLessThanOrEqual(1e-9 * Math.abs(optimum));
      expect(plan.bound).toBeLessThanOrEqual(optimum + 1e-12 * Math.abs(optimum));
    }
  }, 120_000);

  it('proves sparse pairs on 1,000 layers where merging components alone stopped at the time limit', async () => {
    // 167 random pairs among 1,000 layers (a forest of components of up to 7 layers), 2 budgets:
    // before, 10 s left a gap of 1.8e-3 on seed 2 (merging components of at most 1,296
    // combinations) and 4.3e-5 on seed 3 (the forest search too); merged whole by their
    // Pareto-efficient combinations (paretoMerge.ts), each is one additive solve.
    for (const seed of [2, 3]) {
      const input = interactionPlanInput(1000, 6000, 2, seed);
      const plan = makePlan({ ...input, solver: { ...input.solver, timeLimitMs: 1_000_000 } }, steppingClock());
      expect(plan.status).toBe('optimal');
      // Strict HiGHS shrinks every budget by 2e-9 relative, which may leave out this plan (on
      // seed 2 its optimum is 2.2e-8 above it).
      const { optimum } = await strictPlanOptimum(input);
      expect(plan.objective.value).toBeLessThanOrEqual(optimum * (1 + 1e-12));
      expect(plan.objective.value).toBeGreaterThanOrEqual(optimum * (1 - 1e-7));
    }
  }, 120_000);
});
