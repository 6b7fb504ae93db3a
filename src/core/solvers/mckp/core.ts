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
 * returns (or the incumbent). Memory and time are bounded by MckpOptions (maxCoreStates,
 * maxSuccessors) and the deadline; hitting either leaves the proof undone and the caller
 * reports the gap. coreSetup.ts builds the program; this file runs its stages.
 */
import { setUpCore, type CoreProgram, type CoreSetupEnd } from './coreSetup.js';
import { DominanceScratch, undominated } from './dominance.js';
import type { ReducedCosts } from './reducedCosts.js';
import type { FlatInstance } from './flat.js';
import type { MckpOptions } from './options.js';
import { StateBuffer, Trail } from './stateBuffer.js';

export interface CoreSearchLimits {
  now: () => number;
  deadline: number;
  /**
   * Beam width: when set, each stage keeps only this many states (least reduced-cost sum first),
   * which turns the program into a fast heuristic that proves nothing (complete is false). It
   * does nothing on a core of more than options.beamMaxOptions live options.
   */
  beam?: number;
  /** L(mu) of the multipliers: completion bounds are compared with L(mu) + threshold. */
  lagrangianValue: number;
  options: MckpOptions;
  /** States this round may create before it stops (stoppedBy work-limit): a share of a proof round (solve.ts). */
  maxCreated?: number;
}

export interface CoreSearchResult {
  /**
   * True when the search finished: every assignment costing less than L(mu) + threshold was
   * considered, so none of them beats the returned one (or the incumbent).
   */
  complete: boolean;
  /** Why an incomplete search stopped: the deadline, a memory cap (maxSuccessors, maxCoreStates) or its work share; a beam pass is incomplete by design. */
  stoppedBy?: 'time-limit' | 'memory-limit' | 'work-limit';
  /** The best assignment found that costs less than the incumbent, if any. */
  improved?: Int32Array;
  /** States created (the search effort, reported as nodes). */
  states: number;
}

/** The program at `threshold` from the options' reduced costs at the multipliers (itemReducedCosts), set up and run. */
export function searchCore(inst: FlatInstance, atMu: ReducedCosts, incumbentCost: number, threshold: number, limits: CoreSearchLimits): CoreSearchResult {
  return runCore(setUpCore(inst, atMu, threshold, limits), incumbentCost, threshold, limits);
}

/** A program set up once (coreSetup.ts) and run, possibly again with more work, within a proof round. */
export function runCore(program: CoreProgram | CoreSetupEnd, incumbentCost: number, threshold: number, limits: CoreSearchLimits): CoreSearchResult {
  if ('end' in program) return program.end === 'complete' ? { complete: true, states: 0 } : { complete: false, states: 0, ...(program.end === 'late' ? { stoppedBy: 'time-limit' } : {}) };
  return runStages(program, incumbentCost, threshold, limits);
}

/** The stages: each core item extends every state by each live option, then dominance thins them. */
function runStages(program: CoreProgram, incumbentCost: number, threshold: number, limits: CoreSearchLimits): CoreSearchResult {
  const { rows: m, core, coreItems, fixedCost, roomLimit, completion, ceiling } = program;
  const { cost: optionCost, weight: optionWeight, reduced: optionReduced } = coreItems;
  const { maxSuccessors, maxCoreStates, clockEvery } = limits.options;
  const late = () => limits.now() > limits.deadline;
  const scratch = new DominanceScratch();
  const trail = new Trail();
  // The kept states (link: their trail entry) and their successors (link: the parent's entry).
  const states = new StateBuffer(m);
  const next = new StateBuffer(m);
  states.link[0] = -1;
  let count = 1;
  let created = 0;
  let truncated = false;

  for (let t = 0; t < core.length; t++) {
    if (late()) return { complete: false, stoppedBy: 'time-limit', states: created };
    const { live } = core[t]!;
    const most = count * live.length;
    if (most > maxSuccessors) return { complete: false, stoppedBy: 'memory-limit', states: created };
    next.reserve(most, maxSuccessors);
    // The hot loop reads typed arrays from locals, not through the buffers' fields.
    const { cost: stateCost, reduced: stateReduced, weight: stateWeight, link: stateLink } = states;
    const { cost: nextCost, reduced: nextReduced, weight: nextWeight, link: nextLink, option: nextOption } = next;
    const roomBase = (t + 1) * m;
    let size = 0;
    // Successors option by option: each run keeps the states' lexicographic order (dominance.ts).
    const runStart = new Int32Array(live.length + 1);
    for (let j = 0; j < live.length; j++) {
      if (j > 0 && count * j > clockEvery && late()) return { complete: false, stoppedBy: 'time-limit', states: created };
      const o = live[j]!;
      runStart[j] = size;
      for (let s = 0; s < count; s++) {
        const rc = stateReduced[s]! + optionReduced[o]!;
        if (rc >= threshold) continue;
        let ok = true;
        for (let k = 0; k < m && ok; k++) {
          const w = stateWeight[s * m + k]! + optionWeight[o * m + k]!;
          ok = w <= roomLimit[roomBase + k]!;
          nextWeight[size * m + k] = w;
        }
        if (!ok) continue;
        const c = stateCost[s]! + optionCost[o]!;
        if (completion.reaches(t + 1, fixedCost + c, nextWeight, size * m, ceiling)) continue;
        nextCost[size] = c;
        nextReduced[size] = rc;
        nextLink[size] = stateLink[s]!;
        nextOption[size] = o;
        size++;
      }
    }
    runStart[live.length] = size;
    created += size;
    if (created > (limits.maxCreated ?? Infinity)) return { complete: false, stoppedBy: 'work-limit', states: created };
    if (late()) return { complete: false, stoppedBy: 'time-limit', states: created };
    if (size === 0) return { complete: !truncated, states: created };
    let keep = undominated(m, nextCost, nextWeight, runStart, scratch);
    if (limits.beam !== undefined && keep.length > limits.beam) {
      keep = beamOf(keep, nextReduced, limits.beam);
      truncated = true;
    }
    if (keep.length > maxCoreStates) return { complete: false, stoppedBy: 'memory-limit', states: created };
    count = keep.length;
    states.reserve(count);
    for (let n = 0; n < count; n++) {
      const s = keep[n]!;
      states.cost[n] = nextCost[s]!;
      states.reduced[n] = nextReduced[s]!;
      for (let k = 0; k < m; k++) states.weight[n * m + k] = nextWeight[s * m + k]!;
      states.link[n] = trail.push(nextLink[s]!, nextOption[s]!);
    }
  }
  let best = -1;
  for (let s = 0; s < count; s++) {
    if (fixedCost + states.cost[s]! < incumbentCost && (best < 0 || states.cost[s]! < states.cost[best]!)) best = s;
  }
  if (best < 0) return { complete: !truncated, states: created };
  const choice = Int32Array.from(program.fixedChoice);
  for (let entry = states.link[best]!; entry >= 0; entry = trail.parent[entry]!) coreItems.apply(trail.option[entry]!, choice);
  return { complete: !truncated, improved: choice, states: created };
}

/** The beam: the `width` states of least reduced-cost sum, put back in lexicographic order. */
function beamOf(keep: Int32Array, reduced: Float64Array, width: number): Int32Array {
  const position = new Int32Array(reduced.length);
  keep.forEach((state, n) => (position[state] = n));
  return Int32Array.from(keep)
    .sort((x, y) => reduced[x]! - reduced[y]! || x - y)
    .subarray(0, width)
    .sort((x, y) => position[x]! - position[y]!);
}
