/**
 * Dominance among the states of the core program: a state is dropped when another is no worse
 * in cost and every weight (equal states keep the first). Exact for one and two rows; for more,
 * each state is checked against one witness (the cheapest state no heavier in the first two
 * rows), which removes only dominated states but may keep some.
 *
 * Called once per stage on up to hundreds of thousands of states, so it works on typed arrays
 * and never sorts with a comparator: the states arrive as sorted runs that are merged, then
 * one sweep, for two or more rows with a Fenwick tree over the ranks of the second weight
 * holding the least cost seen so far.
 */

/** Lexicographic order of states: weights row by row, then cost, then index. */
function before(a: number, b: number, m: number, cost: Float64Array, weight: Float64Array): boolean {
  for (let k = 0; k < m; k++) {
    const d = weight[a * m + k]! - weight[b * m + k]!;
    if (d !== 0) return d < 0;
  }
  return cost[a]! < cost[b]! || (cost[a] === cost[b] && a < b);
}

/**
 * All states in lexicographic order, from runs that are each in that order already (the
 * successors of one option: the previous stage's states, sorted, shifted by one vector), by
 * merging runs pairwise.
 */
function mergeRuns(runStart: Int32Array, m: number, cost: Float64Array, weight: Float64Array): Int32Array {
  const count = runStart[runStart.length - 1]!;
  let from = new Int32Array(count);
  for (let s = 0; s < count; s++) from[s] = s;
  let to = new Int32Array(count);
  let bounds = Array.from(runStart);
  while (bounds.length > 2) {
    const merged = [0];
    for (let r = 0; r + 1 < bounds.length; r += 2) {
      const lo = bounds[r]!;
      const mid = bounds[r + 1]!;
      const hi = r + 2 < bounds.length ? bounds[r + 2]! : mid;
      let i = lo;
      let j = mid;
      let out = lo;
      while (i < mid && j < hi) to[out++] = before(from[j]!, from[i]!, m, cost, weight) ? from[j++]! : from[i++]!;
      while (i < mid) to[out++] = from[i++]!;
      while (j < hi) to[out++] = from[j++]!;
      merged.push(hi);
    }
    bounds = merged;
    [from, to] = [to, from];
  }
  // Shifting sorted states by one vector keeps them sorted in exact arithmetic only: rounding
  // can make two first weights equal and let the second decide the other way. Such inversions
  // are few and local, and insertion sort mends them in about linear time.
  for (let n = 1; n < count; n++) {
    const state = from[n]!;
    let j = n - 1;
    while (j >= 0 && before(state, from[j]!, m, cost, weight)) {
      from[j + 1] = from[j]!;
      j--;
    }
    from[j + 1] = state;
  }
  return from;
}

/**
 * Indices (into cost and weight) of the states kept, in lexicographic order. States
 * runStart[r] .. runStart[r+1]-1 form run r, already in that order.
 */
export function undominated(m: number, cost: Float64Array, weight: Float64Array, runStart: Int32Array): Int32Array {
  const count = runStart[runStart.length - 1]!;
  const order = mergeRuns(runStart, m, cost, weight);
  if (m === 0) return order.subarray(0, Math.min(1, count));
  const keep = new Int32Array(count);
  let kept = 0;
  if (m === 1) {
    let bestCost = Infinity;
    for (const s of order) {
      if (cost[s]! < bestCost) {
        keep[kept++] = s;
        bestCost = cost[s]!;
      }
    }
    return keep.subarray(0, kept);
  }
  // Ranks of the second weight (1-based, equal weights share a rank).
  const second = new Float64Array(count);
  for (let s = 0; s < count; s++) second[s] = weight[s * m + 1]!;
  second.sort();
  let ranks = 0;
  for (let j = 0; j < count; j++) if (j === 0 || second[j] !== second[ranks - 1]) second[ranks++] = second[j]!;
  const rankOf = (w: number): number => {
    let lo = 0;
    let hi = ranks - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (second[mid]! < w) lo = mid + 1;
      else hi = mid;
    }
    return lo + 1;
  };
  // Sweep by the first weight; the tree holds, per prefix of second-weight ranks, the least
  // cost so far and the state that has it.
  const treeCost = new Float64Array(ranks + 1).fill(Infinity);
  const treeState = new Int32Array(ranks + 1).fill(-1);
  let previous = -1;
  for (const s of order) {
    // Equal weights: sorted by cost, so only the first of a run is kept.
    let same = previous >= 0;
    for (let k = 0; k < m && same; k++) same = weight[s * m + k] === weight[previous * m + k];
    previous = s;
    if (same) continue;
    const r = rankOf(weight[s * m + 1]!);
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
    keep[kept++] = s;
    for (let i = r; i <= ranks; i += i & -i) {
      if (cost[s]! < treeCost[i]!) {
        treeCost[i] = cost[s]!;
        treeState[i] = s;
      }
    }
  }
  return keep.subarray(0, kept);
}
