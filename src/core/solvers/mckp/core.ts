/**
 * Proving optimality: reduced-cost fixing, then a dynamic program over the remaining "core".
 *
 * With multipliers mu (prices p_k = mu_k / s_k) every option has a reduced cost
 * rc_o = c_o + p.w_o - min_(o' in item) (c_o' + p.w_o') >= 0, and any assignment costs at least
 * L(mu) + sum of its reduced costs. An option with L(mu) + rc_o >= incumbent - allowance cannot
 * be in a better assignment and is dropped; items left with one option are fixed. The caller
 * passes the threshold (incumbent - allowance - L(mu) for a proof, less to search cheaply).
 *
 * The core items are then enumerated as a dynamic program over partial assignments (states:
 * cost and weight per row), in Pisinger's spirit: a state is dropped when its reduced-cost sum
 * reaches the threshold, when the remaining items cannot bring it back under a capacity, or
 * when another state is no worse in cost and every weight (dominance; exact for one or two
 * rows, checked against one witness for more). When the program completes, no assignment with a
 * reduced-cost sum below the threshold beats the best one it returns (or the incumbent). Memory and time are bounded by `maxStates` and
 * the deadline; hitting either leaves the proof undone and the caller reports the gap.
 */
import type { FlatInstance } from './flat.js';

export interface CoreSearchLimits {
  now: () => number;
  deadline: number;
  maxStates: number;
  /**
   * Beam width: when set, each stage keeps only this many states (least reduced-cost sum first),
   * which turns the program into a fast heuristic that proves nothing.
   */
  beam?: number;
  /**
   * More multipliers with their dual values L(mu_j): a state is also dropped when the bound
   * with any of them reaches L(mu) + threshold. A state that spends the rows unlike the main
   * multipliers' minimizer is bounded better by one of these.
   */
  alternatives?: { mu: Float64Array }[];
  /** L(mu) of the main multipliers. */
  lagrangianValue?: number;
}

export interface CoreSearchResult {
  /**
   * True when the search finished: every assignment whose reduced-cost sum is below the
   * threshold was considered, so none of them beats the returned one (or the incumbent).
   */
  complete: boolean;
  /** The best assignment found that costs less than the incumbent, if any. */
  improved?: Int32Array;
  /** States created (the search effort, reported as nodes). */
  states: number;
}

export function searchCore(
  inst: FlatInstance,
  mu: Float64Array,
  incumbentCost: number,
  threshold: number,
  limits: CoreSearchLimits,
): CoreSearchResult {
  const { items, rows: m, start, cost, weight, capacity, rowScale } = inst;
  const price = Array.from(mu, (v, k) => v / rowScale[k]!);
  const reduced = new Float64Array(cost.length);
  for (let i = 0; i < items; i++) {
    let least = Infinity;
    for (let o = start[i]!; o < start[i + 1]!; o++) {
      let v = cost[o]!;
      for (let k = 0; k < m; k++) v += price[k]! * weight[o * m + k]!;
      reduced[o] = v;
      least = Math.min(least, v);
    }
    for (let o = start[i]!; o < start[i + 1]!; o++) reduced[o] = Math.max(0, reduced[o]! - least);
  }
  // Reduced-cost fixing: an option whose reduced cost reaches the threshold is out.
  const fixedWeight = new Float64Array(m);
  let fixedCost = 0;
  const fixedChoice = new Int32Array(items).fill(-1);
  const core: { item: number; live: number[]; second: number; spread: number }[] = [];
  for (let i = 0; i < items; i++) {
    const live: number[] = [];
    for (let o = start[i]!; o < start[i + 1]!; o++) if (reduced[o]! < threshold) live.push(o);
    if (live.length === 0) return { complete: true, states: 0 }; // nothing below the threshold
    if (live.length === 1) {
      const o = live[0]!;
      fixedChoice[i] = o;
      fixedCost += cost[o]!;
      for (let k = 0; k < m; k++) fixedWeight[k] = fixedWeight[k]! + weight[o * m + k]!;
      continue;
    }
    live.sort((a, b) => reduced[a]! - reduced[b]! || a - b);
    let spread = 0;
    for (let k = 0; k < m; k++) {
      let low = Infinity;
      let high = -Infinity;
      for (const o of live) {
        low = Math.min(low, weight[o * m + k]!);
        high = Math.max(high, weight[o * m + k]!);
      }
      spread += (high - low) / rowScale[k]!;
    }
    core.push({ item: i, live, second: reduced[live[1]!]!, spread });
  }
  // Coarse items (large weight spread) first: once they are decided, the rest is fine-grained,
  // its LP bound nearly tight, and states prune early.
  core.sort((a, b) => b.spread - a.spread || a.item - b.item);

  // Least weight the items from position t on can add, per row.
  const suffixMin = new Float64Array((core.length + 1) * m);
  for (let t = core.length - 1; t >= 0; t--) {
    for (let k = 0; k < m; k++) {
      let least = Infinity;
      for (const o of core[t]!.live) least = Math.min(least, weight[o * m + k]!);
      suffixMin[t * m + k] = suffixMin[(t + 1) * m + k]! + least;
    }
  }
  // Largest weight a state may carry into position t and still complete, per row.
  const roomLimit = new Float64Array((core.length + 1) * m);
  for (let t = 0; t <= core.length; t++) {
    for (let k = 0; k < m; k++) {
      const cap = capacity[k]!;
      roomLimit[t * m + k] = cap - fixedWeight[k]! - suffixMin[t * m + k]! + 1e-12 * Math.max(1, Math.abs(cap));
    }
  }

  // Bounds with the alternative multipliers: per multiplier j, prices altPrice[j*m+k] and the
  // least priced value of the core items from position t on (altSuffix[j*(T+1)+t], constants
  // included); a state prunes when any bound reaches `ceiling`.
  const alternatives = limits.lagrangianValue === undefined ? [] : (limits.alternatives ?? []);
  const J = alternatives.length;
  const T = core.length + 1;
  const ceiling = (limits.lagrangianValue ?? 0) + threshold;
  const altPrice = new Float64Array(J * m);
  const altSuffix = new Float64Array(J * T);
  alternatives.forEach(({ mu: alt }, j) => {
    let constant = fixedCost;
    for (let k = 0; k < m; k++) {
      altPrice[j * m + k] = alt[k]! / rowScale[k]!;
      constant += altPrice[j * m + k]! * (fixedWeight[k]! - capacity[k]!);
    }
    altSuffix[j * T + core.length] = constant;
    for (let t = core.length - 1; t >= 0; t--) {
      let least = Infinity;
      for (const o of core[t]!.live) {
        let v = cost[o]!;
        for (let k = 0; k < m; k++) v += altPrice[j * m + k]! * weight[o * m + k]!;
        least = Math.min(least, v);
      }
      altSuffix[j * T + t] = altSuffix[j * T + t + 1]! + least;
    }
  });

  // Trail of choices, for reconstruction: entry = (parent entry, option).
  let trailParent = new Int32Array(1 << 16);
  let trailOption = new Int32Array(1 << 16);
  let trailSize = 0;
  const grow = <A extends Float64Array | Int32Array>(array: A, size: number): A => {
    if (array.length >= size) return array;
    const bigger = new (array.constructor as new (n: number) => A)(Math.max(size, array.length * 2));
    bigger.set(array);
    return bigger;
  };

  // Current states and their successors, in buffers reused from stage to stage.
  let stateCost = new Float64Array(1024);
  let stateReduced = new Float64Array(1024);
  let stateWeight = new Float64Array(1024 * m);
  let stateTrail = new Int32Array(1024).fill(-1);
  let nextCost = new Float64Array(1024);
  let nextReduced = new Float64Array(1024);
  let nextWeight = new Float64Array(1024 * m);
  let nextParent = new Int32Array(1024);
  let nextOption = new Int32Array(1024);
  let count = 1;
  let created = 0;
  let truncated = false;

  for (let t = 0; t < core.length; t++) {
    if (limits.now() > limits.deadline) return { complete: false, states: created };
    const { live } = core[t]!;
    const most = count * live.length;
    nextCost = grow(nextCost, most);
    nextReduced = grow(nextReduced, most);
    nextWeight = grow(nextWeight, most * m);
    nextParent = grow(nextParent, most);
    nextOption = grow(nextOption, most);
    const roomBase = (t + 1) * m;
    let next = 0;
    for (let s = 0; s < count; s++) {
      for (const o of live) {
        const rc = stateReduced[s]! + reduced[o]!;
        if (rc >= threshold) break; // live is sorted by reduced cost
        let ok = true;
        for (let k = 0; k < m && ok; k++) {
          const w = stateWeight[s * m + k]! + weight[o * m + k]!;
          ok = w <= roomLimit[roomBase + k]!;
          nextWeight[next * m + k] = w;
        }
        if (!ok) continue;
        const c = stateCost[s]! + cost[o]!;
        for (let j = 0; j < J && ok; j++) {
          let bound = c + altSuffix[j * T + t + 1]!;
          for (let k = 0; k < m; k++) bound += altPrice[j * m + k]! * nextWeight[next * m + k]!;
          ok = bound < ceiling;
        }
        if (!ok) continue;
        nextCost[next] = c;
        nextReduced[next] = rc;
        nextParent[next] = stateTrail[s]!;
        nextOption[next] = o;
        next++;
      }
    }
    created += next;
    if (next === 0) return { complete: !truncated, states: created };
    let keep = undominated(next, m, nextCost, nextWeight);
    if (limits.beam !== undefined && keep.length > limits.beam) {
      keep = keep.sort((x, y) => nextReduced[x]! - nextReduced[y]! || x - y).slice(0, limits.beam);
      truncated = true;
    }
    if (keep.length > limits.maxStates) return { complete: false, states: created };
    count = keep.length;
    stateCost = grow(stateCost, count);
    stateReduced = grow(stateReduced, count);
    stateWeight = grow(stateWeight, count * m);
    stateTrail = grow(stateTrail, count);
    trailParent = grow(trailParent, trailSize + count);
    trailOption = grow(trailOption, trailSize + count);
    for (let n = 0; n < count; n++) {
      const s = keep[n]!;
      stateCost[n] = nextCost[s]!;
      stateReduced[n] = nextReduced[s]!;
      for (let k = 0; k < m; k++) stateWeight[n * m + k] = nextWeight[s * m + k]!;
      trailParent[trailSize] = nextParent[s]!;
      trailOption[trailSize] = nextOption[s]!;
      stateTrail[n] = trailSize++;
    }
  }
  let best = -1;
  for (let s = 0; s < count; s++) {
    if (fixedCost + stateCost[s]! < incumbentCost && (best < 0 || stateCost[s]! < stateCost[best]!)) best = s;
  }
  if (best < 0) return { complete: !truncated, states: created };
  const itemOf = new Int32Array(cost.length);
  for (let i = 0; i < items; i++) itemOf.fill(i, start[i]!, start[i + 1]!);
  const choice = Int32Array.from(fixedChoice);
  for (let entry = stateTrail[best]!; entry >= 0; entry = trailParent[entry]!) {
    const o = trailOption[entry]!;
    choice[itemOf[o]!] = o;
  }
  return { complete: !truncated, improved: choice, states: created };
}

/**
 * Indices of the states not dominated by another (no worse in cost and every weight), in a
 * deterministic order. Exact for one and two rows; for more, each state is checked against one
 * witness (the cheapest state no heavier in the first two rows), which removes only dominated
 * states but may keep some.
 */
function undominated(count: number, m: number, cost: Float64Array, weight: Float64Array): number[] {
  const order = Array.from({ length: count }, (_, s) => s);
  order.sort((a, b) => {
    for (let k = 0; k < m; k++) {
      const d = weight[a * m + k]! - weight[b * m + k]!;
      if (d !== 0) return d;
    }
    return cost[a]! - cost[b]! || a - b;
  });
  const keep: number[] = [];
  if (m === 0) return order.length > 0 ? [order[0]!] : [];
  if (m === 1) {
    let bestCost = Infinity;
    for (const s of order) {
      if (cost[s]! < bestCost) {
        keep.push(s);
        bestCost = cost[s]!;
      }
    }
    return keep;
  }
  if (m === 2) {
    // Sweep by the first weight; a Fenwick tree over second-weight ranks holds the least cost so far.
    const ranks = Array.from(new Set(order.map((s) => weight[s * 2 + 1]!))).sort((a, b) => a - b);
    const rankOf = new Map(ranks.map((w, r) => [w, r + 1]));
    const tree = new Float64Array(ranks.length + 1).fill(Infinity);
    for (const s of order) {
      const r = rankOf.get(weight[s * 2 + 1]!)!;
      let least = Infinity;
      for (let i = r; i > 0; i -= i & -i) least = Math.min(least, tree[i]!);
      if (least <= cost[s]!) continue;
      keep.push(s);
      for (let i = r; i < tree.length; i += i & -i) tree[i] = Math.min(tree[i]!, cost[s]!);
    }
    return keep;
  }
  // Three or more rows: the same sweep over the first two weights finds, for each state, the
  // cheapest earlier state with no more of either; it dominates if it uses no more of the rest.
  const ranks = Array.from(new Set(order.map((s) => weight[s * m + 1]!))).sort((a, b) => a - b);
  const rankOf = new Map(ranks.map((w, r) => [w, r + 1]));
  const treeCost = new Float64Array(ranks.length + 1).fill(Infinity);
  const treeState = new Int32Array(ranks.length + 1).fill(-1);
  let previous = -1;
  for (const s of order) {
    // Equal weights: sorted by cost, so only the first of a run is kept.
    let same = previous >= 0;
    for (let k = 0; k < m && same; k++) same = weight[s * m + k] === weight[previous * m + k];
    previous = s;
    if (same) continue;
    const r = rankOf.get(weight[s * m + 1]!)!;
    let least = Infinity;
    let witness = -1;
    for (let i = r; i > 0; i -= i & -i) {
      if (treeCost[i]! < least) {
        least = treeCost[i]!;
        witness = treeState[i]!;
      }
    }
    let dominated = witness >= 0 && least <= cost[s]!;
    for (let k = 2; k < m && dominated; k++) dominated = weight[witness * m + k]! <= weight[s * m + k]!;
    if (dominated) continue;
    keep.push(s);
    for (let i = r; i < treeCost.length; i += i & -i) {
      if (cost[s]! < treeCost[i]!) {
        treeCost[i] = cost[s]!;
        treeState[i] = s;
      }
    }
  }
  return keep;
}
