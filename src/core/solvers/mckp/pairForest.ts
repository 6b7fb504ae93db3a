/**
 * An exact Lagrangian bound over pair terms that form a forest (issue #26.3).
 *
 * With the budget rows priced by multipliers mu, the relaxed problem is
 *
 *   min_x  sum_i r_i(x_i) + sum_(a,b) t_ab(x_a, x_b)       r_i(o) = c_o + sum_k mu_k w_ok / s_k
 *
 * Folding each pair term into one item (its least over the partner's options) loses the
 * coupling: on a chain of layers whose int2 is cheap alone and costly beside a neighbour's int2,
 * the folded bound counts neither. Where the pairs form a forest the minimum is exact by dynamic
 * programming, leaf to root (min-sum message passing, O(options of a x options of b) a pair), so
 * L(mu) is the Lagrangian of the pairwise problem itself, which on a tree equals its linear
 * relaxation with the pair blocks' consistency rows. Pairs that would close a cycle stay folded,
 * so the value is a lower bound on any graph and exact on trees. A second pass (root to leaf)
 * gives every option's min-marginal: the least relaxed value with that option forced, which is
 * what reduced-cost fixing and branching need.
 */
import type { LagrangianPoint } from './lagrangian.js';
import type { FlatInstance } from './flat.js';

/** A pair term in the flat instance: t[j * width + k] over a's j-th and b's k-th option, in cost units / costScale. */
export interface FlatPair {
  a: number;
  b: number;
  /** Options of b (the table's row length). */
  width: number;
  table: Float64Array;
}

/** Trees over the items, rooted: items in an order where every child comes before its parent. */
export interface PairForest {
  /** Items that belong to a tree with at least one pair, children first. */
  order: Int32Array;
  /** The parent of each item (-1: a root or no tree). */
  parent: Int32Array;
  /** The pair joining each item to its parent (-1 when none). */
  parentPair: Int32Array;
  /** The forest's pairs, by index into the pair list. */
  pairs: number[];
  /** 1 for the items of `order`. */
  inTree: Uint8Array;
}

/**
 * A spanning forest of the given pairs (union-find, first come first in): the pairs left out
 * would close a cycle and are returned apart, to be folded.
 */
export function spanningForest(items: number, pairs: FlatPair[], candidates: number[]): { forest: PairForest; left: number[] } {
  const root = Int32Array.from({ length: items }, (_, i) => i);
  const find = (i: number): number => {
    while (root[i] !== i) {
      root[i] = root[root[i]!]!;
      i = root[i]!;
    }
    return i;
  };
  const inForest: number[] = [];
  const left: number[] = [];
  const adjacency: number[][] = Array.from({ length: items }, () => []);
  for (const p of candidates) {
    const { a, b } = pairs[p]!;
    const ra = find(a);
    const rb = find(b);
    if (ra === rb) {
      left.push(p);
      continue;
    }
    root[ra] = rb;
    inForest.push(p);
    adjacency[a]!.push(p);
    adjacency[b]!.push(p);
  }
  const parent = new Int32Array(items).fill(-1);
  const parentPair = new Int32Array(items).fill(-1);
  const seen = new Uint8Array(items);
  const order: number[] = [];
  for (let r = 0; r < items; r++) {
    if (seen[r] || adjacency[r]!.length === 0) continue;
    // Breadth-first from r; reversed, the visit order puts children before parents.
    const visit = [r];
    seen[r] = 1;
    for (let n = 0; n < visit.length; n++) {
      const i = visit[n]!;
      for (const p of adjacency[i]!) {
        const { a, b } = pairs[p]!;
        const other = a === i ? b : a;
        if (seen[other]) continue;
        seen[other] = 1;
        parent[other] = i;
        parentPair[other] = p;
        visit.push(other);
      }
    }
    for (let n = visit.length - 1; n >= 0; n--) order.push(visit[n]!);
  }
  const inTree = new Uint8Array(items);
  for (const i of order) inTree[i] = 1;
  return { forest: { order: Int32Array.from(order), parent, parentPair, pairs: inForest, inTree }, left };
}

/** Scratch arrays of one search, reused by every evaluation (one entry per flat option). */
export interface ForestScratch {
  reduced: Float64Array;
  up: Float64Array;
  down: Float64Array;
  /** One entry per option of the widest item. */
  outside: Float64Array;
}

export function forestScratch(inst: FlatInstance): ForestScratch {
  let widest = 0;
  for (let i = 0; i < inst.items; i++) widest = Math.max(widest, inst.start[i + 1]! - inst.start[i]!);
  const options = inst.cost.length;
  return { reduced: new Float64Array(options), up: new Float64Array(options), down: new Float64Array(options), outside: new Float64Array(widest) };
}

/** The pair's term for child option oc and parent option op (flat indices). */
function term(pair: FlatPair, inst: FlatInstance, child: number, oc: number, op: number): number {
  const { start } = inst;
  return pair.a === child
    ? pair.table[(oc - start[pair.a]!) * pair.width + op - start[pair.b]!]!
    : pair.table[(op - start[pair.a]!) * pair.width + oc - start[pair.b]!]!;
}

/**
 * L(mu) with the forest's pairs exact and `cost` (the node's costs, every other pair folded in)
 * elsewhere, over the options `alive` allows; its minimizer; and, when `excess` is given, each
 * live option's min-marginal less its item's least (0 for the best option; the relaxed value
 * rises by at least this when the option is forced).
 */
export function evaluateForest(
  inst: FlatInstance,
  cost: Float64Array,
  alive: Uint8Array,
  pairs: FlatPair[],
  forest: PairForest,
  mu: Float64Array,
  scratch: ForestScratch,
  excess?: Float64Array,
): LagrangianPoint {
  const { items, rows, start, weight, capacity, rowScale } = inst;
  const { reduced, up, down } = scratch;
  const price = new Float64Array(rows);
  for (let k = 0; k < rows; k++) price[k] = mu[k]! / rowScale[k]!;
  const choice = new Int32Array(items);
  const used = new Float64Array(rows);
  for (let o = 0; o < cost.length; o++) {
    if (!alive[o]) continue;
    let v = cost[o]!;
    for (let k = 0; k < rows; k++) v += price[k]! * weight[o * rows + k]!;
    reduced[o] = v;
    up[o] = v;
  }
  let value = 0;
  // Items in no tree: their own least.
  for (let i = 0; i < items; i++) {
    if (forest.inTree[i]) continue;
    let least = Infinity;
    let arg = -1;
    for (let o = start[i]!; o < start[i + 1]!; o++) if (alive[o] && reduced[o]! < least) [least, arg] = [reduced[o]!, o];
    if (arg < 0) return emptyPoint(mu, items, rows);
    choice[i] = arg;
    value += least;
    if (excess) for (let o = start[i]!; o < start[i + 1]!; o++) if (alive[o]) excess[o] = reduced[o]! - least;
  }
  // Leaf to root: each child's message min over its options of (up + term) joins its parent's up.
  for (const i of forest.order) {
    const p = forest.parent[i]!;
    if (p < 0) continue;
    const pair = pairs[forest.parentPair[i]!]!;
    for (let op = start[p]!; op < start[p + 1]!; op++) {
      if (!alive[op]) continue;
      let message = Infinity;
      for (let oc = start[i]!; oc < start[i + 1]!; oc++) if (alive[oc]) message = Math.min(message, up[oc]! + term(pair, inst, i, oc, op));
      up[op] = up[op]! + message;
    }
  }
  // Roots: the tree's minimum. Then root to leaf: each option's value outside its subtree (down),
  // and the minimizer, parents before children.
  const treeLeast = new Float64Array(items);
  for (let n = forest.order.length - 1; n >= 0; n--) {
    const i = forest.order[n]!;
    const p = forest.parent[i]!;
    let least = Infinity;
    let arg = -1;
    if (p < 0) {
      for (let o = start[i]!; o < start[i + 1]!; o++) {
        if (!alive[o]) continue;
        down[o] = 0;
        if (up[o]! < least) [least, arg] = [up[o]!, o];
      }
      if (arg < 0) return emptyPoint(mu, items, rows);
      value += least;
      treeLeast[i] = least;
    } else {
      const pair = pairs[forest.parentPair[i]!]!;
      treeLeast[i] = treeLeast[p]!;
      // The child's value given the parent's choice, for the minimizer.
      for (let oc = start[i]!; oc < start[i + 1]!; oc++) {
        if (!alive[oc]) continue;
        const v = up[oc]! + term(pair, inst, i, oc, choice[p]!);
        if (v < least) [least, arg] = [v, oc];
      }
      if (arg < 0) return emptyPoint(mu, items, rows);
      if (excess) {
        // Outside the child's subtree with the parent at op: the parent's full value less this
        // child's message (which its up holds), plus the pair's term.
        const outside = scratch.outside;
        for (let op = start[p]!; op < start[p + 1]!; op++) {
          if (!alive[op]) continue;
          let message = Infinity;
          for (let oc = start[i]!; oc < start[i + 1]!; oc++) if (alive[oc]) message = Math.min(message, up[oc]! + term(pair, inst, i, oc, op));
          outside[op - start[p]!] = up[op]! + down[op]! - message;
        }
        for (let oc = start[i]!; oc < start[i + 1]!; oc++) {
          if (!alive[oc]) continue;
          let best = Infinity;
          for (let op = start[p]!; op < start[p + 1]!; op++) if (alive[op]) best = Math.min(best, outside[op - start[p]!]! + term(pair, inst, i, oc, op));
          down[oc] = best;
        }
      }
    }
    choice[i] = arg;
  }
  if (excess) {
    for (const i of forest.order) {
      // Rounding may leave the best option a hair off its tree's least: never below 0.
      for (let o = start[i]!; o < start[i + 1]!; o++) if (alive[o]) excess[o] = Math.max(0, up[o]! + down[o]! - treeLeast[i]!);
    }
  }
  for (let i = 0; i < items; i++) for (let k = 0; k < rows; k++) used[k] = used[k]! + weight[choice[i]! * rows + k]!;
  for (let k = 0; k < rows; k++) value -= price[k]! * capacity[k]!;
  return { mu: Float64Array.from(mu), value, choice, used };
}

function emptyPoint(mu: Float64Array, items: number, rows: number): LagrangianPoint {
  return { mu: Float64Array.from(mu), value: Infinity, choice: new Int32Array(items), used: new Float64Array(rows) };
}
