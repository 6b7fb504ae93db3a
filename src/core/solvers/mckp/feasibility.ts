/**
 * Feasibility first: a plan within every budget when repairing the dual's minimizer found none
 * (budgets tight together, each alone easy: issue #26.2).
 *
 * Some plan meets every row exactly when the least row-j weight over the plans that meet the
 * other rows is at most row j's capacity. That least weight is an instance of the same problem
 * with one row fewer (row j's weights as the costs), which this solver handles well: its
 * minimizer, once below capacity, is within every budget, and its proven lower bound above
 * capacity proves that no plan exists. So the subproblem is solved with row j's capacity as both
 * its target (the first assignment under it is enough) and its cutoff (nothing above it
 * matters), and answers either way without a search over the whole assignment space. Rows are
 * tried tightest first, each within a share of the time left; a subproblem that itself finds no
 * start recurses on one row fewer again, down to one row, where repair always succeeds.
 */
import { capacityCeiling, optionColumns, type ChoiceInstance, type SolveLimits } from '../instance.js';
import type { FlatInstance } from './flat.js';

/** What the search found: a choice within every row (original option indices), or a proof that there is none. */
export type FeasibilityAnswer = { choice: number[]; nodes: number } | { infeasible: true; nodes: number } | { nodes: number };

/**
 * The rows in the order to try them: least slack first, slack being how far the capacity is
 * above the row's least reachable total, relative to the row's range over the items.
 */
function rowsByTightness(inst: FlatInstance): number[] {
  const slack: number[] = [];
  for (let k = 0; k < inst.rows; k++) {
    let least = 0;
    let most = 0;
    for (let i = 0; i < inst.items; i++) {
      let lo = Infinity;
      let hi = -Infinity;
      for (let o = inst.start[i]!; o < inst.start[i + 1]!; o++) {
        const w = inst.weight[o * inst.rows + k]!;
        lo = Math.min(lo, w);
        hi = Math.max(hi, w);
      }
      least += lo;
      most += hi;
    }
    slack.push(most > least ? (inst.capacity[k]! - least) / (most - least) : Infinity);
  }
  return slack.map((_, k) => k).sort((a, b) => slack[a]! - slack[b]! || a - b);
}

/** The instance that minimizes row j's weight subject to every other row (no pair terms: only feasibility counts). */
function withoutRow(instance: ChoiceInstance, row: number): ChoiceInstance {
  const rows = instance.capacities.length;
  const { start, weight } = optionColumns(instance);
  const options = start[start.length - 1]!;
  const cost = new Float64Array(options);
  const rest = new Float64Array(options * (rows - 1));
  for (let o = 0; o < options; o++) {
    cost[o] = weight[o * rows + row]!;
    for (let k = 0, r = 0; k < rows; k++) if (k !== row) rest[o * (rows - 1) + r++] = weight[o * rows + k]!;
  }
  return { items: [], capacities: instance.capacities.filter((_, k) => k !== row), columns: { start, cost, weight: rest } };
}

/** `solve` is the backend itself (passed in, so that this module and solve.ts do not import each other). */
export type Solve = (instance: ChoiceInstance, limits: SolveLimits) => { status: string; choice?: number[]; bound?: number; nodes: number };

/**
 * A plan within every row of `instance` (flattened as `inst`) found by minimizing one row under
 * the others, within the deadline; or a proof that none exists; or neither when time ran out.
 */
export function searchFeasible(instance: ChoiceInstance, inst: FlatInstance, limits: SolveLimits, deadline: number, solve: Solve): FeasibilityAnswer {
  let nodes = 0;
  if (inst.rows < 2) return { nodes };
  const order = rowsByTightness(inst);
  for (let turn = 0; turn < order.length; turn++) {
    const row = order[turn]!;
    const left = deadline - limits.now();
    if (left <= 0) break;
    // The tightest row gets half the time left, the next half of the rest, ..., the last all of it.
    const share = turn === order.length - 1 ? left : left / 2;
    const ceiling = capacityCeiling(inst.capacity[row]!);
    const sub = solve(withoutRow(instance, row), {
      timeLimitMs: share,
      relativeGap: 0,
      now: limits.now,
      target: ceiling,
      // Only plans at or under the ceiling matter; a little above it so that one exactly at it counts.
      cutoff: ceiling + 1e-12 * Math.max(1, Math.abs(ceiling)),
    });
    nodes += sub.nodes;
    if (sub.status === 'infeasible') return { infeasible: true, nodes };
    if (sub.choice && withinEveryRow(instance, sub.choice)) return { choice: sub.choice, nodes };
  }
  return { nodes };
}

/** The choice meets every row of the instance (summed in the instance's own units). */
function withinEveryRow(instance: ChoiceInstance, choice: number[]): boolean {
  const rows = instance.capacities.length;
  const { start, weight } = optionColumns(instance);
  for (let k = 0; k < rows; k++) {
    let used = 0;
    for (let i = 0; i < choice.length; i++) used += weight[(start[i]! + choice[i]!) * rows + k]!;
    if (used > capacityCeiling(instance.capacities[k]!)) return false;
  }
  return true;
}

/**
 * A choice in original option indices as flat options: an option that flattening dropped is
 * replaced by a kept one of the same item that weighs no more in any row (one exists: the
 * option that dominated it, or one that dominates that).
 */
export function flatChoice(instance: ChoiceInstance, inst: FlatInstance, choice: number[]): Int32Array {
  const rows = inst.rows;
  const source = optionColumns(instance);
  const flat = new Int32Array(inst.items);
  for (let i = 0; i < inst.items; i++) {
    const wanted = source.start[i]! + choice[i]!;
    let picked = -1;
    for (let o = inst.start[i]!; o < inst.start[i + 1]! && picked < 0; o++) {
      if (inst.original[o] === choice[i]) picked = o;
    }
    for (let o = inst.start[i]!; o < inst.start[i + 1]! && picked < 0; o++) {
      let lighter = true;
      for (let k = 0; k < rows && lighter; k++) lighter = inst.weight[o * rows + k]! <= source.weight[wanted * rows + k]!;
      if (lighter) picked = o;
    }
    flat[i] = picked < 0 ? inst.start[i]! : picked;
  }
  return flat;
}
