/**
 * Backend `mckp`: our exact solver for the multiple-choice problem with any number of rows.
 *
 * 1. Reduce: drop options dominated in cost and every weight (ties and pins were folded in
 *    before, see problem/instance.ts).
 * 2. Bound: the Lagrangian dual (= the LP relaxation), exact for one row, cutting planes for more.
 * 3. Primal: repair the dual minimizer to feasibility, then improve it greedily.
 * 4. Prove: reduced-cost fixing and a dynamic program over the core (core.ts), which either
 *    proves the incumbent optimal within the allowed gap or finds a better one.
 *
 * Deterministic: no randomness, ties broken by index; the clock only decides when to stop.
 */
import type { ChoiceInstance, SolveLimits, SolveOutcome } from '../instance.js';
import { searchCore } from './core.js';
import { flatten, type FlatInstance } from './flat.js';
import { solveDual } from './lagrangian.js';
import { assignmentOf, improve, repair, type Assignment } from './primal.js';

/** Most states the core program may hold at once (about 100 MB of typed arrays with two rows). */
export const MAX_CORE_STATES = 2_000_000;

function provablyInfeasible(inst: FlatInstance): boolean {
  for (let k = 0; k < inst.rows; k++) {
    let least = 0;
    for (let i = 0; i < inst.items; i++) {
      let w = Infinity;
      for (let o = inst.start[i]!; o < inst.start[i + 1]!; o++) w = Math.min(w, inst.weight[o * inst.rows + k]!);
      least += w;
    }
    const cap = inst.capacity[k]!;
    if (least > cap + 1e-12 * Math.max(Math.abs(cap), Math.abs(least))) return true;
  }
  return false;
}

export function solveWithMckp(instance: ChoiceInstance, limits: SolveLimits): SolveOutcome {
  const begin = limits.now();
  const deadline = begin + limits.timeLimitMs;
  const inst = flatten(instance);
  if (provablyInfeasible(inst)) return { status: 'infeasible', nodes: 0 };

  const dual = solveDual(inst, limits.now, begin + limits.timeLimitMs / 4);
  const lowerBound = dual.best.value;
  let nodes = dual.evaluations;
  let incumbent: Assignment | undefined;
  const repaired = repair(inst, dual.best.choice);
  if (repaired) incumbent = improve(inst, repaired, dual.best.mu);

  const allowanceFor = (cost: number) => Math.max(limits.relativeGap * Math.abs(cost), 1e-12 * Math.max(1, Math.abs(cost)));
  let proven = false;
  if (incumbent && incumbent.cost - lowerBound <= allowanceFor(incumbent.cost)) {
    proven = true;
  } else {
    const upper = incumbent?.cost ?? Infinity;
    const search = searchCore(inst, dual.best.mu, lowerBound, upper, incumbent ? allowanceFor(upper) : 0, {
      now: limits.now,
      deadline,
      maxStates: MAX_CORE_STATES,
    });
    nodes += search.states;
    proven = search.proven;
    if (search.improved) incumbent = improve(inst, assignmentOf(inst, search.improved), dual.best.mu);
  }

  if (!incumbent) return { status: proven ? 'infeasible' : 'time-limit', nodes };
  const choice = Array.from(incumbent.choice, (o) => inst.original[o]!);
  const objective = incumbent.cost * inst.costScale;
  const bound = proven ? Math.max(lowerBound, incumbent.cost - allowanceFor(incumbent.cost)) : lowerBound;
  return { status: proven ? 'optimal' : 'feasible', choice, objective, bound: Math.min(bound, incumbent.cost) * inst.costScale, nodes };
}
