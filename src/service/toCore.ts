import type { Frontier, FrontierRequest } from '../contract/frontier.js';
import type { PlanRequest } from '../contract/request.js';
import type { FrontierInput, PlanInput } from '../core/index.js';
import { frontierCsv } from './render/csv.js';
import { frontierSvg } from './render/svg.js';
import type { resolveModelAndHardware } from './resolve.js';

type Resolved = ReturnType<typeof resolveModelAndHardware>;

/** The core's input for a validated plan request, its model and hardware resolved. */
export function planInput(request: PlanRequest, resolved: Resolved): PlanInput {
  const { candidates, budgets, objective, batchSize, allowEmulated, solver } = request;
  return { ...resolved, candidates, budgets, objective, batchSize, allowEmulated, solver };
}

/** The core's input for a validated frontier request, its model and hardware resolved. */
export function frontierInput(request: FrontierRequest, resolved: Resolved): FrontierInput {
  const { candidates, allowEmulated, axis, budgets, points, all, maxPoints, batchSize, solver } = request;
  return { ...resolved, candidates, allowEmulated, axis, budgets, points, all, maxPoints, batchSize, solver };
}

export function frontierTitle(modelName: string, axis: string, hardwareId?: string): string {
  return `${modelName}: total sensitivity against ${axis}${hardwareId ? ` on ${hardwareId}` : ''}`;
}

/** A frontier as the body of an answer: JSON, CSV or an SVG chart. */
export function renderFrontier(frontier: Frontier, representation: 'json' | 'csv' | 'svg', title: string): { contentType: string; body: string } {
  if (representation === 'csv') return { contentType: 'text/csv; charset=utf-8', body: frontierCsv(frontier) };
  if (representation === 'svg') return { contentType: 'image/svg+xml; charset=utf-8', body: frontierSvg(frontier, title) };
  return { contentType: 'application/json; charset=utf-8', body: JSON.stringify(frontier) };
}
