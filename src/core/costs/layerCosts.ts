import type { Layer } from '../../contract/model.js';
import type { Candidate } from '../formats/candidate.js';
import { effectiveBits } from '../formats/format.js';
import type { CostMetric } from './metric.js';

/**
 * What one layer costs at one candidate, in additive form: the plan's total of each metric is
 * the sum over layers. avgBits is therefore the layer's share of the model's mean bits per
 * weight (params x bits / total params), so that it sums like the others.
 * bops is per sample (MACs of one inference), as HAWQ-V3 and AIMET count it.
 * latencyMs is undefined when the descriptor has no measured entry for the candidate.
 */
export type LayerCosts = Record<Exclude<CostMetric, 'latencyMs'>, number> & { latencyMs: number | undefined };

export function layerCosts(layer: Layer, candidate: Candidate, totalParams: number): LayerCosts {
  const bits = effectiveBits(candidate.weight);
  const sizeBytes = (layer.params * bits) / 8;
  return {
    sizeBytes,
    avgBits: totalParams > 0 ? (layer.params * bits) / totalParams : 0,
    bops: layer.macs * candidate.weight.elementBits * candidate.activation.elementBits,
    latencyMs: layer.latencyMs?.[candidate.id],
  };
}
