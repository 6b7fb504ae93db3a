/**
 * Backend `lp-solver`: javascript-lp-solver's branch and cut on the binary program
 *
 *   minimize sum_ij c_ij x_ij   s.t.  sum_j x_ij = 1 (each item),  sum_ij w_ijk x_ij <= C_k,  x binary.
 *
 * It keeps a dense tableau (O(rows x columns) memory), so it serves small models and as the
 * reference formulation. Every row is scaled to order one before the solver sees it (each budget
 * row divided by its capacity, the objective by its largest coefficient): unscaled, MACs x bits^2
 * near 1e10 against sensitivities near 0.1 make it miss 3 of HAWQ-V3's 9 ResNet18 optima.
 */
// A namespace import: the package's types describe its CommonJS build, its ESM build exports `default`.
import * as lpSolverModule from 'javascript-lp-solver';
import type { Model, SolverAPI } from 'javascript-lp-solver';
import { coreError } from '../errors.js';
import type { ChoiceInstance, SolveLimits, SolveOutcome } from './instance.js';

const solver = lpSolverModule.default as unknown as SolverAPI;
const INTEGRALITY = 1e-6;

function rowScale(values: number[], capacity: number): number {
  if (capacity > 0) return capacity;
  const largest = Math.max(0, ...values.map(Math.abs));
  return largest > 0 ? largest : 1;
}

export function solveWithLpSolver(instance: ChoiceInstance, limits: SolveLimits): SolveOutcome {
  const start = limits.now();
  const costScale = rowScale(
    instance.items.flatMap((item) => item.options.map((option) => option.cost)),
    0,
  );
  const capacityScales = instance.capacities.map((capacity, k) =>
    rowScale(instance.items.flatMap((item) => item.options.map((option) => option.weights[k]!)), capacity),
  );
  const constraints: Model['constraints'] = {};
  const variables: Model['variables'] = {};
  const binaries: Record<string, 1> = {};
  instance.capacities.forEach((capacity, k) => {
    constraints[`row${k}`] = { max: capacity / capacityScales[k]! };
  });
  instance.items.forEach((item, i) => {
    constraints[`one${i}`] = { equal: 1 };
    item.options.forEach((option, j) => {
      const coefficients: Record<string, number> = { objective: option.cost / costScale, [`one${i}`]: 1 };
      option.weights.forEach((weight, k) => {
        if (weight !== 0) coefficients[`row${k}`] = weight / capacityScales[k]!;
      });
      variables[`x${i}_${j}`] = coefficients;
      binaries[`x${i}_${j}`] = 1;
    });
  });
  const model: Model = {
    optimize: 'objective',
    opType: 'min',
    constraints,
    variables,
    binaries,
    // Always solved to a zero gap, which meets any relativeGap the request accepts.
    options: { timeout: limits.timeLimitMs, tolerance: 0 },
  };
  const solution = solver.Solve(model, undefined, true) as unknown as {
    feasible: boolean;
    iter?: number;
    solutionSet: Record<string, number | undefined>;
  };
  const nodes = solution.iter ?? 0;
  const timedOut = limits.now() - start >= limits.timeLimitMs;
  if (!solution.feasible) return { status: timedOut ? 'time-limit' : 'infeasible', nodes };
  const choice = readChoice(instance, solution.solutionSet);
  if (!choice && timedOut) return { status: 'time-limit', nodes };
  if (!choice) {
    throw coreError('BITPLAN_ERR_SOLVER_ANSWER_REJECTED', ['lp-solver answered an assignment that is fractional or not one candidate per layer']);
  }
  return { status: timedOut ? 'feasible' : 'optimal', choice, nodes };
}

/** The chosen option of each item, or undefined when the answer is fractional or not one-per-item. */
function readChoice(instance: ChoiceInstance, values: Record<string, number | undefined>): number[] | undefined {
  const choice: number[] = [];
  for (let i = 0; i < instance.items.length; i++) {
    const chosen: number[] = [];
    for (let j = 0; j < instance.items[i]!.options.length; j++) {
      const value = values[`x${i}_${j}`] ?? 0;
      if (Math.abs(value - 1) <= INTEGRALITY) chosen.push(j);
      else if (Math.abs(value) > INTEGRALITY) return undefined;
    }
    if (chosen.length !== 1) return undefined;
    choice.push(chosen[0]!);
  }
  return choice;
}
