import type { Frontier, FrontierRequest } from '../contract/frontier.js';
import type { Plan } from '../contract/plan.js';
import type { PlanRequest } from '../contract/request.js';
import { exportPlan, makeFrontier, makePlan, type PlanExport } from '../core/index.js';
import { resolveModelAndHardware } from '../http/resolve.js';
import { frontierCsv } from '../http/render/csv.js';
import { frontierSvg } from '../http/render/svg.js';
import type { SeedStore } from '../seeds/store.js';

/** Work a solver worker does: a validated request, its solver time limit already capped. */
export type SolveTask =
  | { kind: 'plan'; request: PlanRequest; format: PlanExport }
  | { kind: 'frontier'; request: FrontierRequest; representation: 'json' | 'csv' | 'svg' };

/**
 * The answer, already serialized: a plan of 45,000 layers is megabytes of JSON, and writing it
 * on the solver thread keeps the event loop free for other requests.
 */
export interface SolveResult {
  contentType: string;
  body: string;
}

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
    return exportPlan(task.format, plan satisfies Plan, model);
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
  if (task.representation === 'csv') return { contentType: 'text/csv; charset=utf-8', body: frontierCsv(frontier) };
  if (task.representation === 'svg') {
    const title = `${model.name}: total sensitivity against ${body.axis}${hardware ? ` on ${hardware.id}` : ''}`;
    return { contentType: 'image/svg+xml; charset=utf-8', body: frontierSvg(frontier, title) };
  }
  return { contentType: 'application/json; charset=utf-8', body: JSON.stringify(frontier satisfies Frontier) };
}
