import type { ChoiceInstance } from '../solvers/instance.js';
import type { Item } from './items.js';
import type { PlannableLayer } from './layerOptions.js';
import { itemValue, type Quantity, type ResolvedLimit } from './rows.js';

/**
 * The solver's view: items with more than one candidate become decisions; single-candidate
 * items (pinned or with one allowed candidate) are constants taken off each capacity.
 */
export interface ReducedProblem {
  instance: ChoiceInstance;
  /** Index into `items` of each instance item. */
  decisionItems: number[];
  /** Objective contribution of the fixed items. */
  fixedObjective: number;
}

export function reduce(items: Item[], layers: PlannableLayer[], objective: Quantity, limits: ResolvedLimit[]): ReducedProblem {
  const capacities = limits.map((limit) => limit.limit);
  let fixedObjective = 0;
  const decisionItems: number[] = [];
  const instanceItems: ChoiceInstance['items'] = [];
  items.forEach((item, index) => {
    const options = item.candidateIds.map((_, j) => ({
      cost: itemValue(item, layers, j, objective),
      weights: limits.map((limit) => itemValue(item, layers, j, limit.quantity)),
    }));
    if (options.length === 1) {
      fixedObjective += options[0]!.cost;
      options[0]!.weights.forEach((weight, k) => (capacities[k]! -= weight));
      return;
    }
    decisionItems.push(index);
    instanceItems.push({ options });
  });
  return { instance: { items: instanceItems, capacities }, decisionItems, fixedObjective };
}

/** One option index per layer from one option index per decision item (fixed items take their only candidate). */
export function expandChoice(items: Item[], reduced: ReducedProblem, choice: ArrayLike<number>): number[] {
  const itemChoice = items.map(() => 0);
  reduced.decisionItems.forEach((itemIndex, position) => (itemChoice[itemIndex] = choice[position]!));
  const assignment: number[] = [];
  items.forEach((item, i) => item.members.forEach((member, k) => (assignment[member] = item.choices[itemChoice[i]!]?.[k] ?? -1)));
  return assignment;
}
