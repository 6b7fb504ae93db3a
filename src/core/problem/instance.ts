import type { ChoiceInstance, PairTerm } from '../solvers/instance.js';
import type { ItemPair } from './interactions.js';
import type { Item } from './items.js';
import type { PlannableLayer } from './layerOptions.js';
import { itemValue, type Quantity, type ResolvedLimit } from './rows.js';

/**
 * The solver's view of a problem for a list of row quantities: items with more than one
 * candidate become decisions; single-candidate items (pinned or with one allowed candidate) are
 * constants, their objective and row weights set aside. The limits are applied afterwards
 * (instanceFor), so one reduction serves every budget of a frontier.
 */
export interface ReducedProblem {
  items: ChoiceInstance['items'];
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
 * own; only terms between two decisions remain pairs.
 */
export function reduce(items: Item[], layers: PlannableLayer[], objective: Quantity, rows: readonly Quantity[], itemPairs: readonly ItemPair[] = []): ReducedProblem {
  const fixedWeights = rows.map(() => 0);
  let fixedObjective = 0;
  const decisionItems: number[] = [];
  const instanceItems: ChoiceInstance['items'] = [];
  const allOptions = items.map((item) => {
    const options: ChoiceInstance['items'][number]['options'] = [];
    for (let j = 0; j < item.candidateIds.length; j++) {
      const weights = new Array<number>(rows.length);
      for (let k = 0; k < rows.length; k++) weights[k] = itemValue(item, layers, j, rows[k]!);
      options.push({ cost: itemValue(item, layers, j, objective), weights });
    }
    return options;
  });
  const pairs: PairTerm[] = [];
  const position = new Int32Array(items.length).fill(-1);
  allOptions.forEach((options, index) => {
    if (options.length > 1) position[index] = decisionItems.push(index) - 1;
  });
  for (const pair of itemPairs) {
    const optionsA = allOptions[pair.a]!;
    const optionsB = allOptions[pair.b]!;
    const width = optionsB.length;
    if (pair.a === pair.b) {
      optionsA.forEach((option, j) => (option.cost += pair.value[j * width + j]!));
    } else if (optionsA.length === 1) {
      optionsB.forEach((option, k) => (option.cost += pair.value[k]!));
    } else if (optionsB.length === 1) {
      optionsA.forEach((option, j) => (option.cost += pair.value[j * width]!));
    } else {
      pairs.push({ a: position[pair.a]!, b: position[pair.b]!, cost: pair.value });
    }
  }
  allOptions.forEach((options) => {
    if (options.length === 1) {
      fixedObjective += options[0]!.cost;
      options[0]!.weights.forEach((weight, k) => (fixedWeights[k]! += weight));
      return;
    }
    instanceItems.push({ options });
  });
  return { items: instanceItems, decisionItems, fixedObjective, fixedWeights, pairs };
}

/** The instance under these limits (one per row of the reduction): capacities net of the fixed items. */
export function instanceFor(reduced: ReducedProblem, limits: readonly ResolvedLimit[]): ChoiceInstance {
  return { items: reduced.items, capacities: limits.map((limit, k) => limit.limit - reduced.fixedWeights[k]!), ...(reduced.pairs.length > 0 ? { pairs: reduced.pairs } : {}) };
}

/** One option index per layer from one option index per decision item (fixed items take their only candidate). */
export function expandChoice(items: Item[], reduced: ReducedProblem, choice: ArrayLike<number>): number[] {
  const itemChoice = items.map(() => 0);
  reduced.decisionItems.forEach((itemIndex, position) => (itemChoice[itemIndex] = choice[position]!));
  const assignment: number[] = [];
  items.forEach((item, i) => item.members.forEach((member, k) => (assignment[member] = item.choices[itemChoice[i]!]?.[k] ?? -1)));
  return assignment;
}
