import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeFrontier, prepareProblem, type PlanInput } from '../../../src/core/index.js';
import { optionValue } from '../../../src/core/problem/rows.js';
import { arbitraryPlanInput } from '../../support/randomModels.js';

/** Every Pareto-optimal (cost, sensitivity) pair by enumerating all assignments that hold ties. */
function exhaustiveFrontier(input: PlanInput, axis: 'sizeBytes' | 'bops'): [number, number][] {
  const { layers, model } = prepareProblem({ ...input, budgets: [] });
  const index = new Map(layers.map((l, i) => [l.layer.name, i]));
  const pairs: [number, number][] = [];
  const choice: number[] = [];
  const visit = (i: number) => {
    if (i === layers.length) {
      const tied = (model.groups ?? []).every((g) => new Set(g.map((n) => layers[index.get(n)!]!.options[choice[index.get(n)!]!]!.candidate.id)).size === 1);
      if (!tied) return;
      const options = layers.map((l, k) => l.options[choice[k]!]!);
      pairs.push([options.reduce((s, o) => s + optionValue(o, axis)!, 0), options.reduce((s, o) => s + o.score.value, 0)]);
      return;
    }
    for (let j = 0; j < layers[i]!.options.length; j++) {
      choice[i] = j;
      visit(i + 1);
    }
  };
  visit(0);
  pairs.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const front: [number, number][] = [];
  for (const pair of pairs) if (front.length === 0 || pair[1] < front[front.length - 1]![1] - 1e-12) front.push(pair);
  return front;
}

describe('frontier against exhaustive enumeration', () => {
  it('the all frontier is exactly the Pareto set; sampled frontiers are subsets of it', () => {
    fc.assert(
      fc.property(arbitraryPlanInput(5), fc.constantFrom('sizeBytes' as const, 'bops' as const), (input, axis) => {
        const exact = exhaustiveFrontier(input, axis);
        const base = { model: input.model, modelPath: 'model', allowEmulated: false, axis, budgets: [], batchSize: 1, maxPoints: 10000, solver: { timeLimitMs: 10000, relativeGap: 0 } };
        const all = makeFrontier({ ...base, points: 2, all: true }, { now: () => 0 });
        expect(all.points).toHaveLength(exact.length);
        all.points.forEach((p, i) => {
          expect(Math.abs(p.cost - exact[i]![0])).toBeLessThanOrEqual(1e-9 * Math.max(1, exact[i]![0]));
          expect(p.sensitivity).toBeCloseTo(exact[i]![1], 9);
        });
        const sampled = makeFrontier({ ...base, points: 7, all: false }, { now: () => 0 });
        for (const point of sampled.points) {
          expect(exact.some(([c, s]) => Math.abs(c - point.cost) <= 1e-9 * Math.max(1, c) && Math.abs(s - point.sensitivity) <= 1e-9 * Math.max(1, s))).toBe(true);
        }
      }),
      { seed: 5, numRuns: 60 },
    );
  });
});
