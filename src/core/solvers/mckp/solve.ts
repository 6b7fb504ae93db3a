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
import { withinCapacity, type ChoiceInstance, type SolveLimits, type SolveOutcome } from '../instance.js';
import { searchCore } from './core.js';
import { flatten, type FlatInstance } from './flat.js';
import { solveDual } from './lagrangian.js';
import { mckpOptions, type MckpOptions } from './options.js';
import { assignmentOf, improve, repair, type Assignment } from './primal.js';

/** The proof's floating-point tolerance, relative to the objective: the least gap ever claimed. */
const PROOF_TOLERANCE = 1e-12;

/** Some row cannot hold even the lightest option of every item. */
function provablyInfeasible(inst: FlatInstance): boolean {
  for (let k = 0; k < inst.rows; k++) {
    let least = 0;
    for (let i = 0; i < inst.items; i++) {
      let w = Infinity;
      for (let o = inst.start[i]!; o < inst.start[i + 1]!; o++) w = Math.min(w, inst.weight[o * inst.rows + k]!);
      least += w;
    }
    if (!withinCapacity(least, inst.capacity[k]!)) return true;
  }
  return false;
}

/**
 * Solves to optimality within limits.relativeGap (at least 1e-12), or to the deadline.
 *
 * The proof widens: the core program first enumerates only the assignments that cost less
 * than L(mu) + T for a small threshold T. If the best assignment known then costs at most
 * L(mu) + T + allowance, no cheaper one exists outside what was enumerated and it is optimal;
 * otherwise T doubles. A round finds the best assignment below its threshold, so the optimum
 * turns up in the first round whose threshold exceeds it; the work grows much faster than the
 * threshold (tens of times the states for four times the threshold on MoE-shaped models), so doubling
 * overshoots least. Each completed round also raises the reported bound to the lesser of
 * L(mu) + T and the incumbent, so an answer stopped by the deadline carries the best gap
 * proven so far.
 */
export function solveWithMckp(instance: ChoiceInstance, limits: SolveLimits, overrides: Partial<MckpOptions> = {}): SolveOutcome {
  const options = mckpOptions(overrides);
  const begin = limits.now();
  const deadline = begin + limits.timeLimitMs;
  const inst = flatten(instance);
  if (provablyInfeasible(inst)) return { status: 'infeasible', nodes: 0 };

  const dual = solveDual(inst, limits.now, begin + limits.timeLimitMs * options.dualTimeShare, options);
  const { mu } = dual.best;
  const lowerBound = dual.best.value;
  // A completed core program at threshold T has seen every assignment costing less than
  // L(mu) + T, so the optimum is at least the lesser of that and the incumbent.
  let searchedBelow = lowerBound;
  let nodes = dual.evaluations;
  const repaired = repair(inst, dual.best.choice, options);
  let incumbent: Assignment | undefined = repaired && improve(inst, repaired, mu, options);
  const core = (threshold: number, beam?: number) => {
    const result = searchCore(inst, mu, incumbent?.cost ?? Infinity, threshold, { now: limits.now, deadline, beam, lagrangianValue: lowerBound, options });
    nodes += result.states;
    // A full round's answer is the best below its threshold, which no move improves without
    // leaving it; a beam's answer is only good, and the greedy moves may still improve it.
    if (result.improved) incumbent = beam === undefined ? assignmentOf(inst, result.improved) : improve(inst, assignmentOf(inst, result.improved), mu, options);
    if (result.complete) searchedBelow = Math.max(searchedBelow, lowerBound + threshold);
    return result.complete;
  };
  const allowance = () => Math.max(limits.relativeGap * Math.abs(incumbent!.cost), PROOF_TOLERANCE * Math.max(1, Math.abs(incumbent!.cost)));
  const closed = () => incumbent!.cost - allowance() - lowerBound;

  let proven = false;
  if (!incumbent) {
    // No feasible start: search every assignment (feasibility pruning only).
    const complete = core(Infinity);
    if (!incumbent) return { status: complete ? 'infeasible' : 'time-limit', nodes };
    proven = complete;
  } else if (closed() <= 0) {
    proven = true;
  } else {
    // A quick beam pass (small cores only, see core.ts) usually finds the optimum, so that the
    // proof rounds stop at its threshold instead of overshooting it.
    core(closed(), options.beamWidth);
    for (let threshold = closed() * options.firstThresholdFraction; !proven && limits.now() < deadline; threshold *= 2) {
      if (closed() <= 0) {
        proven = true;
        break;
      }
      const complete = core(Math.min(threshold, closed()));
      if (!complete) break;
      proven = closed() <= threshold;
    }
  }
  const final = incumbent!;
  const choice = Array.from(final.choice, (o) => inst.original[o]!);
  // Proven within the allowance, and at least what the completed rounds showed: when the
  // optimum lies below the last round's threshold, that round found it, and the bound is the
  // objective up to the proof's floating-point tolerance (1e-12).
  const tolerance = PROOF_TOLERANCE * Math.max(1, Math.abs(final.cost));
  const bound = Math.min(Math.max(proven ? final.cost - allowance() : lowerBound, searchedBelow), final.cost - tolerance);
  return {
    status: proven ? 'optimal' : 'feasible',
    choice,
    objective: final.cost * inst.costScale,
    bound: bound * inst.costScale,
    nodes,
  };
}
