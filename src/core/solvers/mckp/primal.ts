/**
 * Primal heuristics: turn the Lagrangian minimizer into a feasible assignment (repair), then
 * spend the remaining slack on the moves that buy the most objective per unit of priced
 * resource (improve). Greedy and deterministic; O(N log N) per pass for N options.
 */
import { withinCapacity } from '../instance.js';
import type { FlatInstance } from './flat.js';
import type { MckpOptions } from './options.js';

export interface Assignment {
  choice: Int32Array;
  used: Float64Array;
  cost: number;
}

/** Repair divides by a move's cost increase; a free move counts as this small one. */
const LEAST_COST_STEP = 1e-15;
/** Improve prices every row at least this (relative) much, so a row at multiplier 0 still counts. */
const LEAST_PRICE = 1e-9;
/** A move that spends nothing priced would have an infinite ratio; it counts as spending this little. */
const LEAST_SPEND = 1e-300;

export function assignmentOf(inst: FlatInstance, choice: Int32Array): Assignment {
  const used = new Float64Array(inst.rows);
  let cost = 0;
  for (let i = 0; i < inst.items; i++) {
    const o = choice[i]!;
    cost += inst.cost[o]!;
    for (let k = 0; k < inst.rows; k++) used[k] = used[k]! + inst.weight[o * inst.rows + k]!;
  }
  return { choice, used, cost };
}

export function isFeasible(inst: FlatInstance, used: Float64Array): boolean {
  for (let k = 0; k < inst.rows; k++) if (!withinCapacity(used[k]!, inst.capacity[k]!)) return false;
  return true;
}

/**
 * Candidate moves in parallel arrays (a pass over a 45,000-layer model may list every one of its
 * 225,000 options, repair's lists 54,000 on the DeepSeek-V3 shape; an object each was most of
 * the heuristics' garbage).
 */
export class Moves {
  readonly item: number[] = [];
  readonly option: number[] = [];
  readonly ratio: number[] = [];

  push(item: number, option: number, ratio: number): void {
    this.item.push(item);
    this.option.push(option);
    this.ratio.push(ratio);
  }

  /** Indices of the moves by ratio, highest first, then by item and option (a total order: the same on every run). */
  sorted(): Int32Array {
    const { item, option, ratio } = this;
    return indices(item.length).sort((x, y) => ratio[y]! - ratio[x]! || item[x]! - item[y]! || option[x]! - option[y]!);
  }

  /**
   * The same order from a heap, one index a call (-1 when none is left), for a caller that stops
   * early (repair uses a few of tens of thousands; a full sort would cost more than the moves it
   * takes). Plain indices, not objects or iterator results: nothing to collect per move.
   */
  lazily(): () => number {
    const { item, option, ratio } = this;
    const before = (x: number, y: number) => ratio[x]! > ratio[y]! || (ratio[x] === ratio[y] && (item[x]! < item[y]! || (item[x] === item[y] && option[x]! < option[y]!)));
    const heap = indices(item.length);
    let size = heap.length;
    const siftDown = (from: number) => {
      const moving = heap[from]!;
      let at = from;
      for (;;) {
        let child = 2 * at + 1;
        if (child >= size) break;
        if (child + 1 < size && before(heap[child + 1]!, heap[child]!)) child++;
        if (!before(heap[child]!, moving)) break;
        heap[at] = heap[child]!;
        at = child;
      }
      heap[at] = moving;
    };
    for (let at = (size >> 1) - 1; at >= 0; at--) siftDown(at);
    return () => {
      if (size === 0) return -1;
      const index = heap[0]!;
      heap[0] = heap[--size]!;
      siftDown(0);
      return index;
    };
  }
}

/** 0, 1, ..., n - 1 (a loop: Int32Array.from over an array steps an iterator per element). */
function indices(n: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return out;
}

/** Recomputes sums from scratch (no drift from incremental updates). */
function refresh(inst: FlatInstance, a: Assignment): Assignment {
  return assignmentOf(inst, a.choice);
}

/**
 * Moves items to options that reduce the scaled excess over violated rows, best excess
 * reduction per unit of cost increase first, until feasible. Returns undefined if stuck.
 */
export function repair(inst: FlatInstance, start: Int32Array, options: Pick<MckpOptions, 'repairRounds'>): Assignment | undefined {
  const { rows, weight, cost, capacity, rowScale } = inst;
  let a = assignmentOf(inst, Int32Array.from(start));
  for (let round = 0; round < options.repairRounds && !isFeasible(inst, a.used); round++) {
    const excess = (used: Float64Array, k: number) => Math.max(0, (used[k]! - capacity[k]!) / rowScale[k]!);
    let total = 0;
    for (let k = 0; k < rows; k++) total += excess(a.used, k);
    const moves = new Moves();
    for (let i = 0; i < inst.items; i++) addRepairMoves(inst, a, i, moves);
    if (moves.item.length === 0) return undefined;
    const moved = new Set<number>();
    const nextMove = moves.lazily();
    for (let index = nextMove(); index >= 0; index = nextMove()) {
      if (total <= 0) break;
      const moveItem = moves.item[index]!;
      const moveOption = moves.option[index]!;
      if (moved.has(moveItem)) continue;
      const from = a.choice[moveItem]!;
      let after = 0;
      for (let k = 0; k < rows; k++) {
        const next = a.used[k]! + weight[moveOption * rows + k]! - weight[from * rows + k]!;
        after += Math.max(0, (next - capacity[k]!) / rowScale[k]!);
      }
      if (after >= total) continue;
      for (let k = 0; k < rows; k++) a.used[k] = a.used[k]! + weight[moveOption * rows + k]! - weight[from * rows + k]!;
      a.choice[moveItem] = moveOption;
      a.cost += cost[moveOption]! - cost[from]!;
      moved.add(moveItem);
      total = after;
    }
    a = refresh(inst, a);
  }
  return isFeasible(inst, a.used) ? a : undefined;
}

/**
 * Item i's moves that reduce the scaled excess over the rows, each with its reduction per unit
 * of cost increase. A function of its own, called per item: it is compiled within the first
 * large request and stays so, where the loop inlined in repair (run once a request) started
 * each request in the interpreter, boxing every number it computed.
 */
function addRepairMoves(inst: FlatInstance, a: Assignment, i: number, moves: Moves): void {
  const { rows, weight, cost, capacity, rowScale } = inst;
  const from = a.choice[i]!;
  for (let o = inst.start[i]!; o < inst.start[i + 1]!; o++) {
    if (o === from) continue;
    let reduction = 0;
    for (let k = 0; k < rows; k++) {
      const over = (a.used[k]! - capacity[k]!) / rowScale[k]!;
      const delta = (weight[o * rows + k]! - weight[from * rows + k]!) / rowScale[k]!;
      reduction += Math.max(0, over) - Math.max(0, over + delta);
    }
    if (reduction <= 0) continue;
    const dc = cost[o]! - cost[from]!;
    moves.push(i, o, reduction / Math.max(dc, LEAST_COST_STEP));
  }
}

/**
 * Applies cost-decreasing moves that keep every row feasible, the best gain per unit of priced
 * weight increase first (prices: the multipliers), pass after pass until none applies.
 */
export function improve(inst: FlatInstance, a: Assignment, mu: Float64Array, options: Pick<MckpOptions, 'improvePasses'>): Assignment {
  const { rows, weight, cost, capacity, rowScale } = inst;
  const price = Array.from(mu, (m, k) => Math.max(m, LEAST_PRICE) / rowScale[k]!);
  for (let pass = 0; pass < options.improvePasses; pass++) {
    const moves = new Moves();
    // Moves that do not fit at the start of the pass wait for the next one (a move that frees
    // a row may let them in); on large models this skips almost every option.
    for (let i = 0; i < inst.items; i++) addImprovingMoves(inst, a, price, i, moves);
    let changed = false;
    const order = moves.sorted();
    for (let n = 0; n < order.length; n++) {
      const moveItem = moves.item[order[n]!]!;
      const moveOption = moves.option[order[n]!]!;
      const from = a.choice[moveItem]!;
      if (cost[moveOption]! >= cost[from]!) continue;
      let ok = true;
      for (let k = 0; k < rows && ok; k++) {
        ok = withinCapacity(a.used[k]! + weight[moveOption * rows + k]! - weight[from * rows + k]!, capacity[k]!);
      }
      if (!ok) continue;
      for (let k = 0; k < rows; k++) a.used[k] = a.used[k]! + weight[moveOption * rows + k]! - weight[from * rows + k]!;
      a.cost += cost[moveOption]! - cost[from]!;
      a.choice[moveItem] = moveOption;
      changed = true;
    }
    a = refresh(inst, a);
    if (!changed) break;
  }
  return a;
}

/** Item i's cost-decreasing moves that fit now, each with its gain per unit of priced weight (a function per item, as addRepairMoves). */
function addImprovingMoves(inst: FlatInstance, a: Assignment, price: readonly number[], i: number, moves: Moves): void {
  const { rows, weight, cost, capacity } = inst;
  const from = a.choice[i]!;
  for (let o = inst.start[i]!; o < inst.start[i + 1]!; o++) {
    const gain = cost[from]! - cost[o]!;
    if (o === from || gain <= 0) continue;
    let fitsNow = true;
    for (let k = 0; k < rows && fitsNow; k++) fitsNow = withinCapacity(a.used[k]! + weight[o * rows + k]! - weight[from * rows + k]!, capacity[k]!);
    if (!fitsNow) continue;
    let spend = 0;
    for (let k = 0; k < rows; k++) spend += price[k]! * Math.max(0, weight[o * rows + k]! - weight[from * rows + k]!);
    moves.push(i, o, gain / Math.max(spend, LEAST_SPEND));
  }
}
