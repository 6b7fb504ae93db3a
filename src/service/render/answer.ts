import { exportPlan, type FrontierResult, type PlanExport, type PlanResult } from '../../core/index.js';
import { frontierTitle, wireFrontier } from '../wire/frontier.js';
import { wirePlan } from '../wire/plan.js';
import { frontierCsv } from './csv.js';
import { frontierSvg } from './svg.js';

/** An answer's body, serialized, with its media type (and how to use it, for exports that cannot say). */
export interface RenderedAnswer {
  contentType: string;
  body: string;
  usage?: string;
  /** What the file's readers will run otherwise than planned (exports only). */
  warnings?: string[];
}

export type FrontierRepresentation = 'json' | 'csv' | 'svg';

/** A plan as JSON (the wire Plan) or as a toolkit's file. */
export function renderPlan(result: PlanResult, format: PlanExport): RenderedAnswer {
  if (format === 'json') return { contentType: 'application/json; charset=utf-8', body: JSON.stringify(wirePlan(result)) };
  return exportPlan(format, result);
}

/** A frontier as JSON, CSV or an SVG chart. */
export function renderFrontier(result: FrontierResult, representation: FrontierRepresentation): RenderedAnswer {
  const frontier = wireFrontier(result);
  if (representation === 'csv') return { contentType: 'text/csv; charset=utf-8', body: frontierCsv(frontier) };
  if (representation === 'svg') return { contentType: 'image/svg+xml; charset=utf-8', body: frontierSvg(frontier, frontierTitle(result)) };
  return { contentType: 'application/json; charset=utf-8', body: JSON.stringify(frontier) };
}
