import type { FlatInstance } from './flat.js';

/** Each option's reduced cost at some multipliers, and the row prices they stand for. */
export interface ReducedCosts {
  price: number[];
  reduced: Float64Array;
}

/**
 * Each option's reduced cost at the multipliers `mu` (its cost plus the row prices times its
 * weights) less the least of its item's options: 0 for each item's best option, and how much
 * worse every other is. `price` is mu per unscaled row.
 */
export function itemReducedCosts(inst: FlatInstance, mu: Float64Array): ReducedCosts {
  const { rowScale } = inst;
  const price = Array.from(mu, (v, k) => v / rowScale[k]!);
  const reduced = new Float64Array(inst.cost.length);
  for (let i = 0; i < inst.items; i++) reduceItem(inst, price, i, reduced);
  return { price, reduced };
}

/** Item i's reduced costs (a function per item, compiled within the first large solve: see primal.ts, addRepairMoves). */
function reduceItem(inst: FlatInstance, price: readonly number[], i: number, reduced: Float64Array): void {
  const { rows: m, start, cost, weight } = inst;
  let least = Infinity;
  for (let o = start[i]!; o < start[i + 1]!; o++) {
    let v = cost[o]!;
    for (let k = 0; k < m; k++) v += price[k]! * weight[o * m + k]!;
    reduced[o] = v;
    least = Math.min(least, v);
  }
  for (let o = start[i]!; o < start[i + 1]!; o++) reduced[o] = Math.max(0, reduced[o]! - least);
}
