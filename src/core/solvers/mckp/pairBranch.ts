/**
 * Pair terms on large models: measured interactions are sparse (a few pairs per paired layer),
 * so the graph of pairs falls apart into small components. A component is merged into one item
 * whose options are its items' Pareto-efficient combinations (paretoMerge.ts; cost: the items'
 * costs plus the pair terms inside; weights: the sums), which leaves an additive problem that the
 * additive solver (solve.ts) solves exactly and fast. A component too large to merge (more
 * efficient combinations than the cap) is cut: branch and bound decides one of its items (the
 * one with the most pairs), one child per option, which folds that item's terms exactly into its
 * neighbours' costs and splits the component.
 *
 * A node's bound: the same additive problem where each component still too large keeps its items
 * apart and folds each inside term into one item (item a's option j carries min over b's options
 * of t(j, k), a lower bound on whatever b takes); solved exactly, a lower bound on every plan of
 * the node, and its plan, priced with the true terms, a plan. A node without such components is
 * solved exactly; one whose bound reaches the incumbent (less the allowed gap) is pruned.
 */
import type { ChoiceInstance, SolveLimits, SolveOutcome } from '../instance.js';
import { capacityCeiling } from '../instance.js';
import type { MckpOptions } from './options.js';
import { pairGroups, type PairGroups } from './pairGroups.js';
import { paretoMerge, type MergedItem } from './paretoMerge.js';

/** Floating-point tolerance of the proof, relative to the objective (as in solve.ts). */
const PROOF_TOLERANCE = 1e-12;

interface Node {
  /** The option each item is fixed to (-1: free). */
  fixed: Int32Array;
  /** Lower bound from the parent. */
  bound: number;
}

/** The additive problem of a node, and how to read its plans back. */
interface Relaxation {
  relaxed: ChoiceInstance;
  /** For each relaxed item: the instance items it stands for. */
  members: number[][];
  /** For each relaxed item and option: the members' options. */
  combos: number[][][];
  /** The items of the largest component left too large to merge (empty: the relaxation is exact). */
  loose: number[];
}

/** Merged components by their items, live options and costs: most stay the same from node to node. */
export type MergeCache = Map<string, MergedItem | null>;

/** `group` merged into one item (paretoMerge.ts), from the cache when it was merged before; null past the cap or the time. */
function mergeComponent(instance: ChoiceInstance, cache: MergeCache, group: number[], live: number[][], cost: number[][], within: number[], cap: number, expired: () => boolean): MergedItem | null {
  const key = `${group.join(',')}|${group.map((i) => live[i]!.join(',')).join(';')}|${group.map((i) => cost[i]!.join(',')).join(';')}`;
  let item = cache.get(key);
  if (item === undefined) {
    const pairs = instance.pairs ?? [];
    const width = (p: number) => instance.items[pairs[p]!.b]!.options.length;
    item =
      paretoMerge(
        {
          items: group,
          live: group.map((i) => live[i]!),
          cost: group.map((i) => cost[i]!),
          weights: (member, option) => instance.items[group[member]!]!.options[option]!.weights,
          pairs: within.map((p) => ({ a: pairs[p]!.a, b: pairs[p]!.b, term: (j: number, k: number) => pairs[p]!.cost[j * width(p) + k]! })),
          rows: instance.capacities.length,
        },
        cap,
        expired,
      ) ?? null;
    // Past the cap, the group never merges; stopped by the time, it may on another call.
    if (item !== null || !expired()) cache.set(key, item);
  }
  return item;
}

/**
 * Every connected group of paired items merges whole within the cap (paretoMerge.ts): then the
 * root's relaxation is the problem itself, one additive solve, and no other search is needed.
 * The merges are kept in `cache` for branchOverPairs' root.
 */
export function everyComponentMerges(instance: ChoiceInstance, graph: PairGroups, options: MckpOptions, cache: MergeCache, expired: () => boolean): boolean {
  const live = instance.items.map((item) => item.options.map((_, j) => j));
  const cost = instance.items.map((item) => item.options.map((option) => option.cost));
  for (const group of graph.groups) {
    if (group.pairs.length === 0) continue;
    if (!mergeComponent(instance, cache, group.items, live, cost, group.pairs, options.maxMergedOptions, expired)) return false;
  }
  return true;
}

export function branchOverPairs(
  instance: ChoiceInstance,
  limits: SolveLimits,
  additive: (instance: ChoiceInstance, limits: SolveLimits) => SolveOutcome,
  options: MckpOptions,
  merged: MergeCache = new Map(),
): SolveOutcome {
  const pairs = instance.pairs ?? [];
  const items = instance.items;
  const deadline = limits.now() + limits.timeLimitMs;
  const allowanceOf = (value: number) => Math.max(limits.relativeGap * Math.abs(value), PROOF_TOLERANCE * Math.max(1, Math.abs(value)));
  const width = (p: number) => items[pairs[p]!.b]!.options.length;
  const term = (p: number, j: number, k: number) => pairs[p]!.cost[j * width(p) + k]!;
  const pairsOf: number[][] = items.map(() => []);
  pairs.forEach((pair, p) => (pairsOf[pair.a]!.push(p), pairsOf[pair.b]!.push(p)));

  const trueCost = (choice: ArrayLike<number>) => {
    let total = 0;
    items.forEach((item, i) => (total += item.options[choice[i]!]!.cost));
    pairs.forEach((pair, p) => (total += term(p, choice[pair.a]!, choice[pair.b]!)));
    return total;
  };
  const fits = (choice: ArrayLike<number>) =>
    instance.capacities.every((capacity, k) => {
      let used = 0;
      items.forEach((item, i) => (used += item.options[choice[i]!]!.weights[k]!));
      return used <= capacityCeiling(capacity);
    });
  let best: { choice: number[]; cost: number } | undefined;
  const offer = (choice: number[]) => {
    if (!fits(choice)) return;
    const cost = trueCost(choice);
    if (!best || cost < best.cost) best = { choice, cost };
  };
  const ceiling = () => (best ? best.cost - allowanceOf(best.cost) : Infinity);

  const relax = (fixed: Int32Array): Relaxation => {
    const live = items.map((item, i) => (fixed[i]! >= 0 ? [fixed[i]!] : item.options.map((_, j) => j)));
    const cost = live.map((list, i) => list.map((j) => items[i]!.options[j]!.cost));
    // Terms with a decided item are exact on the other; components of the rest (pairGroups).
    const inside: number[] = [];
    pairs.forEach((pair, p) => {
      const fa = fixed[pair.a]!;
      const fb = fixed[pair.b]!;
      if (fa >= 0 && fb >= 0) cost[pair.a]![0]! += term(p, fa, fb);
      else if (fb >= 0) live[pair.a]!.forEach((j, n) => (cost[pair.a]![n]! += term(p, j, fb)));
      else if (fa >= 0) live[pair.b]!.forEach((k, n) => (cost[pair.b]![n]! += term(p, fa, k)));
      else inside.push(p);
    });
    const members: number[][] = [];
    const combos: number[][][] = [];
    const relaxedItems: ChoiceInstance['items'] = [];
    let loose: number[] = [];
    let looseSize = 0;
    /**
     * One relaxed item for `group`: its Pareto-efficient combinations (paretoMerge.ts), or false
     * past the cap or the time; a cluster (`whole`: no more combinations than the cap) always merges.
     */
    const merge = (group: number[], whole = false, pairsInside?: number[]): boolean => {
      const inGroup = new Set(group);
      const within = pairsInside ?? inside.filter((p) => inGroup.has(pairs[p]!.a) && inGroup.has(pairs[p]!.b));
      const item = mergeComponent(instance, merged, group, live, cost, within, whole ? Infinity : options.maxMergedOptions, whole ? () => false : () => limits.now() >= deadline);
      if (item === null) return false;
      relaxedItems.push({ options: item.options });
      members.push(group);
      combos.push(item.combos);
      return true;
    };
    for (const { items: component, pairs: within } of pairGroups(items.length, pairs, inside).groups) {
      if (merge(component, false, within)) continue;
      const size = component.reduce((product, i) => product * live[i]!.length, 1);
      // Too large to merge whole: clusters that are (grown breadth-first over its pairs, each
      // while its combinations stay within the limit, so that each merges), each merged with the terms inside it;
      // a term between two clusters folded into its first item as a lower bound (item a's
      // option j carries min over b's live options of t(j, k)).
      const inComponent = new Set(component);
      const clusterOf = new Map<number, number>();
      const clusters: number[][] = [];
      const byDegree = [...component].sort((x, y) => pairsOf[y]!.length - pairsOf[x]!.length);
      for (const seed of byDegree) {
        if (clusterOf.has(seed)) continue;
        const cluster = [seed];
        clusterOf.set(seed, clusters.length);
        let combinations = live[seed]!.length;
        for (let at = 0; at < cluster.length; at++) {
          for (const p of pairsOf[cluster[at]!]!) {
            const other = pairs[p]!.a === cluster[at] ? pairs[p]!.b : pairs[p]!.a;
            if (!inComponent.has(other) || clusterOf.has(other) || combinations * live[other]!.length > options.maxMergedOptions) continue;
            cluster.push(other);
            clusterOf.set(other, clusters.length);
            combinations *= live[other]!.length;
          }
        }
        clusters.push(cluster);
      }
      for (const p of inside) {
        const pair = pairs[p]!;
        if (!inComponent.has(pair.a) || clusterOf.get(pair.a) === clusterOf.get(pair.b)) continue;
        live[pair.a]!.forEach((j, n) => (cost[pair.a]![n]! += Math.min(...live[pair.b]!.map((k) => term(p, j, k)))));
      }
      for (const cluster of clusters) merge(cluster, true);
      if (size > looseSize) {
        loose = component;
        looseSize = size;
      }
    }
    return { relaxed: { items: relaxedItems, capacities: instance.capacities }, members, combos, loose };
  };

  const stack: Node[] = [{ fixed: new Int32Array(items.length).fill(-1), bound: -Infinity }];
  let nodes = 0;
  let work = 0;
  let stoppedBy: SolveOutcome['stoppedBy'];
  let rootBound = -Infinity;
  const open: number[] = [];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.bound >= ceiling()) continue;
    if (limits.now() >= deadline || nodes >= options.maxBranchNodes) {
      stoppedBy = limits.now() >= deadline ? 'time-limit' : 'node-limit';
      stack.push(node);
      break;
    }
    nodes++;
    const { relaxed, members, combos, loose } = relax(node.fixed);
    // The relaxation's plans cost no more than the true ones: only those below the ceiling
    // matter, and none there prunes the node ('infeasible').
    const cutoff = ceiling();
    const outcome = additive(relaxed, { ...limits, timeLimitMs: Math.max(0, deadline - limits.now()), relativeGap: loose.length > 0 ? 0 : limits.relativeGap, alternatives: 1, ...(Number.isFinite(cutoff) ? { cutoff } : {}) });
    work += outcome.nodes;
    if (outcome.status === 'infeasible') continue;
    const bound = Math.max(node.bound, outcome.bound ?? -Infinity);
    if (nodes === 1) rootBound = bound;
    if (!outcome.choice) {
      open.push(bound);
      stoppedBy = outcome.stoppedBy ?? 'time-limit';
      break;
    }
    const choice = new Array<number>(items.length);
    outcome.choice.forEach((n, r) => members[r]!.forEach((i, position) => (choice[i] = combos[r]![n]![position]!)));
    offer(choice);
    if (outcome.status !== 'optimal') open.push(bound);
    if (loose.length === 0 || bound >= ceiling()) continue;
    // Cut the largest component still too large at its item with the most pairs inside it.
    const degree = (i: number) => pairsOf[i]!.filter((p) => loose.includes(pairs[p]!.a) && loose.includes(pairs[p]!.b) && node.fixed[pairs[p]!.a]! < 0 && node.fixed[pairs[p]!.b]! < 0).length;
    const item = loose.reduce((a, b) => (degree(b) > degree(a) ? b : a));
    const others = items[item]!.options.map((_, j) => j).filter((j) => j !== choice[item]).reverse();
    for (const j of [...others, choice[item]!]) {
      const fixed = Int32Array.from(node.fixed);
      fixed[item] = j;
      stack.push({ fixed, bound });
    }
  }
  if (!best) return stack.length === 0 && !stoppedBy ? { status: 'infeasible', nodes: work } : { status: 'time-limit', nodes: work, ...(stoppedBy ? { stoppedBy } : {}) };
  const complete = stack.length === 0 && open.length === 0 && !stoppedBy;
  let bound = best.cost - allowanceOf(best.cost);
  if (!complete) bound = Math.max(Math.min(ceiling(), ...stack.map((node) => node.bound), ...open), Math.min(rootBound, best.cost));
  return {
    status: complete ? 'optimal' : 'feasible',
    ...(complete ? {} : { stoppedBy: stoppedBy ?? 'time-limit' }),
    choice: best.choice,
    objective: best.cost,
    bound: Math.min(bound, best.cost - PROOF_TOLERANCE * Math.max(1, Math.abs(best.cost))),
    nodes: work,
  };
}
