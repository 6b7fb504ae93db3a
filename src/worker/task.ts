import type { Frontier, FrontierRequest } from '../contract/frontier.js';
import type { Plan } from '../contract/plan.js';
import type { PlanRequest } from '../contract/request.js';
import { makeFrontier, makePlan } from '../core/index.js';
import { resolveModelAndHardware } from '../http/resolve.js';
import type { SeedStore } from '../seeds/store.js';

/** Work a solver worker does: a validated request, its solver time limit already capped. */
export type SolveTask = { kind: 'plan'; request: PlanRequest } | { kind: 'frontier'; request: FrontierRequest };
export type SolveResult = { kind: 'plan'; plan: Plan } | { kind: 'frontier'; frontier: Frontier; modelName: string; hardwareId?: string };

const clock = { now: () => performance.now() };

/** Runs one task: resolves the seed and hardware it names, then calls the core. */
export function runTask(task: SolveTask, seeds: SeedStore): SolveResult {
  const { model, modelPath, hardware } = resolveModelAndHardware(task.request, seeds);
  if (task.kind === 'plan') {
    const body = task.request;
    const plan = makePlan(
      { model, modelPath, hardware, candidates: body.candidates, budgets: body.budgets, objective: body.objective, batchSize: body.batchSize, allowEmulated: body.allowEmulated, solver: body.solver },
      clock,
    );
    return { kind: 'plan', plan };
  }
  const body = task.request;
  const frontier = makeFrontier(
    {
      model,
      modelPath,
      hardware,
      candidates: body.candidates,
      allowEmulated: body.allowEmulated,
      axis: body.axis,
      budgets: body.budgets,
      points: body.points,
      all: body.all,
      maxPoints: body.maxPoints,
      batchSize: body.batchSize,
      solver: body.solver,
    },
    clock,
  );
  return { kind: 'frontier', frontier, modelName: model.name, hardwareId: hardware?.id };
}
