import type { Frontier } from '../../contract/frontier.js';
import { METRIC_NAMES, type FrontierResult } from '../../core/index.js';
import { wireTarget } from './target.js';

/** The core's frontier as the wire Frontier (src/contract/frontier.ts): candidates as ids. */
export function wireFrontier(result: FrontierResult): Frontier {
  return {
    axis: result.axis,
    unit: result.unit,
    layers: result.layers,
    candidates: result.candidates.map((candidate) => candidate.id),
    points: result.points,
    knee: result.knee,
    baselines: result.baselines.map((baseline) => ({ ...baseline, candidate: baseline.candidate.id })),
    supportedPoints: result.supportedPoints,
    solver: result.solver,
    ...(result.target ? { target: wireTarget(result.target) } : {}),
    warnings: result.warnings,
  };
}

/** The chart's title: model, axis and chip. */
export function frontierTitle(result: FrontierResult): string {
  return `${result.modelName}: total sensitivity against ${METRIC_NAMES[result.axis]}${result.hardwareId ? ` on ${result.hardwareId}` : ''}`;
}
