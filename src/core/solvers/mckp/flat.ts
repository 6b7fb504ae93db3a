import type { ChoiceInstance } from '../instance.js';

/**
 * A ChoiceInstance in flat typed arrays, with dominated options removed:
 * item i owns options start[i] .. start[i+1]-1; option o has cost[o], weight[o*m + k] and
 * original index original[o] in the item's option list.
 *
 * Costs are divided by costScale and row k is compared with capacity[k]; weights stay in their
 * own units so that sums of integer-valued costs (bytes, BOPs) stay exact and equal sums merge.
 * Row k is scaled by rowScale[k] (|capacity| or its largest weight) only where multipliers are
 * involved, which keeps every multiplier of order one.
 */
export interface FlatInstance {
  items: number;
  rows: number;
  start: Int32Array;
  cost: Float64Array;
  weight: Float64Array;
  original: Int32Array;
  capacity: Float64Array;
  rowScale: Float64Array;
  costScale: number;
}

/** Option a dominates b when it is no worse in cost and every weight; equal options keep the first. */
function dominates(inst: ChoiceInstance['items'][number]['options'], a: number, b: number): boolean {
  const x = inst[a]!;
  const y = inst[b]!;
  if (x.cost > y.cost) return false;
  for (let k = 0; k < x.weights.length; k++) if (x.weights[k]! > y.weights[k]!) return false;
  const identical = x.cost === y.cost && x.weights.every((w, k) => w === y.weights[k]);
  return !identical || a < b;
}

export function flatten(instance: ChoiceInstance): FlatInstance {
  const rows = instance.capacities.length;
  const kept: { item: number; option: number }[] = [];
  const start = new Int32Array(instance.items.length + 1);
  instance.items.forEach((item, i) => {
    start[i] = kept.length;
    item.options.forEach((_, j) => {
      const dominated = item.options.some((_, other) => other !== j && dominates(item.options, other, j));
      if (!dominated) kept.push({ item: i, option: j });
    });
  });
  start[instance.items.length] = kept.length;
  const cost = new Float64Array(kept.length);
  const weight = new Float64Array(kept.length * rows);
  const original = new Int32Array(kept.length);
  let largestCost = 0;
  const largestWeight = new Float64Array(rows);
  kept.forEach(({ item, option }, o) => {
    const source = instance.items[item]!.options[option]!;
    cost[o] = source.cost;
    largestCost = Math.max(largestCost, Math.abs(source.cost));
    original[o] = option;
    for (let k = 0; k < rows; k++) {
      weight[o * rows + k] = source.weights[k]!;
      largestWeight[k] = Math.max(largestWeight[k]!, Math.abs(source.weights[k]!));
    }
  });
  const capacity = Float64Array.from(instance.capacities);
  const rowScale = new Float64Array(rows);
  for (let k = 0; k < rows; k++) {
    const byCapacity = Math.abs(capacity[k]!);
    rowScale[k] = byCapacity > 0 ? byCapacity : largestWeight[k]! > 0 ? largestWeight[k]! : 1;
  }
  const costScale = largestCost > 0 ? largestCost : 1;
  for (let o = 0; o < cost.length; o++) cost[o] = cost[o]! / costScale;
  return { items: instance.items.length, rows, start, cost, weight, original, capacity, rowScale, costScale };
}
