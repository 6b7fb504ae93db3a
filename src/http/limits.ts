import type { Config } from '../config.js';
import type { ModelDescriptor } from '../contract/model.js';
import type { Budget } from '../contract/request.js';
import { HttpProblem, invalidRequest } from './problems.js';

export type Limits = Pick<Config, 'MAX_LAYERS' | 'MAX_CANDIDATES_PER_LAYER' | 'MAX_BUDGETS' | 'MAX_FRONTIER_POINTS'>;

/**
 * The configured limits of a request (README, Configuration): too many layers is a 413 (the
 * payload is too large for this service), the others a 400 naming the limit.
 */
export function checkLimits(
  body: { model?: ModelDescriptor; candidates?: string[]; budgets: Budget[]; points?: number },
  limits: Limits,
): void {
  const layers = body.model?.layers ?? [];
  if (layers.length > limits.MAX_LAYERS) {
    throw new HttpProblem('payload-too-large', `the model has ${layers.length} layers; this service plans at most MAX_LAYERS=${limits.MAX_LAYERS}`);
  }
  const issues: { path: string; message: string }[] = [];
  if ((body.candidates?.length ?? 0) > limits.MAX_CANDIDATES_PER_LAYER) {
    issues.push({ path: 'candidates', message: `${body.candidates!.length} candidates; at most MAX_CANDIDATES_PER_LAYER=${limits.MAX_CANDIDATES_PER_LAYER}` });
  }
  layers.forEach((layer, i) => {
    if ((layer.candidates?.length ?? 0) > limits.MAX_CANDIDATES_PER_LAYER) {
      issues.push({ path: `model.layers[${i}].candidates`, message: `${layer.candidates!.length} candidates; at most MAX_CANDIDATES_PER_LAYER=${limits.MAX_CANDIDATES_PER_LAYER}` });
    }
  });
  if (body.budgets.length > limits.MAX_BUDGETS) {
    issues.push({ path: 'budgets', message: `${body.budgets.length} budgets; at most MAX_BUDGETS=${limits.MAX_BUDGETS}` });
  }
  if (body.points !== undefined && body.points > limits.MAX_FRONTIER_POINTS) {
    issues.push({ path: 'points', message: `${body.points} points; at most MAX_FRONTIER_POINTS=${limits.MAX_FRONTIER_POINTS}` });
  }
  if (issues.length > 0) throw invalidRequest(issues);
}
