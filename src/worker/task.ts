import type { FrontierRequest } from '../contract/frontier.js';
import type { PlanRequest } from '../contract/request.js';
import { exportPlan, makeFrontier, makePlan, type PlanExport } from '../core/index.js';
import { resolveModelAndHardware } from '../http/resolve.js';
import { frontierInput, frontierTitle, planInput, renderFrontier } from '../http/toCore.js';
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
  const resolved = resolveModelAndHardware(task.request, seeds);
  if (task.kind === 'plan') {
    return exportPlan(task.format, makePlan(planInput(task.request, resolved), clock), resolved.model);
  }
  const frontier = makeFrontier(frontierInput(task.request, resolved), clock);
  return renderFrontier(frontier, task.representation, frontierTitle(resolved.model.name, task.request.axis, resolved.hardware?.id));
}
