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
  let identical = x.cost === y.cost;
  for (let k = 0; k < x.weights.length; k++) {
    if (x.weights[k]! > y.weights[k]!) return false;
    if (x.weights[k] !== y.weights[k]) identical = false;
  }
  return !identical || a < b;
}

/**
 * The instance in flat arrays. `keepAll(i)` exempts item i from dropping dominated options: an
 * option dominated alone may still be the best with a pairwise term, or be one of the k best.
 */
export function flatten(instance: ChoiceInstance, keepAll?: (item: number) => boolean): FlatInstance {
  const rows = instance.capacities.length;
  const itemCount = instance.items.length;
  // First pass: which options survive, and where each item's options start.
  let total = 0;
  for (const item of instance.items) total += item.options.length;
  const survives = new Uint8Array(total);
  const start = new Int32Array(itemCount + 1);
  let kept = 0;
  let index = 0;
  instance.items.forEach((item, i) => {
    start[i] = kept;
    const exempt = keepAll?.(i) ?? false;
    for (let j = 0; j < item.options.length; j++, index++) {
      let dominated = false;
      for (let other = 0; other < item.options.length && !dominated && !exempt; other++) dominated = other !== j && dominates(item.options, other, j);
      if (!dominated) {
        survives[index] = 1;
        kept++;
      }
    }
  });
  start[itemCount] = kept;
  const cost = new Float64Array(kept);
  const weight = new Float64Array(kept * rows);
  const original = new Int32Array(kept);
  let largestCost = 0;
  const largestWeight = new Float64Array(rows);
  let o = 0;
  index = 0;
  for (const item of instance.items) {
    for (let j = 0; j < item.options.length; j++, index++) {
      if (!survives[index]) continue;
      const source = item.options[j]!;
      cost[o] = source.cost;
      largestCost = Math.max(largestCost, Math.abs(source.cost));
      original[o] = j;
      for (let k = 0; k < rows; k++) {
        const w = source.weights[k]!;
        weight[o * rows + k] = w;
        if (Math.abs(w) > largestWeight[k]!) largestWeight[k] = Math.abs(w);
      }
      o++;
    }
  }
  const capacity = Float64Array.from(instance.capacities);
  const rowScale = new Float64Array(rows);
  for (let k = 0; k < rows; k++) {
    const byCapacity = Math.abs(capacity[k]!);
    rowScale[k] = byCapacity > 0 ? byCapacity : largestWeight[k]! > 0 ? largestWeight[k]! : 1;
  }
  const costScale = largestCost > 0 ? largestCost : 1;
  for (let n = 0; n < cost.length; n++) cost[n] = cost[n]! / costScale;
  return { items: itemCount, rows, start, cost, weight, original, capacity, rowScale, costScale };
}
