import type { HardwareProfile } from '../../contract/hardware.js';
import type { ModelDescriptor } from '../../contract/model.js';
import type { Plan } from '../../contract/plan.js';
import type { Budget, Objective, SolverOptions } from '../../contract/request.js';
import { CoreError, invalidInput, type FieldIssue } from '../errors.js';
import { buildItems, type Item } from '../problem/items.js';
import { layerOptions, type PlannableLayer } from '../problem/layerOptions.js';
import { canonicalCandidates, normalizeModel } from '../problem/normalize.js';
import { expandChoice, reduce } from '../problem/instance.js';
import { checkQuantityKnown, resolveLimits, type Quantity, type ResolvedLimit } from '../problem/rows.js';
import { withinCapacity } from '../solvers/instance.js';
import { runBackend } from '../solvers/solve.js';
import { describePlan } from './describe.js';
import { verifyAssignment } from './verify.js';

export interface PlanInput {
  model: ModelDescriptor;
  /** Path prefix of the model in the request, for error paths (`model`, or `seed` for a seed). */
  modelPath: string;
  hardware?: HardwareProfile;
  candidates?: string[];
  budgets: Budget[];
  objective: Objective;
  batchSize: number;
  allowEmulated?: boolean;
  solver: SolverOptions;
}

export interface Clock {
  now: () => number;
}

/** Everything a plan is made from, once the request has been checked. */
export interface PreparedProblem {
  model: ModelDescriptor;
  layers: PlannableLayer[];
  items: Item[];
  objective: Quantity;
  limits: ResolvedLimit[];
  warnings: string[];
}

/** Checks the request against the model and builds the problem; throws invalid-input with every issue found. */
export function prepareProblem(input: PlanInput): PreparedProblem {
  const modelIssues: FieldIssue[] = [];
  const model = normalizeModel(input.model, modelIssues);
  const issues: FieldIssue[] = modelIssues.map((issue) => ({ ...issue, path: `${input.modelPath}.${issue.path}` }));
  const requested = input.candidates
    ? canonicalCandidates(input.candidates, 'candidates', issues)
    : input.hardware && canonicalCandidates(input.hardware.defaultCandidates, 'hardware.defaultCandidates', issues);
  if (issues.length > 0) throw invalidInput(issues);

  const { layers, warnings } = layerOptions(
    model,
    { requested, hardware: input.hardware, batchSize: input.batchSize, allowEmulated: input.allowEmulated ?? false, modelPath: input.modelPath },
    issues,
  );
  const groupIssues: FieldIssue[] = [];
  const items = buildItems(model, layers, groupIssues);
  issues.push(...groupIssues.map((issue) => ({ ...issue, path: `${input.modelPath}.${issue.path}` })));
  const objective: Quantity = input.objective.minimize;
  input.budgets.forEach((budget, k) => checkQuantityKnown(layers, budget.metric, `budgets[${k}].metric`, issues, warnings));
  if (objective !== 'sensitivity') checkQuantityKnown(layers, objective, 'objective.minimize', issues, warnings);
  if (issues.length > 0) throw invalidInput(issues);

  const limits = resolveLimits(input.budgets, input.objective, items, layers);
  return { model, layers, items, objective, limits, warnings };
}

/** Plans the request: the optimal (or best found) candidate per layer, verified before it is returned. */
export function makePlan(input: PlanInput, clock: Clock): Plan {
  const problem = prepareProblem(input);
  const { layers, items, objective, limits } = problem;
  if (limits.some((limit) => !withinCapacity(limit.leastReachable, limit.limit))) {
    throw infeasible(limits, 'no assignment meets every budget: at least one budget is below the least value it could reach');
  }
  const reduced = reduce(items, layers, objective, limits);
  const run = runBackend(input.solver.backend, reduced.instance, { ...input.solver, now: clock.now });
  const { outcome } = run;
  if (outcome.status === 'infeasible') {
    throw infeasible(limits, 'no assignment meets all budgets together, although each alone is reachable');
  }
  if (!outcome.choice) {
    throw new CoreError(
      'BITPLAN_ERR_NO_SOLUTION_IN_TIME',
      `the ${run.backend} solver found no assignment within timeLimitMs=${input.solver.timeLimitMs}; raise solver.timeLimitMs or loosen the budgets`,
    );
  }
  const assignment = expandChoice(items, reduced, outcome.choice);
  const verified = verifyAssignment(problem.model, layers, assignment, objective, limits);
  // A backend's own bound, else for a proven optimum the objective, else the budget-free minimum.
  const budgetFree = reduced.instance.items.reduce((sum, item) => sum + Math.min(...item.options.map((o) => o.cost)), 0);
  const instanceBound = outcome.bound ?? (outcome.status === 'optimal' ? verified.objective - reduced.fixedObjective : budgetFree);
  const bound = Math.min(verified.objective, Math.max(instanceBound, budgetFree) + reduced.fixedObjective);
  return describePlan(problem, verified, {
    status: outcome.status === 'optimal' ? 'optimal' : 'feasible',
    bound,
    solver: { backend: run.backend, timeMs: run.timeMs, nodes: outcome.nodes },
  });
}

/** The 422 for budgets no assignment meets: every limit with the least value it could reach. */
export function infeasible(limits: ResolvedLimit[], message: string): CoreError {
  const budgets = limits.map((limit) => ({ metric: limit.quantity, limit: limit.limit, leastReachable: limit.leastReachable }));
  const unreachable = budgets.filter((b) => !withinCapacity(b.leastReachable, b.limit));
  const detail = unreachable.length > 0
    ? unreachable.map((b) => `${b.metric} limit ${b.limit} is below the least reachable ${b.leastReachable}`).join('; ')
    : message;
  return new CoreError('BITPLAN_ERR_INFEASIBLE', detail, [], budgets);
}
