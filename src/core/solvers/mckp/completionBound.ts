/**
 * Completion bounds for the core program, one row kept as a constraint.
 *
 * For the core items from position t on and a row k, with the other rows priced at p,
 *
 *   G_tk(r) = least LP cost of those items with sum of row-k weights at most r,
 *
 * is convex, piecewise linear and nonincreasing in r: each item's lower hull in (w_k, priced
 * cost) gives a base point and increments, and the LP takes increments best-efficiency first.
 * A state with cost c and row use w at position t completes to at least
 *
 *   fixed + c + G_tk(R_k - w_k) + sum_(l != k) p_l (w_l - R_l)     for every k,
 *
 * R being the capacity left after the fixed items (weak duality on the priced rows, p >= 0).
 * Unlike the plain Lagrangian bound it prices row k exactly for this state, so a partial
 * assignment that spends the rows unlike the LP optimum is bounded by the row it overspends.
 *
 * The tables are exact at checkpoint positions; between two, the items before the next
 * checkpoint count with their least priced cost and least row-k weight (a weaker but valid
 * bound), which keeps memory linear in the core for cores of thousands of items.
 */

import { lowerHull } from '../lowerHull.js';

export interface CoreItemOptions {
  /** Live options of each core item, in core order. */
  live: number[][];
  cost: Float64Array;
  weight: Float64Array;
  rows: number;
}

interface RowTable {
  /** Per position t: the index of the first checkpoint at or after t. */
  checkpointOf: Int32Array;
  /** Per position t: least priced cost and least row weight of items t .. checkpoint - 1. */
  gapCost: Float64Array;
  gapWeight: Float64Array;
  /**
   * Per checkpoint: the summed base points (cost, row weight) of the items from it on, and their
   * increments best efficiency first, cumulated (weight, cost) from 0.
   */
  baseCost: Float64Array;
  baseWeight: Float64Array;
  cumWeight: Float64Array[];
  cumCost: Float64Array[];
}

export class CompletionBounds {
  private readonly tables: RowTable[] = [];
  private readonly price: Float64Array;
  private readonly room: Float64Array;

  /**
   * @param price   per-row prices (multiplier / row scale), all >= 0
   * @param room    capacity left after the fixed items, per row
   * @param maxEntries  table entries allowed for all rows together (fewer checkpoints beyond; MckpOptions.maxCompletionEntries)
   */
  constructor(
    items: CoreItemOptions,
    price: ArrayLike<number>,
    room: ArrayLike<number>,
    maxEntries: number,
  ) {
    this.price = Float64Array.from(price);
    this.room = Float64Array.from(room);
    for (let k = 0; k < items.rows; k++) this.tables.push(rowTable(items, price, k, maxEntries));
  }

  /**
   * Whether a lower bound on the cost of completing, from position t on, a state of cost `cost`
   * and row use `weight[offset + k]` reaches `ceiling` (stops at the first row that shows it).
   */
  reaches(t: number, cost: number, weight: Float64Array, offset: number, ceiling: number): boolean {
    const priced = this.priced(weight, offset);
    for (let k = 0; k < this.tables.length; k++) if (this.rowReaches(k, t, cost, weight, offset, priced, ceiling)) return true;
    return false;
  }

  /** sum_l p_l (w_l - R_l) over every row. */
  private priced(weight: Float64Array, offset: number): number {
    let priced = 0;
    for (let l = 0; l < this.tables.length; l++) priced += this.price[l]! * (weight[offset + l]! - this.room[l]!);
    return priced;
  }

  /** Whether row k's bound reaches `ceiling` (a yes or no, not the bound: a number returned from here would be boxed, a million times a round). */
  private rowReaches(k: number, t: number, cost: number, weight: Float64Array, offset: number, priced: number, ceiling: number): boolean {
    const table = this.tables[k]!;
    const c = table.checkpointOf[t]!;
    const w = weight[offset + k]!;
    const others = priced - this.price[k]! * (w - this.room[k]!);
    const base = cost + others + table.gapCost[t]! + table.baseCost[c]!;
    // Increments only save cost (the hull's options get strictly cheaper), so the bound is at
    // most `base`: below the ceiling already, the search over the increments cannot change that.
    if (base < ceiling) return false;
    const r = this.room[k]! - w - table.gapWeight[t]! - table.baseWeight[c]!;
    return base + increments(table.cumWeight[c]!, table.cumCost[c]!, r) >= ceiling;
  }
}

/** Cost of the increments that fit in r, the last one fractional (negative: increments save cost). */
function increments(cumWeight: Float64Array, cumCost: Float64Array, r: number): number {
  const last = cumWeight.length - 1;
  if (r <= 0) return 0;
  if (r >= cumWeight[last]!) return cumCost[last]!;
  let lo = 0;
  let hi = last; // cumWeight[lo] <= r < cumWeight[hi]
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (cumWeight[mid]! <= r) lo = mid;
    else hi = mid;
  }
  return cumCost[lo]! + ((cumCost[hi]! - cumCost[lo]!) * (r - cumWeight[lo]!)) / (cumWeight[hi]! - cumWeight[lo]!);
}

function rowTable(items: CoreItemOptions, price: ArrayLike<number>, k: number, maxEntries: number): RowTable {
  const { live, cost, weight, rows: m } = items;
  const T = live.length;
  const itemBaseCost = new Float64Array(T);
  const itemBaseWeight = new Float64Array(T);
  const leastCost = new Float64Array(T);
  // The hull increments of every item (position, weight, cost), in typed arrays: a core of
  // thousands of items has tens of thousands of them.
  let segmentCount = 0;
  for (let t = 0; t < T; t++) segmentCount += live[t]!.length - 1;
  const segmentItem = new Int32Array(segmentCount);
  const segmentWeight = new Float64Array(segmentCount);
  const segmentCost = new Float64Array(segmentCount);
  let segments = 0;
  const hull: number[] = [];
  const order: number[] = [];
  const w: number[] = [];
  const c: number[] = [];
  for (let t = 0; t < T; t++) {
    // Per live option j: row k's weight, and the cost with the other rows priced.
    const options = live[t]!;
    w.length = 0;
    c.length = 0;
    order.length = 0;
    let least = Infinity;
    for (let j = 0; j < options.length; j++) {
      const o = options[j]!;
      let priced = cost[o]!;
      for (let l = 0; l < m; l++) if (l !== k) priced += price[l]! * weight[o * m + l]!;
      w.push(weight[o * m + k]!);
      c.push(priced);
      order.push(j);
      least = Math.min(least, priced);
    }
    order.sort((a, b) => w[a]! - w[b]! || c[a]! - c[b]!);
    leastCost[t] = least;
    const size = lowerHull(order, order.length, w, c, hull);
    itemBaseCost[t] = c[hull[0]!]!;
    itemBaseWeight[t] = w[hull[0]!]!;
    for (let h = 1; h < size; h++) {
      segmentItem[segments] = t;
      segmentWeight[segments] = w[hull[h]!]! - w[hull[h - 1]!]!;
      segmentCost[segments] = c[hull[h]!]! - c[hull[h - 1]!]!;
      segments++;
    }
  }
  // Best efficiency (cost saved per unit of weight) first, ties by position.
  const efficiency = new Float64Array(segments);
  for (let j = 0; j < segments; j++) efficiency[j] = -segmentCost[j]! / segmentWeight[j]!;
  const byEfficiency = new Int32Array(segments);
  for (let j = 0; j < segments; j++) byEfficiency[j] = j;
  byEfficiency.sort((a, b) => efficiency[b]! - efficiency[a]! || segmentItem[a]! - segmentItem[b]! || a - b);

  // Checkpoints: every position when the tables fit, evenly spaced otherwise; T itself always.
  const perCheckpoint = Math.max(1, segments);
  const count = Math.max(1, Math.min(T, Math.floor(maxEntries / (perCheckpoint * Math.max(1, m)))));
  const step = Math.ceil(T / count);
  const checkpoints: number[] = [];
  for (let t = 0; t < T; t += step) checkpoints.push(t);
  checkpoints.push(T);

  const checkpointOf = new Int32Array(T + 1);
  const gapCost = new Float64Array(T + 1);
  const gapWeight = new Float64Array(T + 1);
  for (let j = checkpoints.length - 1, t = T; t >= 0; t--) {
    while (j > 0 && checkpoints[j - 1]! >= t) j--;
    checkpointOf[t] = j;
    const isCheckpoint = checkpoints[j] === t;
    gapCost[t] = isCheckpoint ? 0 : gapCost[t + 1]! + leastCost[t]!;
    gapWeight[t] = isCheckpoint ? 0 : gapWeight[t + 1]! + itemBaseWeight[t]!;
  }
  const suffixBaseCost = new Float64Array(T + 1);
  const suffixBaseWeight = new Float64Array(T + 1);
  for (let t = T - 1; t >= 0; t--) {
    suffixBaseCost[t] = suffixBaseCost[t + 1]! + itemBaseCost[t]!;
    suffixBaseWeight[t] = suffixBaseWeight[t + 1]! + itemBaseWeight[t]!;
  }
  const baseCost = Float64Array.from(checkpoints, (t) => suffixBaseCost[t]!);
  const baseWeight = Float64Array.from(checkpoints, (t) => suffixBaseWeight[t]!);
  // Each checkpoint's increments are those of the items from it on, cumulated best first.
  const from = new Int32Array(segments);
  for (let j = 0; j < segments; j++) from[j] = segmentItem[byEfficiency[j]!]!;
  const sortedWeight = Float64Array.from(byEfficiency, (j) => segmentWeight[j]!);
  const sortedCost = Float64Array.from(byEfficiency, (j) => segmentCost[j]!);
  const segmentsFrom = new Int32Array(T + 1);
  for (let j = 0; j < segments; j++) segmentsFrom[segmentItem[j]!]!++;
  for (let t = T - 1; t >= 0; t--) segmentsFrom[t] = segmentsFrom[t]! + segmentsFrom[t + 1]!;
  const cumWeight: Float64Array[] = [];
  const cumCost: Float64Array[] = [];
  for (const first of checkpoints) {
    const cw = new Float64Array(segmentsFrom[first]! + 1);
    const cc = new Float64Array(cw.length);
    for (let j = 0, n = 0; j < segments; j++) {
      if (from[j]! < first) continue;
      cw[n + 1] = cw[n]! + sortedWeight[j]!;
      cc[n + 1] = cc[n]! + sortedCost[j]!;
      n++;
    }
    cumWeight.push(cw);
    cumCost.push(cc);
  }
  return { checkpointOf, gapCost, gapWeight, baseCost, baseWeight, cumWeight, cumCost };
}
