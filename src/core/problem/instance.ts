import type { ChoiceInstance } from '../solvers/instance.js';
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
}

export function reduce(items: Item[], layers: PlannableLayer[], objective: Quantity, rows: readonly Quantity[]): ReducedProblem {
  const fixedWeights = rows.map(() => 0);
  let fixedObjective = 0;
  const decisionItems: number[] = [];
  const instanceItems: ChoiceInstance['items'] = [];
  items.forEach((item, index) => {
    const options = item.candidateIds.map((_, j) => ({
      cost: itemValue(item, layers, j, objective),
      weights: rows.map((quantity) => itemValue(item, layers, j, quantity)),
    }));
    if (options.length === 1) {
      fixedObjective += options[0]!.cost;
      options[0]!.weights.forEach((weight, k) => (fixedWeights[k]! += weight));
      return;
    }
    decisionItems.push(index);
    instanceItems.push({ options });
  });
  return { items: instanceItems, decisionItems, fixedObjective, fixedWeights };
}

/** The instance under these limits (one per row of the reduction): capacities net of the fixed items. */
export function instanceFor(reduced: ReducedProblem, limits: readonly ResolvedLimit[]): ChoiceInstance {
  return { items: reduced.items, capacities: limits.map((limit, k) => limit.limit - reduced.fixedWeights[k]!) };
}

/** One option index per layer from one option index per decision item (fixed items take their only candidate). */
export function expandChoice(items: Item[], reduced: ReducedProblem, choice: ArrayLike<number>): number[] {
  const itemChoice = items.map(() => 0);
  reduced.decisionItems.forEach((itemIndex, position) => (itemChoice[itemIndex] = choice[position]!));
  const assignment: number[] = [];
  items.forEach((item, i) => item.members.forEach((member, k) => (assignment[member] = item.choices[itemChoice[i]!]?.[k] ?? -1)));
  return assignment;
}
