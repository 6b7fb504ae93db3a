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
import { branchAndBound, setUpBranch, type BranchSetup } from './branchAndBound.js';
import { runCore, searchCore } from './core.js';
import { setUpCore } from './coreSetup.js';
import { branchOverPairs, everyComponentMerges, type MergeCache } from './pairBranch.js';
import { pairGroups } from './pairGroups.js';
import { searchPlans } from './pairSearch.js';
import { flatChoice, searchFeasible } from './feasibility.js';
import { flatten, type FlatInstance } from './flat.js';
import { solveDual } from './lagrangian.js';
import { searchNeighbourhoods } from './neighbourhood.js';
import { mckpOptions, type MckpOptions } from './options.js';
import { itemReducedCosts, type ReducedCosts } from './reducedCosts.js';
import { assignmentOf, improve, isFeasible, repair, type Assignment } from './primal.js';

/** The proof's floating-point tolerance, relative to the objective: the least gap ever claimed. */
const PROOF_TOLERANCE = 1e-12;

/**
 * Two answers to the same instance, the second not proven infeasible by a search that saw a plan
 * the first found: a proven one as it is, else the better plan with the higher of the two
 * (valid) bounds.
 */
function betterOf(first: SolveOutcome, second: SolveOutcome): SolveOutcome {
  if (second.status === 'optimal') return { ...second, nodes: first.nodes + second.nodes };
  const nodes = first.nodes + second.nodes;
  const withPlan = [first, second].filter((o) => o.choice !== undefined && o.objective !== undefined);
  if (withPlan.length === 0) return { ...second, nodes };
  const best = withPlan.reduce((a, b) => (b.objective! < a.objective! ? b : a));
  const bounds = [first.bound, second.bound].filter((b): b is number => b !== undefined);
  const bound = bounds.length > 0 ? Math.min(Math.max(...bounds), best.objective!) : best.bound;
  return { status: 'feasible', choice: best.choice, objective: best.objective, ...(bound !== undefined ? { bound } : {}), nodes, stoppedBy: second.stoppedBy ?? first.stoppedBy ?? 'time-limit' };
}

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
 * The proof widens: a round searches only the assignments that cost less than L(mu) + T for a
 * small threshold T. If the best assignment known then costs at most L(mu) + T + allowance, no
 * cheaper one exists outside what was searched and it is optimal; otherwise T doubles. A round
 * finds the best assignment below its threshold, so the optimum turns up in the first round
 * whose threshold exceeds it; the work grows much faster than the threshold, so a round that
 * turns out hard is first split (a threshold halfway down tried first) to overshoot least. A
 * round is the core program (core.ts: a dynamic program, very fast where states dominate each
 * other: few rows, or many interchangeable items) until a round hits the program's memory
 * caps; from then on rounds are branch and bound (branchAndBound.ts), which needs no
 * dominance. Only the time limit (or the branch-and-bound node limit) stops the proof early,
 * and stoppedBy says which. Each completed round raises the reported bound to the lesser
 * of L(mu) + T and the incumbent, so an answer stopped early carries the best gap proven so far.
 */
export function solveWithMckp(instance: ChoiceInstance, limits: SolveLimits, overrides: Partial<MckpOptions> = {}): SolveOutcome {
  // The k best plans need the search that does not drop dominated options, and so do pair
  // terms on small models or in large connected groups (dense measurements); sparse pairs on a
  // larger model are merged by components and the rest solved by this solver (pairBranch.ts),
  // which copes with budgets over many items of unrelated costs where branch and bound over all
  // items does not.
  const solveOne = (sub: ChoiceInstance, subLimits: SolveLimits) => solveWithMckp(sub, subLimits, overrides);
  if ((limits.alternatives ?? 1) > 1) return searchPlans(instance, limits, overrides, solveOne);
  if (instance.pairs?.length) {
    const settings = mckpOptions(overrides);
    const begin = limits.now();
    const left = (): SolveLimits => ({ ...limits, timeLimitMs: Math.max(0, limits.timeLimitMs - (limits.now() - begin)) });
    const graph = pairGroups(instance.items.length, instance.pairs);
    if (instance.items.length <= settings.maxItemsForPairSearch || graph.largest > settings.maxComponentForMerging) return searchPlans(instance, limits, overrides, solveOne);
    const cache: MergeCache = new Map();
    const merged = (mergedLimits: SolveLimits) => branchOverPairs(instance, mergedLimits, (relaxed, relaxedLimits) => solveWithMckp(relaxed, relaxedLimits, overrides), settings, cache);
    const closing = graph.cycleClosing;
    if (closing > instance.pairs.length - closing) return merged(limits);
    // Every component merged whole: the problem is additive, and merging solves it at once.
    const mergeDeadline = begin + limits.timeLimitMs * settings.forestSearchShare;
    if (everyComponentMerges(instance, graph, settings, cache, () => limits.now() >= mergeDeadline)) return merged(left());
    // Pairs that are mostly trees: the search over items with the forest bound (pairSearch.ts)
    // proves some of these that merging components does not, and the other way round. It gets a
    // share of the time first; merging gets the rest, and the better plan and the higher of the
    // two bounds are answered.
    const first = searchPlans(instance, { ...limits, timeLimitMs: Math.max(0, mergeDeadline - limits.now()) }, overrides, solveOne);
    if (first.status === 'optimal' || first.status === 'infeasible') return first;
    const second = merged(left());
    return betterOf(first, second);
  }
  const options = mckpOptions(overrides);
  const begin = limits.now();
  const deadline = begin + limits.timeLimitMs;
  const inst = flatten(instance);
  if (provablyInfeasible(inst)) return { status: 'infeasible', nodes: 0 };

  const dual = solveDual(inst, limits.now, begin + limits.timeLimitMs * options.dualTimeShare, options);
  const { mu } = dual.best;
  const lowerBound = dual.best.value;
  // The options' reduced costs at mu, from which every search below starts (computed once).
  let reducedAtMu: ReducedCosts | undefined;
  const atMu = () => (reducedAtMu ??= itemReducedCosts(inst, mu));
  // A caller's cutoff, in the flat instance's units: nothing at or above it needs finding.
  const cutoff = (limits.cutoff ?? Infinity) / inst.costScale;
  // A caller's target: the first plan at or below it is the answer (a feasibility search).
  const target = (limits.target ?? -Infinity) / inst.costScale;
  if (lowerBound >= cutoff) return { status: 'infeasible', nodes: dual.evaluations };
  // A completed round at threshold T has seen every assignment costing less than L(mu) + T, so
  // the optimum is at least the lesser of that and the incumbent.
  let searchedBelow = lowerBound;
  let nodes = dual.evaluations;
  const repaired = repair(inst, dual.best.choice, options);
  let incumbent: Assignment | undefined = repaired && improve(inst, repaired, mu, options);
  const reached = () => incumbent !== undefined && incumbent.cost <= target;
  const allowanceOf = (cost: number) => Math.max(limits.relativeGap * Math.abs(cost), PROOF_TOLERANCE * Math.max(1, Math.abs(cost)));
  const allowance = () => allowanceOf(incumbent!.cost);
  const closed = () => Math.min(incumbent!.cost - allowance(), cutoff) - lowerBound;
  // The prover that finished the last round starts the next; the core program is out for good
  // once a round hits its memory caps.
  let preferred: 'core' | 'branch' = options.prover;
  let coreExhausted = false;
  let roundWork = options.firstRoundWork;
  let firstRound = true;
  // Interchangeable items (MoE experts, repeated blocks) are merged by the core program, while
  // branch and bound would branch over their symmetric copies: where most live items merge, the
  // core program keeps whole rounds and branch and bound comes in only at its memory caps.
  let coreOnly = false;
  let stoppedBy: SolveOutcome['stoppedBy'];
  let neighbourhoods = 0;

  /** A beam pass of the core program: a good plan for few states (small cores only), no proof. */
  const beam = () => {
    const result = searchCore(inst, atMu(), incumbent?.cost ?? Infinity, closed(), { now: limits.now, deadline, beam: options.beamWidth, lagrangianValue: lowerBound, options });
    nodes += result.states;
    // The greedy moves may still improve a beam's answer.
    if (result.improved) incumbent = improve(inst, assignmentOf(inst, result.improved), mu, options);
  };
  // Each prover's set-up for the current round, made at its first turn and reused by the next.
  let setups: { threshold: number; core?: ReturnType<typeof setUpCore>; branch?: BranchSetup } = { threshold: NaN };
  const setupsFor = (threshold: number) => (setups.threshold === threshold ? setups : (setups = { threshold }));
  const coreLimits = (work: number) => ({ now: limits.now, deadline, lagrangianValue: lowerBound, options, maxCreated: work });
  /** The core program's set-up for a round (made once), which tells whether most live items merge. */
  const coreProgram = (threshold: number) => {
    const round = setupsFor(threshold);
    if (!round.core) {
      round.core = setUpCore(inst, atMu(), threshold, coreLimits(Infinity));
      if (!('end' in round.core) && round.core.core.length <= round.core.liveItems * options.mergedShare) coreOnly = true;
    }
    return round.core;
  };
  /** The core program on one round within `work` states: complete, or why it stopped. */
  const coreAttempt = (threshold: number, work: number) => {
    const result = runCore(coreProgram(threshold), incumbent?.cost ?? Infinity, threshold, coreLimits(work));
    nodes += result.states;
    // A full round's answer is the best below its threshold, which no move improves without leaving it.
    if (result.improved) incumbent = assignmentOf(inst, result.improved);
    return result.complete ? 'complete' : result.stoppedBy ?? 'time-limit';
  };
  /** Branch and bound on one round within `work` (in states): complete, or why it stopped. */
  const branchAttempt = (threshold: number, work: number) => {
    const round = setupsFor(threshold);
    round.branch ??= setUpBranch(inst, { reduced: atMu().reduced, value: lowerBound, incumbent }, allowanceOf, lowerBound + threshold, options);
    const result = branchAndBound(inst, round.branch, { mu, bound: lowerBound, incumbent }, { now: limits.now, deadline, allowance: allowanceOf }, options, work * options.optionsPerState);
    nodes += result.nodes;
    incumbent = result.incumbent;
    searchedBelow = Math.max(searchedBelow, result.bound);
    return result.complete ? 'complete' : result.stoppedBy!;
  };
  /**
   * A large-neighbourhood search for a better incumbent within `work` option evaluations (not
   * where items merge: branch and bound would branch over their symmetric copies).
   */
  const improveIncumbent = (work: number) => {
    if (coreOnly || !incumbent || closed() <= 0) return;
    const result = searchNeighbourhoods(inst, incumbent, mu, atMu().reduced, { now: limits.now, deadline, allowance: allowanceOf, maxWork: work, seed: ++neighbourhoods }, options);
    incumbent = result.incumbent;
    nodes += result.work;
  };
  /**
   * One proof round: every assignment costing less than L(mu) + threshold searched ('complete'),
   * or stopped by the deadline or the node limit ('stopped', stoppedBy set). The two provers take
   * turns on it with shares of work that grow fourfold, so that a round costs a small multiple of
   * what the better of them needs: the core program is fast where states dominate each other (few
   * rows, many interchangeable items), branch and bound where they rarely do. Each time both
   * stop short, a neighbourhood search gets a share of that work: only rounds that turn out hard
   * pay for it, and when it lowers the incumbent below the threshold the round is given up for a
   * cheaper one at the new gap ('lowered'). A `splittable` round gives up after its first turn
   * ('split'): the caller tries a threshold between it and the last completed one first.
   */
  const round = (threshold: number, splittable: boolean): 'complete' | 'stopped' | 'lowered' | 'split' => {
    if (!coreExhausted) coreProgram(threshold);
    for (let work = roundWork; ; work *= 4) {
      for (const prover of preferred === 'core' ? (['core', 'branch'] as const) : (['branch', 'core'] as const)) {
        if (prover === 'core' && coreExhausted) continue;
        if (prover === 'branch' && coreOnly && !coreExhausted) continue;
        // Alone, a prover runs without a share; otherwise the one that finished the last round
        // gets the whole turn, the other a part.
        const alone = (prover === 'core' && coreOnly) || (prover === 'branch' && coreExhausted);
        const share = alone ? Infinity : firstRound || prover === preferred ? work : work * options.otherProverShare;
        const outcome = prover === 'core' ? coreAttempt(threshold, share) : branchAttempt(threshold, share);
        if (outcome === 'complete') {
          preferred = prover;
          firstRound = false;
          roundWork = work;
          searchedBelow = Math.max(searchedBelow, lowerBound + threshold);
          return 'complete';
        }
        if (reached()) return 'stopped';
        if (outcome === 'memory-limit') coreExhausted = true;
        else if (outcome !== 'work-limit') {
          stoppedBy = outcome;
          return 'stopped';
        }
      }
      improveIncumbent(work * options.optionsPerState * options.neighbourhoodShare);
      if (reached()) return 'stopped';
      if (incumbent && closed() < threshold) return 'lowered';
      if (splittable) return 'split';
    }
  };

  let proven = false;
  let search = true;
  if (!incumbent) {
    // Budgets tight together: look for a plan within them first, by minimizing one row under
    // the others (feasibility.ts), within half the time left; the proof rounds then start from it.
    const found = searchFeasible(instance, inst, limits, limits.now() + (deadline - limits.now()) * options.feasibilityTimeShare, solveOne);
    nodes += found.nodes;
    if ('infeasible' in found) return { status: 'infeasible', nodes };
    if ('choice' in found) {
      const start = assignmentOf(inst, flatChoice(instance, inst, found.choice));
      if (isFeasible(inst, start.used)) incumbent = improve(inst, start, mu, options);
    }
  }
  if (reached()) {
    search = false;
  } else if (!incumbent) {
    // No feasible start: search every assignment (feasibility pruning only).
    const outcome = round(cutoff - lowerBound, false);
    if (!incumbent) return outcome === 'complete' ? { status: 'infeasible', nodes } : { status: 'time-limit', nodes, ...(stoppedBy ? { stoppedBy } : {}) };
    proven = outcome === 'complete';
    search = outcome === 'lowered';
  } else if (closed() <= 0) {
    proven = true;
  } else {
    // A quick beam pass usually finds the optimum, so that the proof rounds stop at its
    // threshold instead of overshooting it.
    beam();
  }
  if (search && !proven) {
    // The work of a round grows much faster than its threshold: doubling from a round that was
    // cheap can land on one that costs a hundred times more, while the optimum lies just above
    // the last completed threshold. So a round that stops short at its first turn, well above the
    // last completed one, is split: a round halfway between runs first, and either finds and
    // proves the optimum below it or raises the completed threshold toward the hard one.
    let completedAt = 0;
    let stalledAt = Infinity;
    let threshold = closed() * options.firstThresholdFraction;
    while (!proven) {
      if (reached()) break;
      if (closed() <= 0) {
        proven = true;
        break;
      }
      if (limits.now() >= deadline) {
        stoppedBy = 'time-limit';
        break;
      }
      const target = Math.min(threshold, closed());
      const outcome = round(target, completedAt > 0 && target > completedAt * options.splitRatio);
      if (outcome === 'stopped') break;
      if (outcome === 'complete') {
        completedAt = target;
        proven = closed() <= target;
        if (stalledAt <= target) stalledAt = Infinity;
      } else if (outcome === 'split') {
        stalledAt = target;
      } else {
        // A lowered incumbent: the next round searches up to the new gap.
        stalledAt = Math.min(stalledAt, closed());
      }
      if (stalledAt === Infinity) threshold = 2 * completedAt;
      else threshold = completedAt === 0 || stalledAt <= completedAt * options.splitRatio ? stalledAt : (completedAt + stalledAt) / 2;
    }
  }
  const final = incumbent!;
  // Proven with nothing found below the cutoff: there is none.
  if (proven && final.cost >= cutoff) return { status: 'infeasible', nodes };
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
    ...(proven || !stoppedBy ? {} : { stoppedBy }),
  };
}
