/**
 * Dominance among the states of the core program: a state is dropped when another is no worse
 * in cost and every weight (equal states keep the first). Exact for one and two rows; for more,
 * each state is checked against one witness (the cheapest state no heavier in the first two
 * rows), which removes only dominated states but may keep some.
 *
 * Called once per stage on up to hundreds of thousands of states, so it works on typed arrays
 * and never sorts with a comparator: the states arrive as sorted runs that are merged, then
 * one sweep, for two or more rows with a staircase of the cheapest states by second weight.
 */

/**
 * Buffers reused from call to call: the program calls once per stage with up to hundreds of
 * thousands of states, and fresh arrays each time keep the garbage collector busy. What
 * undominated() returns is a view into them, valid until the next call.
 */
export class DominanceScratch {
  private buffers = { a: new Int32Array(0), b: new Int32Array(0), keep: new Int32Array(0), stepState: new Int32Array(0) };
  private floats = { stepWeight: new Float64Array(0), stepCost: new Float64Array(0) };

  ints(name: keyof DominanceScratch['buffers'], size: number): Int32Array {
    if (this.buffers[name].length < size) this.buffers[name] = new Int32Array(Math.max(size, 2 * this.buffers[name].length));
    return this.buffers[name];
  }

  reals(name: keyof DominanceScratch['floats'], size: number): Float64Array {
    if (this.floats[name].length < size) this.floats[name] = new Float64Array(Math.max(size, 2 * this.floats[name].length));
    return this.floats[name];
  }
}

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
function mergeRuns(runStart: Int32Array, m: number, cost: Float64Array, weight: Float64Array, scratch: DominanceScratch): Int32Array {
  const count = runStart[runStart.length - 1]!;
  let from = scratch.ints('a', count);
  for (let s = 0; s < count; s++) from[s] = s;
  let to = scratch.ints('b', count);
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
export function undominated(m: number, cost: Float64Array, weight: Float64Array, runStart: Int32Array, scratch = new DominanceScratch()): Int32Array {
  const count = runStart[runStart.length - 1]!;
  const order = mergeRuns(runStart, m, cost, weight, scratch).subarray(0, count);
  if (m === 0) return order.subarray(0, Math.min(1, count));
  const keep = scratch.ints('keep', count);
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
  // Sweep by the first weight. The staircase holds the states seen so far that no other beats
  // in (second weight, cost): second weight ascending, cost strictly descending, so the last
  // step at or below a second weight is the cheapest state there (the witness).
  const stepWeight = scratch.reals('stepWeight', count);
  const stepCost = scratch.reals('stepCost', count);
  const stepState = scratch.ints('stepState', count);
  let steps = 0;
  let previous = -1;
  for (const s of order) {
    // Equal weights: sorted by cost, so only the first of a run is kept.
    let same = previous >= 0;
    for (let k = 0; k < m && same; k++) same = weight[s * m + k] === weight[previous * m + k];
    previous = s;
    if (same) continue;
    const second = weight[s * m + 1]!;
    const c = cost[s]!;
    let lo = 0;
    let hi = steps; // first step heavier than `second`
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (stepWeight[mid]! <= second) lo = mid + 1;
      else hi = mid;
    }
    const cheaperBelow = lo > 0 && stepCost[lo - 1]! <= c;
    let dominated = cheaperBelow;
    for (let k = 2; k < m && dominated; k++) dominated = weight[stepState[lo - 1]! * m + k]! <= weight[s * m + k]!;
    if (dominated) continue;
    keep[kept++] = s;
    if (cheaperBelow) continue; // kept for a later row; the staircase is unchanged
    // The new step replaces a step of equal second weight and the heavier steps it beats.
    const from = lo > 0 && stepWeight[lo - 1] === second ? lo - 1 : lo;
    let end = lo;
    while (end < steps && stepCost[end]! >= c) end++;
    const removed = end - from;
    if (removed !== 1) {
      stepWeight.copyWithin(from + 1, end, steps);
      stepCost.copyWithin(from + 1, end, steps);
      stepState.copyWithin(from + 1, end, steps);
    }
    steps += 1 - removed;
    stepWeight[from] = second;
    stepCost[from] = c;
    stepState[from] = s;
  }
  return keep.subarray(0, kept);
}
