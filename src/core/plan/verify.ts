import type { ModelDescriptor } from '../model/model.js';
import { coreError } from '../errors.js';
import type { PlannableLayer } from '../problem/layerOptions.js';
import { totalOf, type Quantity, type ResolvedLimit } from '../problem/rows.js';
import { withinCapacity } from '../solvers/instance.js';
import { interactionTotal, type LayerPair } from '../problem/interactions.js';

export interface VerifiedAssignment {
  /** Option index per layer. */
  options: number[];
  /** The objective, interactions included. */
  objective: number;
  /** The part of the objective from interactions (0 without any). */
  interactions: number;
  used: number[];
}

function reject(reason: string): never {
  throw coreError('BITPLAN_ERR_SOLVER_ANSWER_REJECTED', [reason]);
}

/**
 * Checks a per-layer assignment against the original problem, independently of how it was
 * reduced and solved: one allowed candidate per layer, pins and ties hold, every limit holds
 * (recomputed in layer order from the layer costs), and the objective recomputed (with the
 * interactions of the chosen pairs).
 */
export function verifyAssignment(
  problem: { model: ModelDescriptor; layers: PlannableLayer[]; pairs: readonly LayerPair[] },
  assignment: number[],
  objective: Quantity,
  limits: ResolvedLimit[],
): VerifiedAssignment {
  const { model, layers, pairs } = problem;
  if (assignment.length !== layers.length) reject(`${assignment.length} choices for ${layers.length} layers`);
  const chosen = layers.map((plannable, i) => {
    const index = assignment[i]!;
    const option = Number.isInteger(index) ? plannable.options[index] : undefined;
    if (!option) reject(`layer ${plannable.layer.name} has no candidate ${index}`);
    if (plannable.layer.pin !== undefined && option.candidate.id !== plannable.layer.pin) {
      reject(`pinned layer ${plannable.layer.name} got ${option.candidate.id}`);
    }
    return option;
  });
  if (model.groups?.length) {
    const candidateOf = new Map(layers.map((plannable, i) => [plannable.layer.name, chosen[i]!.candidate.id]));
    for (const group of model.groups) {
      const ids = new Set(group.map((name) => candidateOf.get(name)));
      if (ids.size > 1) reject(`tied layers ${group.join(', ')} got different candidates`);
    }
  }
  // A quantity some chosen option lacks is NaN: it meets no limit and is no objective.
  const total = (quantity: Quantity) => totalOf(chosen, quantity) ?? Number.NaN;
  const used = limits.map((limit) => {
    const value = total(limit.quantity);
    if (!withinCapacity(value, limit.limit)) reject(`${limit.quantity} ${value} exceeds its limit ${limit.limit}`);
    return value;
  });
  // Interactions add to sensitivity only (prepare refuses them with another objective).
  const interactions = objective === 'sensitivity' ? interactionTotal(pairs, layers, assignment) : 0;
  const objectiveValue = total(objective) + interactions;
  if (!Number.isFinite(objectiveValue)) reject(`objective ${objectiveValue} is not finite`);
  return { options: assignment, objective: objectiveValue, interactions, used };
}
