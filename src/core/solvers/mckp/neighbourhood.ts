/**
 * Large-neighbourhood search: improves the incumbent between proof rounds, so that a plan cut
 * short by the time limit is close to the optimum (and a round's threshold can stop lower).
 *
 * A neighbourhood frees `neighbourhoodItems` items and holds every other at the incumbent's
 * option; branch and bound solves that small problem exactly within a work share. Half of the
 * freed items are those whose incumbent option is furthest from their cheapest at the
 * multipliers (where the incumbent departs most from the relaxation's choice), the rest drawn at
 * random (seeded, so runs repeat) among items with another option; each neighbourhood draws anew.
 * It stops when its work is spent or a few neighbourhoods in a row find nothing.
 */
import { branchAndBound } from './branchAndBound.js';
import { compact } from './compact.js';
import type { FlatInstance } from './flat.js';
import { evaluate } from './lagrangian.js';
import type { MckpOptions } from './options.js';
import type { Assignment } from './primal.js';
import { mulberry32 } from '../../random.js';

export interface NeighbourhoodLimits {
  now: () => number;
  deadline: number;
  allowance: (cost: number) => number;
  /** Options the searches may evaluate together. */
  maxWork: number;
  /** Seeds the random picks. */
  seed: number;
}

/** `reduced`: each option's reduced cost at `mu` (itemReducedCosts), which the caller has. */
export function searchNeighbourhoods(inst: FlatInstance, incumbent: Assignment, mu: Float64Array, reduced: Float64Array, limits: NeighbourhoodLimits, options: MckpOptions): { incumbent: Assignment; work: number } {
  const { items, start, cost } = inst;
  const candidates: number[] = [];
  for (let i = 0; i < items; i++) if (start[i + 1]! - start[i]! > 1) candidates.push(i);
  const size = Math.min(options.neighbourhoodItems, candidates.length);
  if (size < 2) return { incumbent, work: 0 };
  const random = mulberry32(limits.seed);
  let work = 0;
  let fruitless = 0;
  const alive = new Uint8Array(cost.length);
  while (work < limits.maxWork && fruitless < options.fruitlessNeighbourhoods && limits.now() < limits.deadline) {
    // The incumbent's departures from the relaxation first, then random items.
    const departure = (i: number) => reduced[incumbent.choice[i]!]!;
    const byDeparture = [...candidates].sort((a, b) => departure(b) - departure(a) || a - b);
    const chosen = new Set(byDeparture.slice(0, size >> 1).filter((i) => departure(i) > 0));
    while (chosen.size < size) chosen.add(candidates[Math.floor(random() * candidates.length)]!);
    alive.fill(0);
    for (let i = 0; i < items; i++) {
      if (chosen.has(i)) alive.fill(1, start[i]!, start[i + 1]!);
      else alive[incumbent.choice[i]!] = 1;
    }
    const compacted = compact(inst, alive);
    const bound = evaluate(compacted.core, mu).value + compacted.fixedCost;
    const result = branchAndBound(inst, { compacted, cap: Infinity }, { mu, bound, incumbent }, { now: limits.now, deadline: limits.deadline, allowance: limits.allowance }, options, limits.maxWork - work);
    work += result.work + compacted.core.cost.length;
    if (result.incumbent && result.incumbent.cost < incumbent.cost - limits.allowance(incumbent.cost)) {
      incumbent = result.incumbent;
      fruitless = 0;
    } else fruitless++;
  }
  return { incumbent, work };
}
