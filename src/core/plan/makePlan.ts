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
  return describePlan(problem, solvePlan(problem, problem.limits, input.solver, clock, input.alternatives ?? 1));
}
