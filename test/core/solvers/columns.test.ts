import { describe, expect, it } from 'vitest';
import { makePlan, prepareProblem } from '../../../src/core/index.js';
import { instanceFor } from '../../../src/core/problem/instance.js';
import { reducedFor } from '../../../src/core/problem/prepare.js';
import { itemsOf, optionColumns, type ChoiceInstance } from '../../../src/core/solvers/instance.js';
import { runBackend } from '../../../src/core/solvers/solve.js';
import { randomPlanInput } from '../../support/randomFamily.js';

const clock = { now: () => performance.now() };

describe('options in flat columns', () => {
  it('hold the same options as the items they come from, and give them back', () => {
    const problem = prepareProblem(randomPlanInput(60, 3, 7));
    const reduced = reducedFor(problem, problem.limits.map((limit) => limit.quantity));
    const fromItems = optionColumns({ items: reduced.items, capacities: [0, 0, 0] });
    expect(fromItems).toEqual(reduced.columns);
    expect(itemsOf(reduced.columns, 3)).toEqual(reduced.items);
    expect(reduced.items.length).toBe(reduced.decisionItems.length);
  });

  it('are all mckp reads: it never builds the items, and solves as it does from items', () => {
    const problem = prepareProblem(randomPlanInput(150, 2, 3));
    const instance = instanceFor(reducedFor(problem, problem.limits.map((limit) => limit.quantity)), problem.limits);
    const columnsOnly: ChoiceInstance = {
      get items(): ChoiceInstance['items'] {
        throw new Error('items read');
      },
      columns: instance.columns!,
      capacities: instance.capacities,
    };
    const limits = { timeLimitMs: 10_000, relativeGap: 0, now: clock.now };
    const fromColumns = runBackend('mckp', columnsOnly, limits).outcome;
    const fromItems = runBackend('mckp', { items: itemsOf(instance.columns!, 2), capacities: instance.capacities }, limits).outcome;
    expect(fromColumns.status).toBe('optimal');
    expect({ ...fromColumns, nodes: 0 }).toEqual({ ...fromItems, nodes: 0 });
    expect(fromColumns.nodes).toBe(fromItems.nodes);
  });

  it('plan the same through every backend (lp-solver reads the items)', () => {
    const input = randomPlanInput(24, 2, 11);
    const byMckp = makePlan({ ...input, solver: { ...input.solver, backend: 'mckp', relativeGap: 0 } }, clock);
    const byLpSolver = makePlan({ ...input, solver: { ...input.solver, backend: 'lp-solver', relativeGap: 0 } }, clock);
    expect(byLpSolver.objective.value).toBeCloseTo(byMckp.objective.value, 9);
  });
});
