import { itemsOf, type ChoiceInstance, type OptionColumns, type PairTerm } from '../solvers/instance.js';
import type { ItemPair } from './interactions.js';
import type { Item } from './items.js';
import type { ItemValues } from './itemValues.js';
import type { Quantity, ResolvedLimit } from './rows.js';

/**
 * The solver's view of a problem for a list of row quantities: items with more than one
 * candidate become decisions; single-candidate items (pinned or with one allowed candidate) are
 * constants, their objective and row weights set aside. The limits are applied afterwards
 * (instanceFor), so one reduction serves every budget of a frontier.
 */
export interface ReducedProblem {
  /** The decision items' options (built from `columns` on first use: a 45,000-layer model need not). */
  readonly items: ChoiceInstance['items'];
  /** The decision items' options in flat arrays. */
  columns: OptionColumns;
  /** Index into the problem's items of each instance item. */
  decisionItems: number[];
  /** Objective contribution of the fixed items. */
  fixedObjective: number;
  /** Row weights of the fixed items, per row. */
  fixedWeights: number[];
  /** Pair terms between two decision items (in instance item indices). */
  pairs: PairTerm[];
}

/**
 * Pair terms (interactions) are folded where they can be: a term with a fixed item becomes part
 * of the other item's costs (or of the fixed objective), a term within one tied item part of its
 * own; only terms between two decisions remain pairs. Costs and weights go to flat arrays, one
 * value per option and row, with no object per option.
 */
export function reduce(values: ItemValues, objective: Quantity, rows: readonly Quantity[], itemPairs: readonly ItemPair[] = []): ReducedProblem {
  const m = rows.length;
  const { items, start: allStart } = values;
  // Every item's options first (fixed ones too: pair terms fold into them before they are summed,
  // so the objective is a copy).
  const allCost = Float64Array.from(values.of(objective));
  const allWeight = new Float64Array(allCost.length * m);
  for (let k = 0; k < m; k++) {
    const column = values.of(rows[k]!);
    for (let o = 0; o < column.length; o++) allWeight[o * m + k] = column[o]!;
  }
  const optionsOf = (i: number) => allStart[i + 1]! - allStart[i]!;
  const decisionItems: number[] = [];
  const position = new Int32Array(items.length).fill(-1);
  for (let i = 0; i < items.length; i++) if (optionsOf(i) > 1) position[i] = decisionItems.push(i) - 1;
  const pairs: PairTerm[] = [];
  for (const pair of itemPairs) {
    const firstA = allStart[pair.a]!;
    const firstB = allStart[pair.b]!;
    const width = optionsOf(pair.b);
    if (pair.a === pair.b) {
      for (let j = 0; j < width; j++) allCost[firstA + j] = allCost[firstA + j]! + pair.value[j * width + j]!;
    } else if (optionsOf(pair.a) === 1) {
      for (let k = 0; k < width; k++) allCost[firstB + k] = allCost[firstB + k]! + pair.value[k]!;
    } else if (width === 1) {
      for (let j = 0; j < optionsOf(pair.a); j++) allCost[firstA + j] = allCost[firstA + j]! + pair.value[j * width]!;
    } else {
      pairs.push({ a: position[pair.a]!, b: position[pair.b]!, cost: pair.value });
    }
  }
  const fixedWeights = rows.map(() => 0);
  let fixedObjective = 0;
  const start = new Int32Array(decisionItems.length + 1);
  decisionItems.forEach((i, n) => (start[n + 1] = start[n]! + optionsOf(i)));
  const cost = new Float64Array(start[decisionItems.length]!);
  const weight = new Float64Array(cost.length * m);
  let next = 0;
  for (let i = 0; i < items.length; i++) {
    const first = allStart[i]!;
    if (optionsOf(i) === 1) {
      fixedObjective += allCost[first]!;
      for (let k = 0; k < m; k++) fixedWeights[k] = fixedWeights[k]! + allWeight[first * m + k]!;
      continue;
    }
    // Element by element: a subarray view per item is an object each (45,000 a request).
    for (let o = first; o < allStart[i + 1]!; o++, next++) {
      cost[next] = allCost[o]!;
      for (let k = 0; k < m; k++) weight[next * m + k] = allWeight[o * m + k]!;
    }
  }
  const columns = { start, cost, weight };
  let built: ChoiceInstance['items'] | undefined;
  return {
    get items() {
      return (built ??= itemsOf(columns, m));
    },
    columns,
    decisionItems,
    fixedObjective,
    fixedWeights,
    pairs,
  };
}

/** The instance under these limits (one per row of the reduction): capacities net of the fixed items. */
export function instanceFor(reduced: ReducedProblem, limits: readonly ResolvedLimit[]): ChoiceInstance {
  return {
    get items() {
      return reduced.items;
    },
    columns: reduced.columns,
    capacities: limits.map((limit, k) => limit.limit - reduced.fixedWeights[k]!),
    ...(reduced.pairs.length > 0 ? { pairs: reduced.pairs } : {}),
  };
}

/** One option index per layer from one option index per decision item (fixed items take their only candidate). */
export function expandChoice(items: Item[], reduced: ReducedProblem, choice: ArrayLike<number>): number[] {
  const itemChoice = items.map(() => 0);
  reduced.decisionItems.forEach((itemIndex, position) => (itemChoice[itemIndex] = choice[position]!));
  const assignment: number[] = [];
  items.forEach((item, i) => item.members.forEach((member, k) => (assignment[member] = item.choices[itemChoice[i]!]?.[k] ?? -1)));
  return assignment;
}
