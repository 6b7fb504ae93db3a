import { prepareProblem, type ProblemInput } from '../problem/prepare.js';
import type { SolverOptions } from '../solvers/backend.js';
import type { Clock } from '../solvers/instance.js';
import { describePlan } from './describe.js';
import type { PlanResult } from './planResult.js';
import { solvePlan } from './solvePlan.js';

export interface PlanInput extends ProblemInput {
  solver: SolverOptions;
}

/** Plans the request: the optimal (or best found) candidate per layer, verified before it is returned. */
export function makePlan(input: PlanInput, clock: Clock): PlanResult {
  const problem = prepareProblem(input);
  return describePlan(problem, solvePlan(problem, problem.limits, input.solver, clock));
}
