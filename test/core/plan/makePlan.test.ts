import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CoreError, makePlan, prepareProblem, type PlanInput } from '../../../src/core/index.js';
import { verifyAssignment } from '../../../src/core/plan/verify.js';
import { bruteForceOptimum, bruteForcePlans, budgetsDecideNothing } from '../../support/bruteForce.js';
import { arbitraryPlanInput } from '../../support/randomModels.js';

const clock = { now: () => performance.now() };
const BACKENDS = ['mckp', 'lp-solver'] as const;

type Planned = number | 'infeasible' | 'decides nothing';

/** The plan's objective, or why there is none. */
function planOrInfeasible(input: PlanInput): Planned {
  let planned: Planned;
  try {
    planned = makePlan(input, clock).objective.value;
  } catch (error) {
    if (!(error instanceof CoreError)) throw error;
    if (error.code === 'BITPLAN_ERR_INFEASIBLE') planned = 'infeasible';
    else if (error.code === 'BITPLAN_ERR_BUDGETS_DECIDE_NOTHING') planned = 'decides nothing';
    else throw error;
  }
  return planned;
}

/** planOrInfeasible on an instance small enough to enumerate: a 422 budgets-decide-nothing is checked against enumeration both ways. */
function checkedPlan(input: PlanInput): Planned {
  const planned = planOrInfeasible(input);
  if (input.objective.minimize === 'sensitivity') expect(planned === 'decides nothing').toBe(budgetsDecideNothing(input));
  return planned;
}

function expectSameOptimum(expected: number | undefined, planned: Planned) {
  if (planned === 'decides nothing') return;
  if (expected === undefined) {
    expect(planned).toBe('infeasible');
  } else {
    expect(planned).not.toBe('infeasible');
    expect(planned as number).toBeCloseTo(expected, 9);
  }
}

describe.each(BACKENDS)('planner with the %s backend against exhaustive enumeration', (backend) => {
  it('finds the optimum of random small instances with several budgets, ties and pins, or recognises them infeasible', () => {
    fc.assert(
      fc.property(arbitraryPlanInput(6, { backend }), (input) => expectSameOptimum(bruteForceOptimum(input), checkedPlan(input))),
      { seed: 20261126, numRuns: 150 },
    );
  });

  it('minimizes a cost under a sensitivity bound (the second objective form)', () => {
    fc.assert(
      fc.property(arbitraryPlanInput(5, { objective: 'cost', backend }), (input) => expectSameOptimum(bruteForceOptimum(input), checkedPlan(input))),
      { seed: 7, numRuns: 80 },
    );
  });
});

describe('interactions and the k best plans against exhaustive enumeration', () => {
  it('finds the optimum with random pairwise terms (negative ones kept), ties, pins and one to three budgets', () => {
    fc.assert(
      fc.property(arbitraryPlanInput(6, { interactions: true }), (input) => expectSameOptimum(bruteForceOptimum(input), checkedPlan(input))),
      { seed: 1515, numRuns: 150 },
    );
  });

  it('answers exactly the k best distinct plans, best first, each verified', () => {
    fc.assert(
      fc.property(arbitraryPlanInput(5, { interactions: true }), fc.integer({ min: 2, max: 8 }), (input, k) => {
        const all = bruteForcePlans(input);
        let plan;
        try {
          plan = makePlan({ ...input, alternatives: k }, clock);
        } catch (error) {
          if (error instanceof CoreError && error.code === 'BITPLAN_ERR_BUDGETS_DECIDE_NOTHING') {
            expect(budgetsDecideNothing(input)).toBe(true);
            return;
          }
          if (!(error instanceof CoreError && error.code === 'BITPLAN_ERR_INFEASIBLE')) throw error;
          expect(all).toEqual([]);
          return;
        }
        expect(plan.status).toBe('optimal');
        const objectives = plan.alternatives!.map((alternative) => alternative.objective);
        expect(objectives.length).toBe(Math.min(k, all.length));
        objectives.forEach((value, n) => expect(value).toBeCloseTo(all[n]!, 9));
        expect(plan.alternatives![0]!.objective).toBe(plan.objective.value);
        expect(new Set(plan.alternatives!.map((a) => a.layers.map((l) => l.candidate.id).join(','))).size).toBe(objectives.length);
      }),
      { seed: 1516, numRuns: 100 },
    );
  });

  it('refuses interactions and alternatives on the lp-solver backend, naming the field', () => {
    const [input] = fc.sample(arbitraryPlanInput(4, { interactions: true }).filter((i) => (i.model.interactions ?? []).length > 0), { seed: 5, numRuns: 1 });
    expect(() => makePlan({ ...input!, solver: { ...input!.solver, backend: 'lp-solver' } }, clock)).toThrow(/lp-solver backend .* model.interactions need the mckp backend/);
  });
});

describe('mckp against javascript-lp-solver on instances too large to enumerate', () => {
  it('agrees on the optimum of random 12-to-24-layer instances', () => {
    const inputs = fc.sample(arbitraryPlanInput(24, { backend: 'mckp' }).filter((input) => input.model.layers.length >= 12), { seed: 11, numRuns: 25 });
    for (const input of inputs) {
      const reference = planOrInfeasible({ ...input, solver: { ...input.solver, backend: 'lp-solver' } });
      const planned = planOrInfeasible(input);
      if (reference === 'decides nothing') expect(planned).toBe('decides nothing');
      else expectSameOptimum(reference === 'infeasible' ? undefined : reference, planned);
    }
  });

  it('is deterministic: the same request gives the same plan', () => {
    fc.assert(
      fc.property(arbitraryPlanInput(12), (input) => {
        const first = makePlanOrError(input);
        expect(makePlanOrError(input)).toEqual(first);
      }),
      { seed: 3, numRuns: 30 },
    );
  });
});

function makePlanOrError(input: PlanInput) {
  try {
    const plan = makePlan(input, { now: () => 0 });
    return { layers: plan.layers.map((l) => l.candidate), objective: plan.objective, bound: plan.bound };
  } catch (error) {
    return (error as Error).message;
  }
}

describe('verification never trusts a solver', () => {
  const input: PlanInput = {
    model: {
      name: 'm',
      layers: [
        { name: 'a', params: 100, macs: 10, pin: 'int8/int8' },
        { name: 'b', params: 100, macs: 10, sensitivity: { hessianTrace: 1, perturbation: { int4: 1, int8: 0.01 } }, candidates: ['int4/int4', 'int8/int8'] },
        { name: 'c', params: 100, macs: 10, sensitivity: { hessianTrace: 1, perturbation: { int4: 2, int8: 0.02 } }, candidates: ['int4/int4', 'int8/int8'] },
      ],
      groups: [['b', 'c']],
    },
    modelPath: 'model',
    budgets: [{ metric: 'sizeBytes', max: 200 }],
    objective: { minimize: 'sensitivity' },
    batchSize: 1,
    solver: { backend: 'lp-solver', timeLimitMs: 1000, relativeGap: 0 },
  };
  const problem = prepareProblem(input);
  const verify = (assignment: number[]) => () => verifyAssignment(problem, assignment, problem.objective, problem.limits);

  it('accepts a feasible assignment and recomputes its objective', () => {
    expect(verify([0, 0, 0])().objective).toBeCloseTo(3, 12);
  });

  it.each([
    ['a broken tie', [0, 0, 1], /tied layers b, c/],
    ['an exceeded budget', [0, 1, 1], /sizeBytes 300 exceeds its limit 200/],
    ['a candidate index out of range', [0, 2, 0], /has no candidate 2/],
    ['a fractional index', [0, 0.5, 0], /has no candidate 0.5/],
    ['a missing layer', [0, 0], /2 choices for 3 layers/],
  ])('rejects %s', (_what, assignment, message) => {
    expect(verify(assignment)).toThrow(message);
  });
});

describe('candidate names in a model', () => {
  const sensitivity = { hessianTrace: 1, perturbation: { int4: 1, int8: 0.01 } };
  const input = (candidates: string[], lossDelta?: Record<string, number>): PlanInput => ({
    model: { name: 'm', layers: [{ name: 'a', params: 100, macs: 10, sensitivity: lossDelta ? { lossDelta } : sensitivity, candidates }] },
    modelPath: 'model',
    budgets: [],
    objective: { minimize: 'sensitivity' },
    batchSize: 1,
    solver: { backend: 'mckp', timeLimitMs: 1000, relativeGap: 0 },
  });

  it('takes aliases and repeats as their canonical candidates, once each', () => {
    const problem = prepareProblem(input(['w4a4', 'int8/int8', 'int4/int4', 'w8a8']));
    expect(problem.layers[0]!.options.map((option) => option.candidate.id)).toEqual(['int4/int4', 'int8/int8']);
  });

  it('keeps a canonical list and canonical loss-change keys as they are, and renames aliased keys', () => {
    const candidates = ['int4/int4', 'int8/int8'];
    const lossDelta = { 'int4/int4': 0.5, 'int8/int8': 0.1 };
    const problem = prepareProblem(input(candidates, lossDelta));
    expect(problem.model.layers[0]!.candidates).toBe(candidates);
    expect(problem.model.layers[0]!.sensitivity!.lossDelta).toBe(lossDelta);
    const aliased = prepareProblem(input(candidates, { w4a4: 0.5, w8a8: 0.1 }));
    expect(aliased.model.layers[0]!.sensitivity!.lossDelta).toEqual(lossDelta);
    expect(aliased.layers[0]!.options.map((option) => option.score.value)).toEqual([0.5, 0.1]);
  });
});

describe('costs of layers of one shape', () => {
  const sensitivity = { lossDelta: { 'int4/int4': 0.5, 'int8/int8': 0.1 } };
  const layer = (name: string, extra: object = {}) => ({ name, params: 4096, macs: 8192, sensitivity, candidates: ['int4/int4', 'int8/int8'], ...extra });
  const problem = prepareProblem({
    model: { name: 'm', layers: [layer('a'), layer('b'), layer('c', { pin: 'int8/int8' }), layer('d', { activationElements: 10 }), layer('e', { params: 2048 })] },
    modelPath: 'model',
    budgets: [{ metric: 'bops', fraction: 0.5 }],
    objective: { minimize: 'sensitivity' },
    batchSize: 1,
    solver: { backend: 'mckp', timeLimitMs: 1000, relativeGap: 0 },
  } as PlanInput);
  const costs = (name: string, j: number) => problem.layers.find((plannable) => plannable.layer.name === name)!.options[j]!.costs;

  it('are one frozen object per candidate, the same values as a layer of its own', () => {
    expect(costs('a', 0)).toBe(costs('b', 0));
    expect(costs('a', 1)).toBe(costs('b', 1));
    expect(costs('a', 0)).not.toBe(costs('a', 1));
    expect(Object.isFrozen(costs('a', 0))).toBe(true);
    expect(costs('a', 1)).toEqual(costs('c', 0));
  });

  it('are not shared by pinned layers, layers of another shape or with their own activation figures', () => {
    expect(costs('c', 0)).not.toBe(costs('a', 1));
    expect(Object.isFrozen(costs('c', 0))).toBe(false);
    expect(costs('d', 0)).not.toBe(costs('a', 0));
    expect(costs('e', 0)).not.toBe(costs('a', 0));
    expect(costs('e', 0).sizeBytes).toBe(costs('a', 0).sizeBytes / 2);
  });
});
