import { prepareProblem, type PlanInput } from '../../src/core/index.js';
import { interactionTotal } from '../../src/core/problem/interactions.js';
import { optionValue } from '../../src/core/problem/rows.js';

/**
 * The optimum by enumerating every per-layer assignment (pins, ties and every limit checked
 * directly), or undefined when none is feasible. For instances of a few layers only.
 */
export function bruteForceOptimum(input: PlanInput): number | undefined {
  return bruteForcePlans(input)[0];
}

/** The objective of every feasible per-layer assignment (interactions included), best first. */
export function bruteForcePlans(input: PlanInput): number[] {
  return bruteForceAssignments(input).map((plan) => plan.objective).sort((a, b) => a - b);
}

/**
 * The problem to enumerate: the budgets' metrics named as costs the caller needs too, so that
 * budgets that decide nothing (the planner's 422) are enumerated rather than refused.
 */
function enumerable(input: PlanInput) {
  return prepareProblem({ ...input, axes: [...(input.axes ?? []), ...input.budgets.map((budget) => budget.metric)] });
}

/**
 * Whether the planner's 422 budgets-decide-nothing is true of `input`: it has budgets, each a
 * fraction, and over every assignment whose ties hold, each budget's metric takes one value.
 */
export function budgetsDecideNothing(input: PlanInput): boolean {
  if (input.budgets.length === 0 || input.budgets.some((budget) => budget.fraction === undefined)) return false;
  const problem = enumerable(input);
  const { layers } = problem;
  const groups = problem.model.groups ?? [];
  const index = new Map(layers.map((l, i) => [l.layer.name, i]));
  const seen = input.budgets.map(() => new Set<number>());
  const choice: number[] = [];
  const visit = (i: number) => {
    if (i === layers.length) {
      if (!groups.every((group) => new Set(group.map((name) => layers[index.get(name)!]!.options[choice[index.get(name)!]!]!.candidate.id)).size === 1)) return;
      input.budgets.forEach((budget, k) => seen[k]!.add(layers.reduce((sum, l, n) => sum + optionValue(l.options[choice[n]!]!, budget.metric)!, 0)));
      return;
    }
    for (let j = 0; j < layers[i]!.options.length; j++) {
      choice[i] = j;
      visit(i + 1);
    }
  };
  visit(0);
  // One value each, up to the rounding of sums taken in another order.
  return seen.every((values) => Math.max(...values) - Math.min(...values) <= 1e-9 * Math.max(1, Math.abs(Math.max(...values))));
}

/** Every feasible per-layer assignment: its objective (interactions included) and its total of `also`. */
export function bruteForceAssignments(input: PlanInput, also?: Parameters<typeof optionValue>[1]): { objective: number; also: number }[] {
  const problem = enumerable(input);
  const { layers, limits, objective } = problem;
  const groups = problem.model.groups ?? [];
  const index = new Map(layers.map((l, i) => [l.layer.name, i]));
  const values: { objective: number; also: number }[] = [];
  const choice: number[] = [];
  const visit = (i: number) => {
    if (i === layers.length) {
      const tiesHold = groups.every((group) => new Set(group.map((name) => layers[index.get(name)!]!.options[choice[index.get(name)!]!]!.candidate.id)).size === 1);
      if (!tiesHold) return;
      const total = (q: Parameters<typeof optionValue>[1]) => layers.reduce((sum, l, k) => sum + optionValue(l.options[choice[k]!]!, q)!, 0);
      if (limits.some((limit) => total(limit.quantity) > limit.limit * (1 + 1e-12) + 1e-300)) return;
      const value = total(objective) + (objective === 'sensitivity' ? interactionTotal(problem.pairs, layers, choice) : 0);
      values.push({ objective: value, also: also ? total(also) : Number.NaN });
      return;
    }
    for (let j = 0; j < layers[i]!.options.length; j++) {
      choice[i] = j;
      visit(i + 1);
    }
  };
  visit(0);
  return values;
}
