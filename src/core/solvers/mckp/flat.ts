import { optionColumns, type ChoiceInstance, type OptionColumns } from '../instance.js';

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

/** Option a dominates b (flat indices of one item) when it is no worse in cost and every weight; equal options keep the first. */
function dominates(cost: Float64Array, weight: Float64Array, rows: number, a: number, b: number): boolean {
  if (cost[a]! > cost[b]!) return false;
  let identical = cost[a] === cost[b];
  for (let k = 0; k < rows; k++) {
    const x = weight[a * rows + k]!;
    const y = weight[b * rows + k]!;
    if (x > y) return false;
    if (x !== y) identical = false;
  }
  return !identical || a < b;
}

/**
 * Marks item i's options that no other of its options dominates (all of them when `exempt`) and
 * returns how many. A function per item, compiled within the first large solve (see primal.ts,
 * addRepairMoves).
 */
function markSurvivors(source: OptionColumns, rows: number, i: number, exempt: boolean, survives: Uint8Array): number {
  const first = source.start[i]!;
  const end = source.start[i + 1]!;
  let kept = 0;
  for (let j = first; j < end; j++) {
    let dominated = false;
    for (let other = first; other < end && !dominated && !exempt; other++) dominated = other !== j && dominates(source.cost, source.weight, rows, other, j);
    if (!dominated) {
      survives[j] = 1;
      kept++;
    }
  }
  return kept;
}

/**
 * The instance in flat arrays. `keepAll(i)` exempts item i from dropping dominated options: an
 * option dominated alone may still be the best with a pairwise term, or be one of the k best.
 */
export function flatten(instance: ChoiceInstance, keepAll?: (item: number) => boolean): FlatInstance {
  const rows = instance.capacities.length;
  const source = optionColumns(instance);
  const itemCount = source.start.length - 1;
  // First pass: which options survive, and where each item's options start.
  const survives = new Uint8Array(source.cost.length);
  const start = new Int32Array(itemCount + 1);
  let kept = 0;
  for (let i = 0; i < itemCount; i++) {
    start[i] = kept;
    kept += markSurvivors(source, rows, i, keepAll?.(i) ?? false, survives);
  }
  start[itemCount] = kept;
  const cost = new Float64Array(kept);
  const weight = new Float64Array(kept * rows);
  const original = new Int32Array(kept);
  let largestCost = 0;
  const largestWeight = new Float64Array(rows);
  let o = 0;
  for (let i = 0; i < itemCount; i++) {
    for (let j = source.start[i]!; j < source.start[i + 1]!; j++) {
      if (!survives[j]) continue;
      cost[o] = source.cost[j]!;
      largestCost = Math.max(largestCost, Math.abs(cost[o]!));
      original[o] = j - source.start[i]!;
      for (let k = 0; k < rows; k++) {
        const w = source.weight[j * rows + k]!;
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
