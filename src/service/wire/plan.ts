import type { Plan, PlannedLayer } from '../../contract/plan.js';
import type { PlanResult } from '../../core/index.js';
import { wireTarget } from './target.js';

/** The core's plan as the wire Plan (src/contract/plan.ts): candidates and formats as ids. */
export function wirePlan(result: PlanResult): Plan {
  return {
    status: result.status,
    objective: { [result.objective.quantity]: result.objective.value },
    bound: result.bound,
    gap: result.gap,
    totals: result.totals,
    ...(result.sensitivityParts ? { sensitivityParts: result.sensitivityParts } : {}),
    budgets: result.budgets,
    layers: result.layers.map(
      (layer): PlannedLayer => ({
        name: layer.name,
        candidate: layer.candidate.id,
        sensitivity: layer.sensitivity,
        sensitivitySource: layer.sensitivitySource,
        pinned: layer.pinned,
        ...(layer.computesIn ? { computesIn: layer.computesIn.format.id + (layer.computesIn.native ? '' : ' (emulated)') } : {}),
        costs: layer.costs,
      }),
    ),
    ...(result.alternatives
      ? {
          alternatives: result.alternatives.map((alternative) => ({
            ...alternative,
            layers: alternative.layers.map((layer) => ({ name: layer.name, candidate: layer.candidate.id })),
          })),
        }
      : {}),
    solver: result.solver,
    ...(result.target ? { target: wireTarget(result.target) } : {}),
    warnings: result.warnings,
  };
}
