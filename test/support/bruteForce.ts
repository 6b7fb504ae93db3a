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

/** Every feasible per-layer assignment: its objective (interactions included) and its total of `also`. */
export function bruteForceAssignments(input: PlanInput, also?: Parameters<typeof optionValue>[1]): { objective: number; also: number }[] {
  const problem = prepareProblem(input);
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
