/**
 * The Lagrangian dual of the multiple-choice problem, which equals its LP relaxation:
 *
 *   L(mu) = sum_i min_o ( c_o + sum_k mu_k w_ok / s_k )  -  sum_k mu_k B_k / s_k,   mu >= 0
 *
 * Every L(mu) is a lower bound on the optimum (weak duality), so a bound stays valid however
 * far the search for the best mu got. One row: exact, from the sorted incremental slopes of each
 * item's lower convex hull (O(N log N) for N options). Several rows: Kelley's cutting planes in a
 * box that moves to each better point (the box-step method), each step one O(N m) evaluation and
 * a linear program in m+1 variables (cutModel.ts).
 */
import { lowerHull } from '../lowerHull.js';
import { maximizeCutModel } from './cutModel.js';
import type { FlatInstance } from './flat.js';
import type { MckpOptions } from './options.js';

/**
 * The box-step method: the box around the best point doubles after a step that gains at least
 * GOOD_STEP of what the model predicted (at most MAX_BOX), halves after a step that gains
 * nothing (at least MIN_BOX), and grows EDGE_GROWTH-fold while the model's best lies on its edge.
 */
const GOOD_STEP = 0.1;
const MAX_BOX = 1e6;
const MIN_BOX = 1e-9;
const EDGE_GROWTH = 4;
/** A model solution within this of a box side lies on it. */
const ON_EDGE = 1e-12;

export interface LagrangianPoint {
  mu: Float64Array;
  value: number;
  /** The minimizing option of each item at mu (lowest index on ties). */
  choice: Int32Array;
  /** sum of weights of choice, per row. */
  used: Float64Array;
}

/**
 * Evaluates L(mu) and its minimizer over the options `alive` allows (all when absent); an item
 * with none left makes L infinite (the node is empty).
 */
export function evaluate(inst: FlatInstance, mu: Float64Array, alive?: Uint8Array): LagrangianPoint {
  const { items, rows, start, cost, weight, capacity, rowScale } = inst;
  const price = new Float64Array(rows);
  for (let k = 0; k < rows; k++) price[k] = mu[k]! / rowScale[k]!;
  if (rows === 2 && !alive) return evaluateTwoRows(inst, mu, price);
  const choice = new Int32Array(items);
  const used = new Float64Array(rows);
  let value = 0;
  for (let i = 0; i < items; i++) {
    let best = Infinity;
    let arg = -1;
    for (let o = start[i]!; o < start[i + 1]!; o++) {
      if (alive && !alive[o]) continue;
      let v = cost[o]!;
      for (let k = 0; k < rows; k++) v += price[k]! * weight[o * rows + k]!;
      if (v < best) {
        best = v;
        arg = o;
      }
    }
    if (arg < 0) return { mu: Float64Array.from(mu), value: Infinity, choice, used };
    choice[i] = arg;
    value += best;
    for (let k = 0; k < rows; k++) used[k] = used[k]! + weight[arg * rows + k]!;
  }
  for (let k = 0; k < rows; k++) value -= price[k]! * capacity[k]!;
  return { mu: Float64Array.from(mu), value, choice, used };
}

/** evaluate() for two rows and every option alive, the common case of a large model: one pass without inner loops. */
function evaluateTwoRows(inst: FlatInstance, mu: Float64Array, price: Float64Array): LagrangianPoint {
  const { items, start, cost, weight, capacity } = inst;
  const p0 = price[0]!;
  const p1 = price[1]!;
  const choice = new Int32Array(items);
  let used0 = 0;
  let used1 = 0;
  let value = 0;
  for (let i = 0; i < items; i++) {
    const end = start[i + 1]!;
    let arg = start[i]!;
    let best = cost[arg]! + p0 * weight[2 * arg]! + p1 * weight[2 * arg + 1]!;
    for (let o = arg + 1; o < end; o++) {
      const v = cost[o]! + p0 * weight[2 * o]! + p1 * weight[2 * o + 1]!;
      if (v < best) {
        best = v;
        arg = o;
      }
    }
    choice[i] = arg;
    value += best;
    used0 += weight[2 * arg]!;
    used1 += weight[2 * arg + 1]!;
  }
  value -= p0 * capacity[0]!;
  value -= p1 * capacity[1]!;
  return { mu: Float64Array.from(mu), value, choice, used: Float64Array.of(used0, used1) };
}

/**
 * Exact maximizer of L for one row, by the greedy over hull slopes (the LP optimum): the
 * increments of every item's lower hull are taken best efficiency first until the row is full,
 * and the multiplier is the efficiency of the first that does not fit, e* = the largest
 * efficiency e with (sum of increments of efficiency >= e) > room (firstOverflowing; typed
 * arrays, no per-increment objects).
 */
function singleRowDual(inst: FlatInstance, alive?: Uint8Array): Float64Array {
  const { items, start, cost, weight, capacity, rowScale } = inst;
  // Branch and bound calls this at every node: scratch buffers, grown once, instead of new ones.
  const scratch = segmentScratch(cost.length);
  const { efficiency, increment, order } = scratch;
  let segments = 0;
  let base = 0;
  // Per item, its options and their hull: arrays written by index, never emptied (lowerHull.ts).
  const options: number[] = [];
  const hull: number[] = [];
  for (let i = 0; i < items; i++) {
    let count = 0;
    for (let o = start[i]!; o < start[i + 1]!; o++) if (!alive || alive[o]) options[count++] = o;
    if (count === 0) return Float64Array.of(0); // an empty node: L is infinite anywhere
    if (count === 1) {
      base += weight[options[0]!]!;
      continue;
    }
    // By weight, ties by cost: an insertion sort, as an item has a handful of options.
    for (let j = 1; j < count; j++) {
      const o = options[j]!;
      let h = j;
      for (; h > 0; h--) {
        const p = options[h - 1]!;
        if (weight[p]! < weight[o]! || (weight[p]! === weight[o]! && cost[p]! <= cost[o]!)) break;
        options[h] = p;
      }
      options[h] = o;
    }
    base += weight[options[0]!]!;
    const size = lowerHull(options, count, weight, cost, hull);
    for (let h = 1; h < size; h++) {
      const dw = weight[hull[h]!]! - weight[hull[h - 1]!]!;
      efficiency[segments] = -(cost[hull[h]!]! - cost[hull[h - 1]!]!) / dw;
      increment[segments] = dw;
      order[segments] = segments;
      segments++;
    }
  }
  // The LP takes hull segments by falling efficiency (cost saved per unit of the row) while
  // they fit; the multiplier is the efficiency of the first that does not (0 if all fit).
  const e = firstOverflowing(efficiency, increment, order, segments, capacity[0]! - base);
  return Float64Array.of(Math.max(0, e) * rowScale[0]!);
}

/**
 * The efficiency of the first segment that overflows `room` when segments are taken by falling
 * efficiency (-Infinity when all fit): a weighted selection, by partitioning around pivots
 * rather than sorting, since a 45,000-layer model has a quarter of a million segments.
 * `order` holds the segment indices 0..segments-1 and is permuted.
 */
function firstOverflowing(efficiency: Float64Array, increment: Float64Array, order: Int32Array, segments: number, room: number): number {
  let from = 0;
  let to = segments; // the segments still undecided: order[from..to)
  let used = 0; // the increments of every segment more efficient than those
  while (from < to) {
    const pivot = efficiency[order[from + ((to - from) >> 1)]!]!;
    // Three-way partition: more efficient than the pivot, as efficient, less efficient.
    let high = from;
    let low = to;
    for (let j = from; j < low; ) {
      const segment = order[j]!;
      const e = efficiency[segment]!;
      if (e > pivot) {
        order[j] = order[high]!;
        order[high++] = segment;
        j++;
      } else if (e < pivot) {
        order[j] = order[--low]!;
        order[low] = segment;
      } else j++;
    }
    let above = 0;
    for (let j = from; j < high; j++) above += increment[order[j]!]!;
    // (With nothing above the pivot, the overflow, even one before any segment, is at the pivot.)
    if (high > from && used + above > room) {
      to = high;
      continue;
    }
    used += above;
    for (let j = high; j < low; j++) used += increment[order[j]!]!;
    if (used > room) return pivot;
    from = low;
  }
  return -Infinity;
}

let scratchBuffers: { efficiency: Float64Array; increment: Float64Array; order: Int32Array } | undefined;
function segmentScratch(size: number) {
  if (!scratchBuffers || scratchBuffers.efficiency.length < size) {
    scratchBuffers = { efficiency: new Float64Array(size), increment: new Float64Array(size), order: new Int32Array(size) };
  }
  return scratchBuffers;
}

/** Where a search node's dual starts and when it may stop. */
export interface DualStart {
  /** Options still allowed (1) at the node; all when absent (the one-row dual reads it even with evaluateAt). */
  alive?: Uint8Array;
  /** Multipliers to start from (the parent node's); else the single-row optima. */
  mu?: Float64Array;
  /** Stop once the bound reaches this: the node is pruned whatever more is found. */
  target?: number;
  /** At most this many cutting-plane steps (fewer than options.dualMaxSteps for a node). */
  maxSteps?: number;
  /** How to evaluate L at a point (a search node's own, over its undecided items); default evaluate(inst, mu, alive). */
  evaluateAt?: (mu: Float64Array) => LagrangianPoint;
  /**
   * false when evaluateAt is not a sum over items (pair terms solved exactly, pairForest.ts): the
   * exact one-row dual of additive items then is only a starting point, and one row is searched
   * by cutting planes like several.
   */
  additive?: boolean;
}

export interface DualResult {
  best: LagrangianPoint;
  /** Evaluations of L made. */
  evaluations: number;
}

/**
 * The best multipliers found. `deadline` bounds the effort (clock in ms); the returned value is a
 * valid lower bound whether or not the search converged.
 */
export function solveDual(
  inst: FlatInstance,
  now: () => number,
  deadline: number,
  options: Pick<MckpOptions, 'maxCuts' | 'dualTolerance' | 'dualStallSteps' | 'dualMaxSteps'>,
  start: DualStart = {},
): DualResult {
  const m = inst.rows;
  const { alive, target = Infinity } = start;
  const evaluateAt = start.evaluateAt ?? ((mu: Float64Array) => evaluate(inst, mu, alive));
  if (m === 0) return { best: evaluateAt(new Float64Array(0)), evaluations: 1 };
  if (m === 1 && start.additive !== false) return { best: evaluateAt(singleRowDual(inst, alive)), evaluations: 1 };

  let evaluations = 0;
  const at = (mu: Float64Array) => (evaluations++, evaluateAt(mu));
  let best: LagrangianPoint;
  const cuts: LagrangianPoint[] = [];
  if (start.mu) {
    best = at(start.mu);
    cuts.push(best);
  } else {
    // Start from the best single-row multipliers, one row at a time, keeping the best point.
    best = at(new Float64Array(m));
    cuts.push(best);
    for (let k = 0; k < m; k++) {
      const one = singleRowDual(rowOnly(inst, k), alive);
      const mu = new Float64Array(m);
      mu[k] = one[0]!;
      const point = at(mu);
      cuts.push(point);
      if (point.value > best.value) best = point;
    }
  }
  let box = 1;
  let lastGain = 0;
  const maxSteps = Math.min(options.dualMaxSteps, start.maxSteps ?? Infinity);
  for (let step = 0; step < maxSteps && best.value < target && now() < deadline; step++) {
    // The cut model keeps the newest cuts (and the best point's): enough to converge, small to solve.
    const recent = cuts.length > options.maxCuts ? [best, ...cuts.slice(-options.maxCuts)] : cuts;
    const model = maximizeModel(inst, recent, best.mu, box);
    const predicted = model.value - best.value;
    const tolerance = options.dualTolerance * Math.max(1, Math.abs(best.value));
    if (predicted <= tolerance) {
      if (!model.onBoxEdge) break;
      box *= EDGE_GROWTH; // the model's best lies on the box edge: look further before concluding
      continue;
    }
    const point = at(model.mu);
    cuts.push(point);
    if (point.value > best.value + tolerance) lastGain = step;
    if (point.value > best.value + GOOD_STEP * predicted) {
      best = point;
      box = Math.min(box * 2, MAX_BOX);
    } else if (point.value > best.value) {
      best = point;
    } else {
      box = Math.max(box / 2, MIN_BOX);
    }
    // The cut model is solved in floating point: stop once the bound stops rising.
    if (step - lastGain >= options.dualStallSteps) break;
  }
  return { best, evaluations };
}

/** The instance restricted to one row (for starting points). */
function rowOnly(inst: FlatInstance, k: number): FlatInstance {
  const weight = new Float64Array(inst.cost.length);
  for (let o = 0; o < inst.cost.length; o++) weight[o] = inst.weight[o * inst.rows + k]!;
  return {
    ...inst,
    rows: 1,
    weight,
    capacity: Float64Array.of(inst.capacity[k]!),
    rowScale: Float64Array.of(inst.rowScale[k]!),
  };
}

/** max z s.t. z <= L_t + g_t . (mu - mu_t) for every cut, mu in the box around `center`, mu >= 0. */
function maximizeModel(
  inst: FlatInstance,
  cuts: LagrangianPoint[],
  center: Float64Array,
  box: number,
): { mu: Float64Array; value: number; onBoxEdge: boolean } {
  const m = inst.rows;
  // Branch and bound solves this model at every dual step of every node: plain loops only.
  const lower = new Float64Array(m);
  const width = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    lower[k] = Math.max(0, center[k]! - box);
    width[k] = center[k]! + box - lower[k]!;
  }
  // Substitute mu_k = lower_k + y_k with 0 <= y_k <= width_k:
  // z <= L_t + g_t . (lower - mu_t) + g_t . y, with g_k = (used_k - B_k) / s_k.
  const offsets = new Float64Array(cuts.length);
  const slopes = new Float64Array(cuts.length * m);
  for (let t = 0; t < cuts.length; t++) {
    const cut = cuts[t]!;
    let offset = cut.value;
    for (let k = 0; k < m; k++) {
      const g = (cut.used[k]! - inst.capacity[k]!) / inst.rowScale[k]!;
      slopes[t * m + k] = g;
      offset += g * (lower[k]! - cut.mu[k]!);
    }
    offsets[t] = offset;
  }
  const result = maximizeCutModel(offsets, slopes, width);
  const mu = new Float64Array(m);
  let onBoxEdge = false;
  for (let k = 0; k < m; k++) {
    const y = result.y[k]!;
    mu[k] = lower[k]! + y;
    const atUpper = y >= width[k]! - ON_EDGE;
    const atLower = y <= ON_EDGE && lower[k]! > 0;
    if (atUpper || atLower) onBoxEdge = true;
  }
  return { mu, value: result.value, onBoxEdge };
}
