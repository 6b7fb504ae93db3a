import { coreError, invalidInput, type CoreError } from '../errors.js';
import { expandChoice, instanceFor } from '../problem/instance.js';
import { reducedFor, type PreparedProblem } from '../problem/prepare.js';
import type { ResolvedLimit } from '../problem/rows.js';
import type { SolverOptions } from '../solvers/backend.js';
import { budgetFreeBound, withinCapacity, type Clock } from '../solvers/instance.js';
import { runBackend } from '../solvers/solve.js';
import type { SolverReport } from './planResult.js';
import { verifyAssignment, type VerifiedAssignment } from './verify.js';

/** A verified assignment and what is proven about it. */
export interface PlanSolution {
  verified: VerifiedAssignment;
  /** With alternatives > 1: the best distinct plans found, best first (the first is `verified`), each verified. */
  alternatives?: VerifiedAssignment[];
  status: 'optimal' | 'feasible';
  /** Proven lower bound on the objective (at most the objective). */
  bound: number;
  solver: SolverReport;
}

/**
 * The one way the core solves: a prepared problem under `limits` (its own, or a frontier
 * point's), reduced, solved by the named backend and verified against the per-layer problem
 * before anything is answered. Throws infeasible (with every limit and the least value it could
 * reach) or no-solution-in-time.
 */
export function solvePlan(problem: PreparedProblem, limits: ResolvedLimit[], solver: SolverOptions, clock: Clock, alternatives = 1): PlanSolution {
  if (solver.backend === 'lp-solver' && (problem.pairs.length > 0 || alternatives > 1)) {
    const what = problem.pairs.length > 0 ? 'model.interactions' : 'alternatives';
    throw invalidInput([{ path: 'solver.backend', message: `the lp-solver backend solves the additive problem for one plan only; ${what} need the mckp backend (or auto)` }]);
  }
  if (limits.some((limit) => !withinCapacity(limit.leastReachable, limit.limit))) {
    throw infeasible(limits, problem.leftOut);
  }
  const reduced = reducedFor(problem, limits.map((limit) => limit.quantity));
  const instance = instanceFor(reduced, limits);
  const run = runBackend(solver.backend, instance, { ...solver, alternatives, now: clock.now });
  const { outcome } = run;
  if (outcome.status === 'infeasible') {
    throw infeasible(limits, problem.leftOut);
  }
  if (!outcome.choice) {
    throw coreError('BITPLAN_ERR_NO_SOLUTION_IN_TIME', [run.backend, solver.timeLimitMs]);
  }
  const verify = (choice: number[]) => verifyAssignment(problem, expandChoice(problem.items, reduced, choice), problem.objective, limits);
  const verified = verify(outcome.choice);
  // A backend's own bound, else for a proven optimum the objective, else the budget-free minimum
  // (which counts pair terms at their least: a negative term can take a plan below every
  // item's cheapest option, so the items' minima alone are no bound).
  const budgetFree = budgetFreeBound(instance);
  const instanceBound = outcome.bound ?? (outcome.status === 'optimal' ? verified.objective - reduced.fixedObjective : budgetFree);
  const bound = Math.min(verified.objective, Math.max(instanceBound, budgetFree) + reduced.fixedObjective);
  const status = outcome.status === 'optimal' ? 'optimal' : 'feasible';
  // A backend that stops early says why; javascript-lp-solver only ever stops at its time limit.
  const stoppedBy = status === 'feasible' ? (outcome.stoppedBy ?? 'time-limit') : undefined;
  return {
    verified,
    ...(outcome.alternatives ? { alternatives: outcome.alternatives.map((plan) => verify(plan.choice)) } : {}),
    status,
    bound,
    solver: { backend: run.backend, timeMs: run.timeMs, nodes: outcome.nodes, ...(stoppedBy ? { stoppedBy } : {}) },
  };
}

/**
 * The 422 for budgets no assignment meets: every limit with the least value it could reach; the
 * message names the budgets below their least reachable value, or says they conflict.
 */
export function infeasible(limits: ResolvedLimit[], leftOut?: string): CoreError {
  const budgets = limits.map((limit) => ({ metric: limit.quantity, limit: limit.limit, leastReachable: limit.leastReachable }));
  const unreachable = budgets.filter((b) => !withinCapacity(b.leastReachable, b.limit));
  const why = unreachable.length > 0
    ? unreachable.map((b) => `${b.metric} limit ${b.limit} is below the least reachable ${b.leastReachable}`).join('; ')
    : 'each budget alone is reachable, but not all of them together';
  // Candidates the request's list left out may be what would have met the budgets.
  return coreError('BITPLAN_ERR_INFEASIBLE', [leftOut ? `${why}; ${leftOut}` : why], { budgets });
}
