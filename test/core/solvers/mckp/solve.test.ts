import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ChoiceInstance } from '../../../../src/core/solvers/instance.js';
import { CoreError, makePlan, prepareProblem, type PlanInput } from '../../../../src/core/index.js';
import { instanceFor } from '../../../../src/core/problem/instance.js';
import { reducedFor, type PreparedProblem } from '../../../../src/core/problem/prepare.js';
import { BENCH_CASES, llama2_70bShaped } from '../../../support/instances.js';
import { randomPlanInput } from '../../../support/randomFamily.js';
import { searchCore } from '../../../../src/core/solvers/mckp/core.js';
import { flatten } from '../../../../src/core/solvers/mckp/flat.js';
import { solveDual } from '../../../../src/core/solvers/mckp/lagrangian.js';
import { MCKP_DEFAULTS, mckpOptions } from '../../../../src/core/solvers/mckp/options.js';
import { itemReducedCosts } from '../../../../src/core/solvers/mckp/reducedCosts.js';
import { solveWithMckp } from '../../../../src/core/solvers/mckp/solve.js';

/** A clock that advances one millisecond per reading: limits become a count of steps, not wall time. */
function steppingClock() {
  let ms = 0;
  return { now: () => ms++ };
}

/** The problem's own instance: its budgets as rows, the fixed layers taken off. */
const instanceOf = (problem: PreparedProblem) => instanceFor(reducedFor(problem, problem.limits.map((l) => l.quantity)), problem.limits);

const hardCase = BENCH_CASES.find((c) => c.name.startsWith('resnet50-hawq-v3, candidates int2..int8'))!;

describe('mckp backend', () => {
  it('proves the optimum of the hard ResNet50 case (6 candidates, 3 budgets)', () => {
    const plan = makePlan(hardCase.input(), { now: () => performance.now() });
    expect(plan.status).toBe('optimal');
    expect(plan.solver.backend).toBe('mckp');
    expect(plan.gap).toBeLessThanOrEqual(1e-9);
    expect(plan.bound).toBeLessThanOrEqual(plan.objective.value);
  });

  it('agrees with an independent solver on the hard ResNet50 case', () => {
    // HiGHS (scipy 1.17.1 optimize.milp, mip_rel_gap 0) on this reduced instance (fixed layers
    // taken off) reports 0.0717851517920251.
    const problem = prepareProblem(hardCase.input());
    const instance = instanceOf(problem);
    const outcome = solveWithMckp(instance, { timeLimitMs: 60_000, relativeGap: 0, now: () => performance.now() });
    expect(outcome.status).toBe('optimal');
    expect(outcome.objective).toBeCloseTo(0.0717851517920251, 12);
  });

  it('leaves a round incomplete rather than generate more successors than allowed', () => {
    const problem = prepareProblem(hardCase.input());
    const flat = flatten(instanceOf(problem));
    const dual = solveDual(flat, () => 0, 1, MCKP_DEFAULTS);
    const search = (maxSuccessors?: number) =>
      searchCore(flat, itemReducedCosts(flat, dual.best.mu), Infinity, 1e-4, { now: () => 0, deadline: 1, lagrangianValue: dual.best.value, options: mckpOptions(maxSuccessors === undefined ? {} : { maxSuccessors }) });
    expect(search().complete).toBe(true);
    const capped = search(50);
    expect(capped.complete).toBe(false);
    expect(capped.improved).toBeUndefined();
  });

  it('finds nothing in a round whose fixed items break a budget, whatever the multipliers', () => {
    // At mu = 0 the heavy option is the only one of reduced cost below the threshold, so
    // reduced-cost fixing fixes the item to it: a plan that breaks the budget, not an improvement.
    const flat = flatten({ items: [{ options: [{ cost: 1, weights: [1] }, { cost: 0, weights: [2] }] }], capacities: [1] });
    const result = searchCore(flat, itemReducedCosts(flat, Float64Array.of(0)), Infinity, 0.5, { now: () => 0, deadline: 1, lagrangianValue: 0, options: MCKP_DEFAULTS });
    expect(result.complete).toBe(true);
    expect(result.improved).toBeUndefined();
  });

  it('prices a single row even when its lightest options overfill it (a budget at its least, up to rounding)', () => {
    // Hull segments of efficiency 0.8 and 0.2: the first one taken already overflows, so the
    // row's price is 0.8 (a price of 0 would make the cheapest, heaviest option the minimizer).
    const flat = flatten({ items: [{ options: [{ cost: 1, weights: [1] }, { cost: 0.2, weights: [2] }, { cost: 0, weights: [3] }] }], capacities: [0.9] });
    const { mu } = solveDual(flat, () => 0, 1, MCKP_DEFAULTS).best;
    expect(mu[0]! / flat.rowScale[0]!).toBeCloseTo(0.8, 12);
  });

  it('reports a bound no greater than the optimum wherever it is stopped', () => {
    const problem = prepareProblem(hardCase.input());
    const instance = instanceOf(problem);
    const optimum = 0.0717851517920251; // HiGHS, as above
    const bounds = new Set<number>();
    for (let timeLimitMs = 8; timeLimitMs <= 1024; timeLimitMs *= 2) {
      const outcome = solveWithMckp(instance, { timeLimitMs, relativeGap: 0, ...steppingClock() });
      if (outcome.status === 'time-limit') continue;
      expect(outcome.bound!).toBeLessThanOrEqual(optimum + 1e-12);
      expect(outcome.objective!).toBeGreaterThanOrEqual(optimum - 1e-12);
      bounds.add(outcome.bound!);
    }
    // Stopped at several stages, with bounds that rise as the search gets further.
    expect(bounds.size).toBeGreaterThan(2);
  });

  it('stops at timeLimitMs with the best assignment found and its proven gap', () => {
    const input = hardCase.input();
    const plan = makePlan({ ...input, solver: { ...input.solver, timeLimitMs: 40 } }, steppingClock());
    expect(plan.status).toBe('feasible');
    expect(plan.gap).toBeGreaterThan(0);
    expect(plan.bound).toBeLessThan(plan.objective.value);
    for (const budget of plan.budgets) expect(budget.used).toBeLessThanOrEqual(budget.limit);
    // It says why it stopped and what it proved.
    expect(plan.solver.stoppedBy).toBe('time-limit');
    expect(plan.warnings.at(-1)).toMatch(/^not proven optimal: the time limit \(solver\.timeLimitMs, capped by the server\) stopped the search; this plan is at most [\d.]+% above the optimum/);
    // The same steps give the same answer.
    const again = makePlan({ ...input, solver: { ...input.solver, timeLimitMs: 40 } }, steppingClock());
    expect(again.layers.map((l) => l.candidate)).toEqual(plan.layers.map((l) => l.candidate));
  });

  it('never stops early while time remains: with no time limit, only the node limit stops it', () => {
    // Three budgets of unrelated costs: the core program hits its memory caps, branch and bound goes on.
    const problem = prepareProblem(randomPlanInput(150, 3, 1));
    const instance = instanceOf(problem);
    const proven = solveWithMckp(instance, { timeLimitMs: 1e9, relativeGap: 0, now: () => 0 });
    expect(proven.status).toBe('optimal');
    expect(proven.stoppedBy).toBeUndefined();
    const limited = solveWithMckp(instance, { timeLimitMs: 1e9, relativeGap: 0, now: () => 0 }, { prover: 'branch', maxBranchNodes: 3 });
    expect(limited.status).toBe('feasible');
    expect(limited.stoppedBy).toBe('node-limit');
    expect(limited.bound!).toBeLessThanOrEqual(proven.objective! + 1e-12);
    expect(limited.objective!).toBeGreaterThanOrEqual(proven.objective! - 1e-12);
  });

  it('proves the same optimum when hard rounds are split (a threshold halfway down tried first)', () => {
    // Small work shares make rounds stop short at their first turn, so that rounds are split.
    for (const [layers, budgets, seed] of [[150, 2, 2], [150, 3, 1], [300, 3, 4]] as const) {
      const instance = instanceOf(prepareProblem(randomPlanInput(layers, budgets, seed)));
      const limits = { timeLimitMs: 1e9, relativeGap: 0, now: () => 0 };
      const whole = solveWithMckp(instance, limits, { firstRoundWork: 200, splitRatio: Infinity });
      const split = solveWithMckp(instance, limits, { firstRoundWork: 200, splitRatio: 1.01 });
      expect(whole.status).toBe('optimal');
      expect(split.status).toBe('optimal');
      expect(split.objective!).toBeCloseTo(whole.objective!, 12);
      expect(split.bound!).toBeLessThanOrEqual(split.objective!);
    }
  });

  it('accepts a relative gap and answers optimal within it', () => {
    const input: PlanInput = { ...hardCase.input() };
    const exact = makePlan(input, { now: () => performance.now() });
    const loose = makePlan({ ...input, solver: { ...input.solver, relativeGap: 0.05 } }, { now: () => performance.now() });
    expect(loose.status).toBe('optimal');
    expect(loose.gap).toBeLessThanOrEqual(0.05);
    expect(loose.objective.value!).toBeLessThanOrEqual(exact.objective.value! * 1.05 + 1e-15);
    expect(loose.solver.nodes).toBeLessThan(exact.solver.nodes);
  });

  it('plans a 560-layer Llama-2-70B-shaped model with two budgets to a proven optimum', () => {
    const plan = makePlan(
      {
        model: llama2_70bShaped(),
        modelPath: 'model',
        budgets: [{ metric: 'sizeBytes', fraction: 0.3 }, { metric: 'bops', fraction: 0.25 }],
        objective: { minimize: 'sensitivity' },
        batchSize: 1,
        solver: { backend: 'auto', timeLimitMs: 60_000, relativeGap: 0 },
      },
      { now: () => performance.now() },
    );
    expect(plan.status).toBe('optimal');
    expect(plan.layers).toHaveLength(560);
    expect(new Set(plan.layers.map((l) => l.candidate)).size).toBeGreaterThan(2);
  });

  it('with a cutoff, answers the optimum when it lies below and infeasible when nothing does', () => {
    for (const [layers, budgets, seed] of [[40, 1, 3], [150, 2, 4], [300, 3, 5]] as const) {
      const instance = instanceOf(prepareProblem(randomPlanInput(layers, budgets, seed)));
      const limits = { timeLimitMs: 60_000, relativeGap: 0, now: () => performance.now() };
      const free = solveWithMckp(instance, limits);
      expect(free.status).toBe('optimal');
      const optimum = free.objective!;
      const above = solveWithMckp(instance, { ...limits, cutoff: optimum + 1e-6 * Math.abs(optimum) });
      expect(above.status).toBe('optimal');
      expect(above.objective).toBeCloseTo(optimum, 12);
      expect(solveWithMckp(instance, { ...limits, cutoff: optimum }).status).toBe('infeasible');
      expect(solveWithMckp(instance, { ...limits, cutoff: optimum * 0.9 }).status).toBe('infeasible');
    }
  });

  it('recognises an infeasible instance without search', () => {
    const outcome = solveWithMckp(
      { items: [{ options: [{ cost: 1, weights: [5] }, { cost: 0, weights: [9] }] }], capacities: [4] },
      { timeLimitMs: 1000, relativeGap: 0, now: () => 0 },
    );
    expect(outcome).toEqual({ status: 'infeasible', nodes: 0 });
  });

  it('recognises budgets that each fit but not together', () => {
    const outcome = solveWithMckp(
      { items: [{ options: [{ cost: 1, weights: [1, 3] }, { cost: 1, weights: [3, 1] }] }, { options: [{ cost: 1, weights: [1, 3] }, { cost: 1, weights: [3, 1] }] }], capacities: [3, 3] },
      { timeLimitMs: 1000, relativeGap: 0, now: () => 0 },
    );
    expect(outcome.status).toBe('infeasible');
  });

  it('reports an infeasible plan as a CoreError naming the budgets', () => {
    const input = hardCase.input();
    expect(() => makePlan({ ...input, budgets: [{ metric: 'sizeBytes', max: 1 }] }, { now: () => 0 })).toThrow(CoreError);
  });
});

describe('models of few cost shapes (interchangeable items merged)', () => {
  it('solves models of few shapes (many interchangeable items) to the optimum enumeration finds', () => {
    const shapes = fc.array(
      fc.array(fc.tuple(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 })), { minLength: 2, maxLength: 3 }),
      { minLength: 1, maxLength: 2 },
    );
    fc.assert(
      fc.property(
        shapes,
        fc.array(fc.tuple(fc.nat(), fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 3, maxLength: 3 })), { minLength: 2, maxLength: 8 }),
        fc.tuple(fc.double({ min: 0.2, max: 1, noNaN: true }), fc.double({ min: 0.2, max: 1, noNaN: true })),
        (shapeList, itemSpecs, fractions) => {
          const items = itemSpecs.map(([shapeIndex, costs]) => {
            const shape = shapeList[shapeIndex % shapeList.length]!;
            return { options: shape.map(([w1, w2], j) => ({ cost: costs[j]! / 4, weights: [w1, w2] })) };
          });
          const most = [0, 1].map((k) => items.reduce((sum, item) => sum + Math.max(...item.options.map((o) => o.weights[k]!)), 0));
          const instance: ChoiceInstance = { items, capacities: most.map((total, k) => Math.floor(total * fractions[k]!)) };
          // Exhaustive optimum.
          let best = Infinity;
          const visit = (i: number, c: number, w: number[]) => {
            if (w.some((v, k) => v > instance.capacities[k]!)) return;
            if (i === items.length) {
              best = Math.min(best, c);
              return;
            }
            for (const o of items[i]!.options) visit(i + 1, c + o.cost, [w[0]! + o.weights[0]!, w[1]! + o.weights[1]!]);
          };
          visit(0, 0, [0, 0]);
          const outcome = solveWithMckp(instance, { timeLimitMs: 60_000, relativeGap: 0, now: () => 0 });
          if (best === Infinity) expect(outcome.status).toBe('infeasible');
          else {
            expect(outcome.status).toBe('optimal');
            expect(outcome.objective).toBeCloseTo(best, 9);
          }
        },
      ),
      { numRuns: 300, seed: 23 },
    );
  });
});
