/**
 * Setting up the core program (core.ts): reduced costs at the multipliers, reduced-cost fixing,
 * the core items (interchangeable ones merged), their order, and what prunes a state: the room
 * each row has left at each position and the completion bounds.
 */
import { capacityCeiling } from '../instance.js';
import { CompletionBounds } from './completionBound.js';
import { buildCoreItems, type CoreItem, type CoreItems, type LiveItem } from './coreItems.js';
import type { FlatInstance } from './flat.js';
import type { ReducedCosts } from './reducedCosts.js';
import type { MckpOptions } from './options.js';

/** A core program ready to run. */
export interface CoreProgram {
  rows: number;
  /** The core items in the order the stages take them. */
  core: CoreItem[];
  coreItems: CoreItems;
  /** The option of every item fixed by its reduced costs (-1 for core items). */
  fixedChoice: Int32Array;
  fixedCost: number;
  /** The largest weight a state may carry into position t and still complete, at t * rows + k. */
  roomLimit: Float64Array;
  completion: CompletionBounds;
  /** A state prunes when its completion bound reaches this: L(mu) + threshold. */
  ceiling: number;
  /** Items with more than one live option, before interchangeable ones were merged into the core items. */
  liveItems: number;
}

/** Why the set-up ended without a program: nothing below the threshold (complete), out of time, or too large a core for a beam pass. */
export type CoreSetupEnd = { end: 'complete' | 'late' | 'too-large-for-beam' };

/**
 * The program for one threshold. `atMu` is itemReducedCosts at the round's multipliers: they stay
 * the same for a whole solve, so its rounds compute them once.
 */
export function setUpCore(
  inst: FlatInstance,
  atMu: ReducedCosts,
  threshold: number,
  limits: { now: () => number; deadline: number; beam?: number; lagrangianValue: number; options: MckpOptions },
): CoreProgram | CoreSetupEnd {
  const { items, rows: m, start, cost, weight, capacity } = inst;
  const { price, reduced } = atMu;
  const { options } = limits;
  // A beam pass over too large a core is not made: counted before anything is built (the
  // threshold of a beam pass is the whole gap, where a 45,000-layer model keeps most items live).
  if (limits.beam !== undefined && liveOptionCount(inst, reduced, threshold) > options.beamMaxOptions) return { end: 'too-large-for-beam' };
  // Reduced-cost fixing: an option whose reduced cost reaches the threshold is out. Most items
  // of a large model keep one option: they are fixed without building a list.
  const fixedWeight = new Float64Array(m);
  let fixedCost = 0;
  const fixedChoice = new Int32Array(items).fill(-1);
  const liveItems: LiveItem[] = [];
  for (let i = 0; i < items; i++) {
    let count = 0;
    let only = -1;
    for (let o = start[i]!; o < start[i + 1]!; o++) {
      if (reduced[o]! < threshold) {
        count++;
        only = o;
      }
    }
    if (count === 0) return { end: 'complete' }; // nothing below the threshold
    if (count === 1) {
      fixedChoice[i] = only;
      fixedCost += cost[only]!;
      for (let k = 0; k < m; k++) fixedWeight[k] = fixedWeight[k]! + weight[only * m + k]!;
      continue;
    }
    const live: number[] = [];
    for (let o = start[i]!; o < start[i + 1]!; o++) if (reduced[o]! < threshold) live.push(o);
    sortByReducedCost(live, reduced);
    liveItems.push({ item: i, live });
  }
  // Setting up a large core takes a while: the clock is read between the steps.
  const late = () => limits.now() > limits.deadline;
  if (late()) return { end: 'late' };
  const coreItems = buildCoreItems(liveItems, { cost, weight, reduced, rows: m }, price, threshold, options.maxGroupEntries);
  if (late()) return { end: 'late' };
  const core = coreItems.items;
  // Coarse items (large priced spread) first: once they are decided, the rest is fine-grained,
  // its bounds nearly tight, and states prune early. Among equally coarse items, the dearest
  // second option first: on the bench cases this creates the fewest states.
  core.sort((a, b) => b.spread - a.spread || b.second - a.second || a.first - b.first);

  // Least weight the items from position t on can add, per row, and so the most a state may
  // carry into t: the room the fixed items leave (up to the rounding tolerance) less that.
  const suffixMin = new Float64Array((core.length + 1) * m);
  for (let t = core.length - 1; t >= 0; t--) {
    for (let k = 0; k < m; k++) {
      let least = Infinity;
      for (const o of core[t]!.live) least = Math.min(least, coreItems.weight[o * m + k]!);
      suffixMin[t * m + k] = suffixMin[(t + 1) * m + k]! + least;
    }
  }
  const room = Array.from(capacity, (cap, k) => capacityCeiling(cap) - fixedWeight[k]!);
  const roomLimit = new Float64Array((core.length + 1) * m);
  for (let t = 0; t <= core.length; t++) {
    for (let k = 0; k < m; k++) roomLimit[t * m + k] = room[k]! - suffixMin[t * m + k]!;
  }
  // The stages check only what the core items add: when the fixed items with the core's lightest
  // options already break a row, nothing below the threshold is feasible.
  for (let k = 0; k < m; k++) if (roomLimit[k]! < 0) return { end: 'complete' };
  const completion = new CompletionBounds({ live: core.map((entry) => entry.live), cost: coreItems.cost, weight: coreItems.weight, rows: m }, price, room, options.maxCompletionEntries);
  if (late()) return { end: 'late' };
  return { rows: m, core, coreItems, fixedChoice, fixedCost, roomLimit, completion, ceiling: limits.lagrangianValue + threshold, liveItems: liveItems.length };
}

/** Options below the threshold in items that keep more than one (the core's options). */
function liveOptionCount(inst: FlatInstance, reduced: Float64Array, threshold: number): number {
  let total = 0;
  for (let i = 0; i < inst.items; i++) {
    let count = 0;
    for (let o = inst.start[i]!; o < inst.start[i + 1]!; o++) if (reduced[o]! < threshold) count++;
    if (count > 1) total += count;
  }
  return total;
}

/**
 * An item's live options by reduced cost, then index: an insertion sort in place (an item has a
 * few options; Array.prototype.sort allocates a work array per call, megabytes a round on
 * 45,000-layer models). The order is total, so the same as any sort's.
 */
function sortByReducedCost(live: number[], reduced: Float64Array): void {
  for (let i = 1; i < live.length; i++) {
    const option = live[i]!;
    const key = reduced[option]!;
    let j = i - 1;
    while (j >= 0 && (reduced[live[j]!]! > key || (reduced[live[j]!]! === key && live[j]! > option))) {
      live[j + 1] = live[j]!;
      j--;
    }
    live[j + 1] = option;
  }
}
