import type { CostMetric } from '../costs/metric.js';
import type { FieldIssue } from '../errors.js';
import type { LayerOption, PlannableLayer } from './layerOptions.js';

/** A quantity summed over layers: the sensitivity score or a cost metric. */
export type Quantity = 'sensitivity' | CostMetric;

/** An option's value of one quantity: its score, or one of its costs (undefined where it has none). */
export function optionValue(option: LayerOption, quantity: Quantity): number | undefined {
  return READERS[quantity](option);
}

export type QuantityReader = (option: LayerOption) => number | undefined;

/**
 * optionValue for one quantity as a plain property read: loops over every option of a large
 * model read values a million times, and a read by a varying name is a slow lookup each time.
 */
export function quantityReader(quantity: Quantity): QuantityReader {
  return READERS[quantity];
}

/**
 * A quantity summed over options in their order; undefined when one of them has no value of it.
 * (Index loops here and below: a for-of over the 45,000 options of a plan, run once a request
 * before the compiler gets to it, makes an iterator result per option.)
 */
export function totalOf(options: readonly LayerOption[], quantity: Quantity): number | undefined {
  const read = READERS[quantity];
  let sum = 0;
  for (let n = 0; n < options.length; n++) {
    const value = read(options[n]!);
    if (value === undefined) return undefined;
    sum += value;
  }
  return sum;
}

const READERS: Record<Quantity, QuantityReader> = {
  sensitivity: (option) => option.score.value,
  sizeBytes: (option) => option.costs.sizeBytes,
  avgBits: (option) => option.costs.avgBits,
  bops: (option) => option.costs.bops,
  latencyMs: (option) => option.costs.latencyMs,
  energyJ: (option) => option.costs.energyJ,
  macLuts: (option) => option.costs.macLuts,
};

/** An upper limit on one quantity, resolved to an absolute number. */
export interface ResolvedLimit {
  quantity: Quantity;
  limit: number;
  /** The least value any assignment reaches on this quantity alone. */
  leastReachable: number;
}

/**
 * Issues for every option lacking a value of `quantity` (latencyMs without a table entry). A
 * pinned layer is a constant: its missing value counts as 0, with a warning, so that a model
 * whose measured table covers only the planned layers (HAWQ-V3's) can still take a latency budget.
 */
export function checkQuantityKnown(
  layers: PlannableLayer[],
  quantity: Quantity,
  path: string,
  issues: FieldIssue[],
  warnings: string[],
  hardwareGiven = true,
): void {
  // Every option has a size (layerCosts) and a score (or the layer is already an issue).
  if (quantity === 'sensitivity' || quantity === 'sizeBytes' || quantity === 'avgBits') return;
  const missing: string[] = [];
  const withoutMacs: string[] = [];
  for (let i = 0; i < layers.length; i++) {
    const { layer, options, pinned } = layers[i]!;
    for (let j = 0; j < options.length; j++) {
      const option = options[j]!;
      if (optionValue(option, quantity) !== undefined) continue;
      if (pinned) {
        option.costs[quantity] = 0;
        warnings.push(`layer ${layer.name} is pinned to ${option.candidate.id} and has no ${quantity} entry; it counts as 0 in ${quantity} limits and totals`);
      } else if (layer.macs === undefined && quantity !== 'macLuts' && !layer.latencyMs) {
        if (withoutMacs.at(-1) !== layer.name) withoutMacs.push(layer.name);
      } else {
        missing.push(`${layer.name} at ${option.candidate.id}`);
      }
    }
  }
  const shown = (list: string[]) => list.slice(0, 5).join(', ') + (list.length > 5 ? ` and ${list.length - 5} more` : '');
  if (withoutMacs.length > 0) {
    issues.push({ path, message: `${quantity} counts operations, so it needs macs on every unpinned layer; missing on ${shown(withoutMacs)}` });
  }
  if (missing.length > 0 && !hardwareGiven) {
    // The common case: a budget the request has nothing to cost with. Say what to pass.
    const what = {
      latencyMs: 'is estimated from a hardware profile (or read from the layers\' latencyMs tables, which this model lacks)',
      energyJ: 'is costed by a hardware profile\'s energy model',
      macLuts: 'is costed by an FPGA profile (fpga-versal-vc1902)',
    }[quantity as 'latencyMs' | 'energyJ' | 'macLuts'] ?? 'needs a hardware profile';
    issues.push({ path, message: `${quantity} ${what}, and this request names no hardware: pass "hardware" (an id from GET /v1/hardware, e.g. "nvidia-a100", or an inline profile)` });
    return;
  }
  if (missing.length > 0) {
    const source = quantity === 'latencyMs' ? 'a measured value (the layer\'s latencyMs table) or a hardware profile to estimate it' : 'a hardware profile that costs it';
    issues.push({ path, message: `${quantity} needs ${source} for every allowed candidate of every unpinned layer; missing for ${shown(missing)}` });
  }
}
