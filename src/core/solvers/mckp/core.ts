/**
 * Proving optimality: reduced-cost fixing, then a dynamic program over the remaining "core".
 *
 * With multipliers mu (prices p_k = mu_k / s_k) every option has a reduced cost
 * rc_o = c_o + p.w_o - min_(o' in item) (c_o' + p.w_o') >= 0, and any assignment costs at least
 * L(mu) + sum of its reduced costs. An option with L(mu) + rc_o >= incumbent - allowance cannot
 * be in a better assignment and is dropped; items left with one option are fixed. The caller
 * passes the threshold (incumbent - allowance - L(mu) for a proof, less to search cheaply).
 *
 * The core items (interchangeable ones merged, coreItems.ts) are then enumerated as a dynamic
 * program over partial assignments (states: cost and weight per row), in Pisinger's spirit: a
 * state is dropped when its reduced-cost sum reaches the threshold, when the remaining items
 * cannot bring it back under a capacity, when its completion bound (completionBound.ts) reaches
 * L(mu) + threshold, or when another state is no worse in cost and every weight (dominance.ts;
 * exact for one or two rows, checked against one witness for more). Since every assignment
 * costs at least L(mu) plus its reduced costs, a completed program has considered every
 * assignment costing less than L(mu) + threshold, and none of them beats the best one it
 * returns (or the incumbent). Memory and time are bounded by `maxStates` and the deadline;
 * hitting either leaves the proof undone and the caller reports the gap.
 */
import { CompletionBounds } from './completionBound.js';
import { buildCoreItems, type LiveItem } from './coreItems.js';
import { DominanceScratch, undominated } from './dominance.js';
import type { FlatInstance } from './flat.js';

/**
 * Largest core (live options) a beam pass runs on: on a small core it finds the optimum for
 * a few states, so the proof runs at the optimum's threshold; on a large one it costs more
 * than the proof rounds it would shorten (DeepSeek-V3-shaped case: 0.5 s against 0.4 s).
 */
const BEAM_MAX_OPTIONS = 20_000;

/**
 * Most successors one stage may generate (states times options): with the dominance buffers
 * they take about 70 bytes each at two rows, so this bounds a stage near 300 MB. The largest
 * stage of the bench and seed cases generates 1.2 million; a larger one leaves the round
 * incomplete (the caller reports the gap proven so far) instead of exhausting memory.
 */
const MAX_SUCCESSORS = 4_000_000;

export interface CoreSearchLimits {
  now: () => number;
  deadline: number;
  maxStates: number;
  /** Most successors one stage may generate (default MAX_SUCCESSORS). */
  maxSuccessors?: number;
  /**
   * Beam width: when set, each stage keeps only this many states (least reduced-cost sum first),
   * which turns the program into a fast heuristic that proves nothing (complete is false). It
   * does nothing on a core of more than BEAM_MAX_OPTIONS live options.
   */
  beam?: number;
  /** L(mu) of the multipliers: completion bounds are compared with L(mu) + threshold. */
  lagrangianValue: number;
}

export interface CoreSearchResult {
  /**
   * True when the search finished: every assignment costing less than L(mu) + threshold was
   * considered, so none of them beats the returned one (or the incumbent).
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
  const liveItems: LiveItem[] = [];
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
    liveItems.push({ item: i, live });
  }
  if (limits.beam !== undefined) {
    let liveOptions = 0;
    for (const entry of liveItems) liveOptions += entry.live.length;
    if (liveOptions > BEAM_MAX_OPTIONS) return { complete: false, states: 0 };
  }
  // Setting up a large core takes a while: the clock is read between the steps.
  const late = () => limits.now() > limits.deadline;
  if (late()) return { complete: false, states: 0 };
  const coreItems = buildCoreItems(liveItems, { cost, weight, reduced, rows: m }, price, threshold);
  if (late()) return { complete: false, states: 0 };
  const { cost: optionCost, weight: optionWeight, reduced: optionReduced } = coreItems;
  const core = coreItems.items;
  // Coarse items (large priced spread) first: once they are decided, the rest is fine-grained,
  // its bounds nearly tight, and states prune early. Among equally coarse items, the dearest
  // second option first: on the bench cases this creates the fewest states.
  core.sort((a, b) => b.spread - a.spread || b.second - a.second || a.first - b.first);

  // Least weight the items from position t on can add, per row.
  const suffixMin = new Float64Array((core.length + 1) * m);
  for (let t = core.length - 1; t >= 0; t--) {
    for (let k = 0; k < m; k++) {
      let least = Infinity;
      for (const o of core[t]!.live) least = Math.min(least, optionWeight[o * m + k]!);
      suffixMin[t * m + k] = suffixMin[(t + 1) * m + k]! + least;
    }
  }
  // Room left after the fixed items (capacities are met up to rounding, 1e-12 of them), and
  // the largest weight a state may carry into position t and still complete, per row.
  const room = Array.from(capacity, (cap, k) => cap - fixedWeight[k]! + 1e-12 * Math.max(1, Math.abs(cap)));
  const roomLimit = new Float64Array((core.length + 1) * m);
  for (let t = 0; t <= core.length; t++) {
    for (let k = 0; k < m; k++) roomLimit[t * m + k] = room[k]! - suffixMin[t * m + k]!;
  }

  // A state prunes when its completion bound reaches `ceiling` (see completionBound.ts).
  const ceiling = limits.lagrangianValue + threshold;
  const completion = new CompletionBounds({ live: core.map((entry) => entry.live), cost: optionCost, weight: optionWeight, rows: m }, price, room);
  if (late()) return { complete: false, states: 0 };

  // Trail of choices, for reconstruction: entry = (parent entry, option).
  let trailParent = new Int32Array(1 << 16);
  let trailOption = new Int32Array(1 << 16);
  let trailSize = 0;
  // Doubling, but never past what the successor cap needs, so that the buffers stay bounded.
  const grow = <A extends Float64Array | Int32Array>(array: A, size: number, most = Infinity): A => {
    if (array.length >= size) return array;
    const bigger = new (array.constructor as new (n: number) => A)(Math.max(size, Math.min(array.length * 2, most)));
    bigger.set(array);
    return bigger;
  };

  const scratch = new DominanceScratch();
  const successorCap = limits.maxSuccessors ?? MAX_SUCCESSORS;
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
    if (late()) return { complete: false, states: created };
    const { live } = core[t]!;
    const most = count * live.length;
    if (most > successorCap) return { complete: false, states: created };
    nextCost = grow(nextCost, most, successorCap);
    nextReduced = grow(nextReduced, most, successorCap);
    nextWeight = grow(nextWeight, most * m, successorCap * m);
    nextParent = grow(nextParent, most, successorCap);
    nextOption = grow(nextOption, most, successorCap);
    const roomBase = (t + 1) * m;
    let next = 0;
    // Successors option by option: each run keeps the states' lexicographic order (dominance.ts).
    const runStart = new Int32Array(live.length + 1);
    for (let j = 0; j < live.length; j++) {
      if (j > 0 && count * j > 100_000 && late()) return { complete: false, states: created };
      const o = live[j]!;
      runStart[j] = next;
      for (let s = 0; s < count; s++) {
        const rc = stateReduced[s]! + optionReduced[o]!;
        if (rc >= threshold) continue;
        let ok = true;
        for (let k = 0; k < m && ok; k++) {
          const w = stateWeight[s * m + k]! + optionWeight[o * m + k]!;
          ok = w <= roomLimit[roomBase + k]!;
          nextWeight[next * m + k] = w;
        }
        if (!ok) continue;
        const c = stateCost[s]! + optionCost[o]!;
        if (completion.reaches(t + 1, fixedCost + c, nextWeight, next * m, ceiling)) continue;
        nextCost[next] = c;
        nextReduced[next] = rc;
        nextParent[next] = stateTrail[s]!;
        nextOption[next] = o;
        next++;
      }
    }
    runStart[live.length] = next;
    created += next;
    if (late()) return { complete: false, states: created };
    if (next === 0) return { complete: !truncated, states: created };
    let keep = undominated(m, nextCost, nextWeight, runStart, scratch);
    if (limits.beam !== undefined && keep.length > limits.beam) {
      // The beam: the least reduced-cost sums, put back in lexicographic order.
      const position = new Int32Array(next);
      keep.forEach((state, n) => (position[state] = n));
      keep = Int32Array.from(keep)
        .sort((x, y) => nextReduced[x]! - nextReduced[y]! || x - y)
        .subarray(0, limits.beam)
        .sort((x, y) => position[x]! - position[y]!);
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
  const choice = Int32Array.from(fixedChoice);
  for (let entry = stateTrail[best]!; entry >= 0; entry = trailParent[entry]!) {
    coreItems.apply(trailOption[entry]!, choice);
  }
  return { complete: !truncated, improved: choice, states: created };
}
