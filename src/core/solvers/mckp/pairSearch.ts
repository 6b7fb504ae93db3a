/**
 * Exact search for what the additive solver cannot do: pairwise objective terms (measured
 * interactions, "Augmenting Hessians with Inter-Layer Dependencies"; CLADO) and the k best
 * distinct plans.
 *
 * Depth-first branch and bound over the items. A node is the instance with some options removed
 * (`alive`). Its bound is the Lagrangian dual (budget rows priced) of the node's problem with its
 * pair terms handled so that the relaxed value stays a lower bound:
 * - both items decided: the term is a constant;
 * - one decided: the term is exact on the other's options (t(j, decided));
 * - neither, and the pair in a spanning forest of the undecided pairs: exact, by dynamic
 *   programming over the trees (pairForest.ts), which also gives each option's min-marginal;
 * - neither, and the pair closing a cycle (or the graph dense: more such pairs than forest
 *   pairs): folded, item a's option j carrying min over b's live options of t(j, k), a lower
 *   bound on whatever b takes.
 * So the bound tightens as items are decided, and is the exact objective at a leaf. Options whose
 * min-marginal lifts the bound to the ceiling are removed for the subtree. The node's
 * Lagrangian minimizer, when it meets every row, is a plan (priced with its true pair terms);
 * branching picks an item of a folded pair first (their terms are the loose part of the bound),
 * else the one whose two best options are nearest, and tries the child keeping its best option
 * first.
 *
 * The k best: plans are kept in a list of the k best distinct ones; the ceiling is the k-th
 * cost (less the allowed gap) once the list is full, and a node whose minimizer was a plan is
 * still branched on (its subtree may hold the next best). When the stack empties, every plan
 * below the ceiling has been seen: the list is exactly the k best.
 */
import type { ChoiceInstance, SolveLimits, SolveOutcome } from '../instance.js';
import { capacityCeiling } from '../instance.js';
import { flatChoice, searchFeasible, type Solve } from './feasibility.js';
import { flatten, type FlatInstance } from './flat.js';
import { propagateRows } from './rowPropagation.js';
import { enterNode } from './trail.js';
import { solveDual } from './lagrangian.js';
import { PairMessages } from './pairMessages.js';
import { evaluateForest, forestScratch, spanningForest, type FlatPair, type PairForest } from './pairForest.js';
import { mckpOptions, type MckpOptions } from './options.js';
import { costAtPlan } from './costAtPlan.js';
import { nearPlans } from './nearPlans.js';
import { improve, isFeasible, repair } from './primal.js';

interface Plan {
  choice: Int32Array;
  cost: number;
  key: string;
}

interface Entry {
  mark: number;
  remove: number[];
  mu: Float64Array;
  bound: number;
}

/** MPLP at the root of a dense pair graph takes at most this share of the time limit (and options.rootMessageSweeps sweeps). */
const MESSAGE_TIME_SHARE = 0.05;

/** Floating-point tolerance of the proof, relative to the objective (as in solve.ts). */
const PROOF_TOLERANCE = 1e-12;

/**
 * `solveOne` is the backend for one plan (solve.ts, passed in so that the two modules do not
 * import each other): the k best start from its proven optimum, and a search whose repair found
 * no plan starts from its feasibility search.
 */
export function searchPlans(instance: ChoiceInstance, limits: SolveLimits, overrides: Partial<MckpOptions>, solveOne: Solve): SolveOutcome {
  const options = mckpOptions(overrides);
  const wanted = Math.max(1, Math.floor(limits.alternatives ?? 1));
  const begin = limits.now();
  const deadline = begin + limits.timeLimitMs;
  const paired = new Uint8Array(instance.items.length);
  for (const pair of instance.pairs ?? []) paired[pair.a] = paired[pair.b] = 1;
  // Dominated options may be the best with a pair term, or among the k best: keep them there.
  const inst = flatten(instance, (i) => wanted > 1 || paired[i] === 1);
  const { items, rows: m, start, cost, weight, costScale } = inst;
  const pairs: FlatPair[] = (instance.pairs ?? []).map((pair) => ({
    a: pair.a,
    b: pair.b,
    width: instance.items[pair.b]!.options.length,
    table: pair.cost.map((t) => t / costScale),
  }));
  const pairsOf: number[][] = Array.from({ length: items }, () => []);
  pairs.forEach((pair, p) => {
    pairsOf[pair.a]!.push(p);
    pairsOf[pair.b]!.push(p);
  });

  const alive = new Uint8Array(cost.length).fill(1);
  const trail: number[] = [];
  const nodeCost = new Float64Array(cost.length);
  const allowanceOf = (value: number) => Math.max(limits.relativeGap * Math.abs(value), PROOF_TOLERANCE * Math.max(1, Math.abs(value)));

  // The k best plans found, best first.
  const found: Plan[] = [];
  const keys = new Set<string>();
  const ceiling = () => {
    if (found.length < wanted) return Infinity;
    const last = found[found.length - 1]!.cost;
    return last - allowanceOf(last);
  };
  const trueCost = (choice: Int32Array) => {
    let total = 0;
    for (let i = 0; i < items; i++) total += cost[choice[i]!]!;
    for (const pair of pairs) total += pair.table[(choice[pair.a]! - start[pair.a]!) * pair.width + choice[pair.b]! - start[pair.b]!]!;
    return total;
  };
  const meetsRows = (choice: Int32Array) => {
    for (let k = 0; k < m; k++) {
      let used = 0;
      for (let i = 0; i < items; i++) used += weight[choice[i]! * m + k]!;
      if (used > capacityCeiling(inst.capacity[k]!)) return false;
    }
    return true;
  };
  const offer = (choice: Int32Array) => {
    if (!meetsRows(choice)) return;
    const value = trueCost(choice);
    if (found.length >= wanted && value >= found[found.length - 1]!.cost) return;
    const key = choice.join(',');
    if (keys.has(key)) return;
    let at = found.length;
    while (at > 0 && found[at - 1]!.cost > value) at--;
    found.splice(at, 0, { choice: Int32Array.from(choice), cost: value, key });
    keys.add(key);
    if (found.length > wanted) keys.delete(found.pop()!.key);
  };

  /**
   * The node's costs (into nodeCost), the constant of its decided pairs, and the forest of its
   * undecided pairs (pairForest.ts: exact in the bound). A pair with one side decided is exact in
   * the other's costs; a pair that would close a cycle among the undecided is folded into item a
   * (its option j carries min over b's live options of t(j, k), a lower bound on whatever b takes)
   * and marks both items `loose`.
   */
  const fold = (): { constant: number; forest: PairForest; dense: boolean; open: number[] } => {
    nodeCost.set(cost);
    loose.fill(0);
    let constant = 0;
    const liveA: number[] = [];
    const liveB: number[] = [];
    const open: number[] = [];
    pairs.forEach((pair, p) => {
      liveA.length = 0;
      liveB.length = 0;
      for (let o = start[pair.a]!; o < start[pair.a + 1]!; o++) if (alive[o]) liveA.push(o - start[pair.a]!);
      for (let o = start[pair.b]!; o < start[pair.b + 1]!; o++) if (alive[o]) liveB.push(o - start[pair.b]!);
      const { table, width } = pair;
      if (liveA.length === 1 && liveB.length === 1) {
        constant += table[liveA[0]! * width + liveB[0]!]!;
      } else if (liveB.length === 1) {
        for (const j of liveA) nodeCost[start[pair.a]! + j] = nodeCost[start[pair.a]! + j]! + table[j * width + liveB[0]!]!;
      } else if (liveA.length === 1) {
        for (const k of liveB) nodeCost[start[pair.b]! + k] = nodeCost[start[pair.b]! + k]! + table[liveA[0]! * width + k]!;
      } else {
        open.push(p);
      }
    });
    // A dense graph (more pairs left out of its forest than in it) folds them all, as a graph
    // of no forest: there the exact trees gain little and each node costs more.
    let { forest, left } = spanningForest(items, pairs, open);
    const dense = left.length > forest.pairs.length;
    if (dense) ({ forest, left } = spanningForest(items, pairs, []));
    if (forest.pairs.length === 0) left = open;
    for (const p of left) {
      const { a, b, table, width } = pairs[p]!;
      loose[a] = loose[b] = 1;
      for (let o = start[a]!; o < start[a + 1]!; o++) {
        if (!alive[o]) continue;
        let least = Infinity;
        for (let q = start[b]!; q < start[b + 1]!; q++) if (alive[q]) least = Math.min(least, table[(o - start[a]!) * width + q - start[b]!]!);
        nodeCost[o] = nodeCost[o]! + least;
      }
    }
    return { constant, forest, dense, open };
  };
  const loose = new Uint8Array(items);
  const scratch = forestScratch(inst);
  const excess = new Float64Array(cost.length);
  /** The dual at a node: pairs of its forest exact (a non-additive evaluation), the rest folded. */
  const nodeDual = (forest: PairForest, dualDeadline: number, start: { mu?: Float64Array; target?: number; maxSteps?: number }) =>
    solveDual(nodeInstance, limits.now, dualDeadline, options, {
      alive,
      ...start,
      ...(forest.pairs.length > 0 ? { evaluateAt: (mu: Float64Array) => evaluateForest(inst, nodeCost, alive, pairs, forest, mu, scratch), additive: false } : {}),
    });
  const nodeInstance: FlatInstance = { ...inst, cost: nodeCost };

  /**
   * Removes the options that cannot fit beside the lightest live options of every other item,
   * row by row, until none is removed; false when even the lightest ones break a row. The dual
   * proves such a node empty only in the limit of its multipliers (a budget only the cheapest
   * options meet, with k best plans asked, would otherwise be searched option by option).
   */
  const propagate = (): boolean => {
    for (;;) {
      const { infeasible, removed } = propagateRows(inst, everyItem, noneDecided, alive, trail);
      if (infeasible) return false;
      if (removed === 0) return true;
    }
  };
  const everyItem = Int32Array.from({ length: items }, (_, i) => i);
  const noneDecided = new Float64Array(m);

  /** Moves one item at a time to the option that lowers the true cost most within the rows, until none does. */
  const localSearch = (start0: Int32Array) => {
    const choice = Int32Array.from(start0);
    const used = new Float64Array(m);
    for (let i = 0; i < items; i++) for (let k = 0; k < m; k++) used[k] = used[k]! + weight[choice[i]! * m + k]!;
    const partOf = (i: number, o: number) => costAtPlan(inst, pairs, pairsOf, choice, i, o);
    for (let pass = 0, moved = true; moved && pass < options.improvePasses; pass++) {
      moved = false;
      for (let i = 0; i < items; i++) {
        const from = choice[i]!;
        const current = partOf(i, from);
        let best = from;
        let bestValue = current;
        for (let o = start[i]!; o < start[i + 1]!; o++) {
          if (o === from) continue;
          let fits = true;
          for (let k = 0; k < m && fits; k++) fits = used[k]! - weight[from * m + k]! + weight[o * m + k]! <= capacityCeiling(inst.capacity[k]!);
          if (!fits) continue;
          const value = partOf(i, o);
          if (value < bestValue - PROOF_TOLERANCE * Math.max(1, Math.abs(bestValue))) {
            best = o;
            bestValue = value;
          }
        }
        if (best !== from) {
          for (let k = 0; k < m; k++) used[k] = used[k]! - weight[from * m + k]! + weight[best * m + k]!;
          choice[i] = best;
          moved = true;
        }
      }
    }
    return choice;
  };

  // The root: its dual, a repaired and improved plan, and a local search on the true costs.
  let rootFold = fold();
  const rootDualDeadline = begin + limits.timeLimitMs * options.dualTimeShare;
  let root = nodeDual(rootFold.forest, rootDualDeadline, {});
  if (rootFold.dense && rootFold.open.length > 0 && options.rootMessageSweeps > 0) {
    // A dense graph: messages climbed at the root's multipliers and moved into the problem
    // (pairMessages.ts), so that every node's fold starts from the tighter split of its terms.
    const messages = new PairMessages(inst, pairs);
    messages.climb(cost, alive, rootFold.open, root.best.mu, options.rootMessageSweeps, begin + limits.timeLimitMs * MESSAGE_TIME_SHARE, limits.now);
    messages.reparametrize(cost);
    rootFold = fold();
    root = nodeDual(rootFold.forest, rootDualDeadline, { mu: root.best.mu });
  }
  const rootConstant = rootFold.constant;
  const rootBound = root.best.value + rootConstant;
  const repaired = repair(nodeInstance, root.best.choice, options);
  if (repaired) offer(localSearch(improve(nodeInstance, repaired, root.best.mu, options).choice));
  // A bound proven before the enumeration (the single best plan's), at least the root's.
  let provenBound = rootBound;
  let startNodes = 0;
  const startDeadline = limits.now() + (deadline - limits.now()) * options.feasibilityTimeShare;
  if (wanted > 1) {
    // The k best start from the best plan, proven first by the solver for one plan: the first of
    // them is then never worse than what the same request with one plan answers, and the
    // enumeration prunes against it from its first node.
    const single = solveOne(instance, { timeLimitMs: Math.max(0, startDeadline - limits.now()), relativeGap: limits.relativeGap, now: limits.now });
    startNodes += single.nodes;
    if (single.status === 'infeasible') return { status: 'infeasible', nodes: startNodes };
    if (single.choice) offer(flatChoice(instance, inst, single.choice));
    // The ceiling from the plans nearest the best, so that the search prunes from its first node.
    if (found.length > 0) for (const choice of nearPlans(inst, pairs, pairsOf, found[0]!.choice, wanted)) offer(choice);
    if (single.bound !== undefined) provenBound = Math.max(provenBound, single.bound / costScale);
  } else if (found.length === 0) {
    // No start from the dual: budgets tight together. Feasibility first (feasibility.ts).
    const start = searchFeasible(instance, inst, limits, startDeadline, solveOne);
    startNodes += start.nodes;
    if ('infeasible' in start) return { status: 'infeasible', nodes: startNodes };
    if ('choice' in start) offer(localSearch(flatChoice(instance, inst, start.choice)));
  }

  const stack: Entry[] = [{ mark: 0, remove: [], mu: root.best.mu, bound: rootBound }];
  let nodes = startNodes;
  let stoppedBy: SolveOutcome['stoppedBy'];
  while (stack.length > 0) {
    if (limits.now() > deadline) {
      stoppedBy = 'time-limit';
      break;
    }
    if (nodes >= options.maxBranchNodes) {
      stoppedBy = 'node-limit';
      break;
    }
    const entry = stack.pop()!;
    if (entry.bound >= ceiling()) continue;
    enterNode(alive, trail, entry.mark, entry.remove);
    nodes++;
    if (!propagate()) continue;
    const { constant, forest } = fold();
    const { best } = nodeDual(forest, deadline, { mu: entry.mu, target: ceiling() - constant, maxSteps: options.nodeDualSteps });
    const bound = best.value + constant;
    if (bound >= ceiling()) continue;
    if (isFeasible(inst, best.used)) {
      offer(best.choice);
      if (bound >= ceiling()) continue;
    }
    // Each option's min-marginal at the node's multipliers (the least relaxed value with it
    // forced, as an excess over its item's best): remove what cannot lead below the ceiling.
    evaluateForest(inst, nodeCost, alive, pairs, forest, best.mu, scratch, excess);
    const room = ceiling() - bound;
    let branchItem = -1;
    let branchPaired = false;
    let branchScore = Infinity;
    let undecided = 0;
    for (let i = 0; i < items; i++) {
      let least = Infinity;
      let second = Infinity;
      let count = 0;
      for (let o = start[i]!; o < start[i + 1]!; o++) {
        if (!alive[o]) continue;
        const v = excess[o]!;
        if (v < least) [least, second] = [v, least];
        else if (v < second) second = v;
        count++;
      }
      for (let o = start[i]!; o < start[i + 1]!; o++) {
        if (alive[o] && count > 1 && excess[o]! - least >= room) {
          alive[o] = 0;
          trail.push(o);
          count--;
        }
      }
      if (count <= 1) continue;
      undecided++;
      // Items whose pair terms are still folded loosely (a pair closing a cycle) come first.
      const isLoose = loose[i] === 1;
      const score = second - least;
      if ((isLoose && !branchPaired) || (isLoose === branchPaired && score < branchScore)) {
        branchItem = i;
        branchPaired = isLoose;
        branchScore = score;
      }
    }
    if (undecided === 0) {
      // One option left everywhere: that is a plan (or none, if it breaks a row).
      const choice = new Int32Array(items);
      for (let i = 0; i < items; i++) for (let o = start[i]!; o < start[i + 1]!; o++) if (alive[o]) choice[i] = o;
      offer(choice);
      continue;
    }
    // The child keeping the branch item's best option first, then the one without it.
    let chosen = -1;
    let chosenValue = Infinity;
    for (let o = start[branchItem]!; o < start[branchItem + 1]!; o++) {
      if (alive[o] && excess[o]! < chosenValue) {
        chosen = o;
        chosenValue = excess[o]!;
      }
    }
    const others: number[] = [];
    for (let o = start[branchItem]!; o < start[branchItem + 1]!; o++) if (alive[o] && o !== chosen) others.push(o);
    stack.push({ mark: trail.length, remove: [chosen], mu: best.mu, bound });
    stack.push({ mark: trail.length, remove: others, mu: best.mu, bound });
  }

  const complete = stack.length === 0 && stoppedBy === undefined;
  if (found.length === 0) return complete ? { status: 'infeasible', nodes } : { status: 'time-limit', nodes, ...(stoppedBy ? { stoppedBy } : {}) };
  const best = found[0]!;
  const tolerance = PROOF_TOLERANCE * Math.max(1, Math.abs(best.cost));
  // Complete: nothing below the ceiling was left unseen. Otherwise the open nodes bound the rest.
  let bound = complete ? best.cost - allowanceOf(best.cost) : Math.min(provenBound, best.cost);
  if (!complete) {
    let open = ceiling();
    for (const entry of stack) open = Math.min(open, entry.bound);
    bound = Math.max(provenBound, Math.min(open, best.cost));
  }
  const original = (choice: Int32Array) => Array.from(choice, (o) => inst.original[o]!);
  return {
    status: complete ? 'optimal' : 'feasible',
    ...(complete ? {} : { stoppedBy: stoppedBy ?? 'time-limit' }),
    choice: original(best.choice),
    objective: best.cost * costScale,
    bound: Math.min(bound, best.cost - tolerance) * costScale,
    nodes,
    ...(wanted > 1 ? { alternatives: found.map((plan) => ({ choice: original(plan.choice), objective: plan.cost * costScale })) } : {}),
  };
}
