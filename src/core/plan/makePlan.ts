import { prepareProblem, type ProblemInput } from '../problem/prepare.js';
import type { SolverOptions } from '../solvers/backend.js';
import type { Clock } from '../solvers/instance.js';
import { describePlan } from './describe.js';
import type { PlanResult } from './planResult.js';
import { solvePlan } from './solvePlan.js';

export interface PlanInput extends ProblemInput {
  solver: SolverOptions;
  /** How many of the best distinct plans to find and report (default 1; at most 20). */
  alternatives?: number;
}

/** Plans the request: the optimal (or best found) candidate per layer, verified before it is returned. */
export function makePlan(input: PlanInput, clock: Clock): PlanResult {
  const problem = prepareProblem(input);
  if (input.budgets.length === 0 && input.objective.minimize === 'sensitivity') {
    // Nothing limits the plan: it is the least sensitive one, which a user rarely means to ask.
    problem.warnings.push('no budgets: nothing limits this plan, so every layer takes its least sensitive (usually its most precise) candidate; add budgets, e.g. {"metric": "sizeBytes", "fraction": 0.5}');
  }
  return describePlan(problem, solvePlan(problem, problem.limits, input.solver, clock, input.alternatives ?? 1));
}
