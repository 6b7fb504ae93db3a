import type { HardwareProfile } from '../hardware/profile.js';
import type { Layer } from '../model/model.js';
import type { Candidate } from '../formats/candidate.js';
import { effectiveBits } from '../formats/format.js';
import type { ComputePlan } from '../hardware/computeFormat.js';
import { DEFAULT_DOT_PRODUCT_LENGTH, macUnitLuts } from './macLuts.js';
import type { CostMetric } from './metric.js';
import { bytesMoved, rooflineTime } from './roofline.js';

/**
 * What one layer costs at one candidate, in additive form: the plan's total of each metric is
 * the sum over layers. avgBits is therefore the layer's share of the model's mean bits per
 * weight (params x bits / total params). A metric is undefined where it cannot be computed
 * (no latency table and no profile peak for the compute format, no energy model, ...).
 */
export type LayerCosts = Record<'sizeBytes' | 'avgBits', number> & Partial<Record<Exclude<CostMetric, 'sizeBytes' | 'avgBits'>, number>>;

export interface CostContext {
  totalParams: number;
  batchSize: number;
  hardware?: HardwareProfile;
  /**
   * Where latencyMs comes from, for the whole model: the descriptor's measured tables when any
   * layer has one (its unit is the measurement's, which need not be milliseconds), else the
   * roofline. Never both, so a plan never adds a measured unit to roofline milliseconds.
   */
  latencyFrom: 'table' | 'roofline';
}

export function layerCosts(layer: Layer, candidate: Candidate, compute: ComputePlan | undefined, context: CostContext): LayerCosts {
  const bits = effectiveBits(candidate.weight);
  const costs: LayerCosts = {
    sizeBytes: (layer.params * bits) / 8,
    avgBits: context.totalParams > 0 ? (layer.params * bits) / context.totalParams : 0,
  };
  // Counting operations needs macs; without it these costs are unknown (a size-only plan needs none).
  if (layer.macs !== undefined) costs.bops = layer.macs * candidate.weight.elementBits * candidate.activation.elementBits;
  const { hardware, batchSize } = context;
  if (context.latencyFrom === 'table') costs.latencyMs = layer.latencyMs?.[candidate.id];
  if (!hardware || !compute) return costs;
  if (context.latencyFrom === 'roofline') costs.latencyMs = rooflineTime(layer, candidate, compute.format, hardware, batchSize)?.latencyMs;
  const macPicojoules = hardware.energy?.macPicojoules[compute.format.id];
  if (macPicojoules !== undefined && layer.macs !== undefined) {
    const picojoules = layer.macs * batchSize * macPicojoules + bytesMoved(layer, candidate, batchSize) * hardware.energy!.dramPicojoulesPerByte;
    costs.energyJ = picojoules * 1e-12;
  }
  if (hardware.extraMetrics?.includes('macLuts')) {
    costs.macLuts = (layer.macUnits ?? 1) * macUnitLuts(candidate, layer.dotProductLength ?? DEFAULT_DOT_PRODUCT_LENGTH);
  }
  return costs;
}
