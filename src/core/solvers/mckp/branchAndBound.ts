/**
 * Branch and bound over the items, the exact method that does not depend on dominance: for
 * instances whose core program cannot finish within its memory caps (three or more rows of
 * unrelated costs, where states rarely dominate each other).
 *
 * The root's reduced costs fix most items for good (compact.ts); the search runs depth first on
 * the rest. A node is that core with some options removed (`alive`); its bound is the Lagrangian
 * dual over what is alive (= its LP relaxation), warm-started from the parent's multipliers.
 * Options whose reduced cost alone lifts the bound to the ceiling (incumbent - allowance) are
 * removed for the node's subtree, as are options that break a budget row whatever the other
 * items take (rowPropagation.ts) or that would put identical items out of order (symmetry.ts),
 * and an item left with one option is decided: a node carries
 * the items still undecided and the summed cost and weights of the decided ones, so its
 * evaluations cost what its undecided items cost (a few dozen of hundreds, deep in the tree).
 * The node's Lagrangian minimizer, when it meets every row, is a plan; otherwise the undecided
 * item whose two best options are nearest in reduced cost is branched on: first the child that
 * keeps only its best option, then the one without it. Every node pruned has a bound at the
 * ceiling, so when the stack empties the incumbent is optimal within the allowance.
 */
import { compact, expandCore, type CompactInstance } from './compact.js';
import type { FlatInstance } from './flat.js';
import { propagateRows } from './rowPropagation.js';
import { identicalItemClasses, keepClassesOrdered } from './symmetry.js';
import { enterNode } from './trail.js';
import { solveDual, type LagrangianPoint } from './lagrangian.js';
import type { MckpOptions } from './options.js';
import { assignmentOf, improve, isFeasible, repair, type Assignment } from './primal.js';

export interface BranchLimits {
  now: () => number;
  deadline: number;
  /** How far above a bound a plan may be and still count as optimal (the requested gap). */
  allowance: (cost: number) => number;
}

export interface BranchResult {
  /** The best plan known (the one given, or a better one found); undefined when none is known. */
  incumbent: Assignment | undefined;
  /** True when every node was pruned: no plan below the ceiling beats the incumbent. */
  complete: boolean;
  /** Why an incomplete search stopped: the deadline, options.maxBranchNodes, or the round's work share (maxNodes). */
  stoppedBy?: 'time-limit' | 'node-limit' | 'work-limit';
  /** A proven lower bound on the optimum (the least bound of the nodes left open). */
  bound: number;
  nodes: number;
  /** Options evaluated (the work done: every dual evaluation and reduced-cost pass scans a node's live options). */
  work: number;
}

/** A node waiting on the stack. */
interface Entry {
  /** Trail length at which this node's removals begin. */
  mark: number;
  /** Options this node removes (beyond its parent's). */
  remove: number[];
  /** The parent's multipliers and bound (a lower bound on every plan in this node, in the core's terms: without fixedCost). */
  mu: Float64Array;
  bound: number;
  /** The parent's undecided items, and the summed cost and weights of its decided ones. */
  undecided: Int32Array;
  decidedCost: number;
  decidedWeight: Float64Array;
}

/** What a search needs that stays valid for a proof round: the live core at the root's reduced costs. */
export interface BranchSetup {
  compacted: CompactInstance;
  cap: number;
  /** Classes of identical items of the core, kept in order (symmetry.ts); found by the search when absent. */
  classes?: Int32Array[];
}

/**
 * The root's reduced costs fix most items for good: the options that cannot lead below the
 * ceiling (the lesser of `cap` and the incumbent less the allowance) are dropped and the items
 * left with one option fixed. A better incumbent later only makes this less tight, so one set-up
 * serves every search of a round.
 */
export function setUpBranch(
  inst: FlatInstance,
  /** The root's reduced costs and L at its multipliers (the caller has both from its dual). */
  root: { reduced: Float64Array; value: number; incumbent: Assignment | undefined },
  allowance: (cost: number) => number,
  cap: number,
  options: Pick<MckpOptions, 'symmetryBreaking'>,
): BranchSetup {
  const ceiling = root.incumbent ? Math.min(cap, root.incumbent.cost - allowance(root.incumbent.cost)) : cap;
  // The options whose reduced cost is below the room left (each item's cheapest always).
  const room = ceiling - root.value;
  const live = Uint8Array.from(root.reduced, (value) => (value < room ? 1 : 0));
  const compacted = compact(inst, live);
  return { compacted, cap, classes: options.symmetryBreaking ? identicalItemClasses(compacted.core) : [] };
}

export function branchAndBound(
  inst: FlatInstance,
  setup: BranchSetup,
  root: { mu: Float64Array; bound: number; incumbent: Assignment | undefined },
  limits: BranchLimits,
  options: MckpOptions,
  /** Options this search may evaluate before it stops (stoppedBy work-limit): a share of a proof round (solve.ts). */
  maxWork = Infinity,
): BranchResult {
  let incumbent = root.incumbent;
  // Every node whose bound reaches the cap is pruned too: the search then sees only plans below it (a proof round's L(mu) + threshold).
  const { cap, compacted } = setup;
  const classes = options.symmetryBreaking ? (setup.classes ?? identicalItemClasses(compacted.core)) : [];
  const ceiling = () => (incumbent ? Math.min(cap, incumbent.cost - limits.allowance(incumbent.cost)) : cap);
  const { core, fixedCost } = compacted;
  const { items, rows: m, start, cost, weight, capacity, rowScale } = core;
  const alive = new Uint8Array(cost.length).fill(1);
  const trail: number[] = [];
  const stack: Entry[] = [
    { mark: 0, remove: [], mu: root.mu, bound: root.bound - fixedCost, undecided: Int32Array.from({ length: items }, (_, i) => i), decidedCost: 0, decidedWeight: new Float64Array(m) },
  ];
  const reduced = new Float64Array(cost.length);
  const price = new Float64Array(m);
  let nodes = 0;
  let work = 0;

  /** A core choice, as a plan of the instance if it meets every row and beats the incumbent. */
  const offer = (coreChoice: ArrayLike<number>) => {
    let c = fixedCost;
    for (let n = 0; n < items; n++) c += cost[coreChoice[n]!]!;
    if (incumbent && c >= incumbent.cost) return;
    const candidate = assignmentOf(inst, expandCore(compacted, coreChoice));
    if ((!incumbent || candidate.cost < incumbent.cost) && isFeasible(inst, candidate.used)) incumbent = candidate;
  };
  /** The node's full choice: its decided items' one live option, the minimizer's for the undecided. */
  const fullChoice = (undecided: Int32Array, minimizer: Int32Array): Int32Array => {
    const choice = new Int32Array(items);
    for (let i = 0; i < items; i++) for (let o = start[i]!; o < start[i + 1]!; o++) if (alive[o]) choice[i] = o;
    for (const i of undecided) choice[i] = minimizer[i]!;
    return choice;
  };

  let stoppedBy: BranchResult['stoppedBy'];
  while (stack.length > 0) {
    if (limits.now() > limits.deadline) {
      stoppedBy = 'time-limit';
      break;
    }
    if (nodes >= options.maxBranchNodes) {
      stoppedBy = 'node-limit';
      break;
    }
    if (work >= maxWork) {
      stoppedBy = 'work-limit';
      break;
    }
    const entry = stack.pop()!;
    if (entry.bound + fixedCost >= ceiling()) continue;
    enterNode(alive, trail, entry.mark, entry.remove);
    nodes++;
    const { undecided, decidedCost, decidedWeight } = entry;
    if (m > 0 && options.rowPropagation) {
      // Not counted in the round's work share: counted (as one evaluation of the node's options,
      // or as m), it made this prover lose rounds it wins uncounted (3 budgets x 1,000 layers,
      // seed 3: 1.3-1.6 s against 0.17 s); uncounted, the solve is as fast as without
      // propagation or faster on 10 of 12 such instances, its cost paid by the nodes it saves.
      const propagation = propagateRows(core, undecided, decidedWeight, alive, trail);
      if (propagation.infeasible) continue;
    }
    if (classes.length > 0 && !keepClassesOrdered(core, classes, alive, trail)) continue;
    const evaluateAt = (mu: Float64Array): LagrangianPoint => {
      for (let k = 0; k < m; k++) price[k] = mu[k]! / rowScale[k]!;
      const choice = new Int32Array(items);
      const used = Float64Array.from(decidedWeight);
      let value = decidedCost;
      for (let k = 0; k < m; k++) value += price[k]! * (decidedWeight[k]! - capacity[k]!);
      for (const i of undecided) {
        let best = Infinity;
        let arg = -1;
        work += start[i + 1]! - start[i]!;
        for (let o = start[i]!; o < start[i + 1]!; o++) {
          if (!alive[o]) continue;
          let v = cost[o]!;
          for (let k = 0; k < m; k++) v += price[k]! * weight[o * m + k]!;
          if (v < best) {
            best = v;
            arg = o;
          }
        }
        if (arg < 0) return { mu: Float64Array.from(mu), value: Infinity, choice, used };
        choice[i] = arg;
        value += best;
        for (let k = 0; k < m; k++) used[k] = used[k]! + weight[arg * m + k]!;
      }
      return { mu: Float64Array.from(mu), value, choice, used };
    };
    const { best } = solveDual(core, limits.now, limits.deadline, options, { alive, mu: entry.mu, target: ceiling() - fixedCost, maxSteps: options.nodeDualSteps, evaluateAt });
    // With one row the dual is exact from the hull of every item's live options, which it scans.
    if (m === 1) work += cost.length;
    const bound = best.value + fixedCost;
    if (bound >= ceiling()) continue;
    if (isFeasible(core, best.used)) {
      offer(fullChoice(undecided, best.choice));
      if (bound >= ceiling()) continue;
    } else if (nodes % options.nodeRepairEvery === 0) {
      // Not at the first node: its minimizer is the root's, which the caller has repaired already.
      const repaired = repair(core, fullChoice(undecided, best.choice), options);
      if (repaired) offer(improve(core, repaired, best.mu, options).choice);
    }
    // Reduced costs at the node's multipliers: remove what cannot lead below the ceiling, decide
    // items left with one option, and find the item to branch on.
    for (let k = 0; k < m; k++) price[k] = best.mu[k]! / rowScale[k]!;
    const room = ceiling() - bound;
    const nextUndecided: number[] = [];
    let nextDecidedCost = decidedCost;
    const nextDecidedWeight = Float64Array.from(decidedWeight);
    let branchItem = -1;
    let branchGap = Infinity;
    for (const i of undecided) {
      let least = Infinity;
      let second = Infinity;
      let count = 0;
      work += start[i + 1]! - start[i]!;
      for (let o = start[i]!; o < start[i + 1]!; o++) {
        if (!alive[o]) continue;
        let v = cost[o]!;
        for (let k = 0; k < m; k++) v += price[k]! * weight[o * m + k]!;
        reduced[o] = v;
        if (v < least) [least, second] = [v, least];
        else if (v < second) second = v;
        count++;
      }
      let last = -1;
      for (let o = start[i]!; o < start[i + 1]!; o++) {
        if (!alive[o]) continue;
        if (count > 1 && reduced[o]! - least >= room) {
          alive[o] = 0;
          trail.push(o);
          count--;
        } else last = o;
      }
      if (count === 1) {
        nextDecidedCost += cost[last]!;
        for (let k = 0; k < m; k++) nextDecidedWeight[k] = nextDecidedWeight[k]! + weight[last * m + k]!;
        continue;
      }
      nextUndecided.push(i);
      if (second - least < branchGap) {
        branchGap = second - least;
        branchItem = i;
      }
    }
    if (branchItem < 0) {
      // Every item is decided: that is a plan (or none, if it breaks a row).
      offer(fullChoice(new Int32Array(0), best.choice));
      continue;
    }
    const chosen = best.choice[branchItem]!;
    const others: number[] = [];
    for (let o = start[branchItem]!; o < start[branchItem + 1]!; o++) if (alive[o] && o !== chosen) others.push(o);
    const child = { mark: trail.length, mu: best.mu, bound: best.value, undecided: Int32Array.from(nextUndecided), decidedCost: nextDecidedCost, decidedWeight: nextDecidedWeight };
    stack.push({ ...child, remove: [chosen] });
    stack.push({ ...child, remove: others });
  }
  const complete = stack.length === 0;
  const best = incumbent?.cost ?? Infinity;
  // Complete: every plan below the ceiling was seen. Otherwise the open nodes bound the rest.
  let bound = complete ? Math.max(root.bound, ceiling()) : root.bound;
  if (!complete) {
    // Pruned nodes hold no plan below the ceiling; the open ones none below their own bounds.
    let open = ceiling();
    for (const entry of stack) open = Math.min(open, entry.bound + fixedCost);
    bound = Math.max(root.bound, open);
  }
  return { incumbent, complete, ...(stoppedBy ? { stoppedBy } : {}), bound: Math.min(best, bound), nodes, work };
}
