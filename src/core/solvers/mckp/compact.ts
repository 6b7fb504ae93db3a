import type { FlatInstance } from './flat.js';

/**
 * An instance cut down to what is still live: items left with one live option are fixed (their
 * cost set aside, their weights taken off the capacities), the rest keep their live options.
 * Costs, weights, row scales and the cost scale stay the instance's, so multipliers and bounds
 * carry over: L(instance) = fixedCost + L(core).
 */
export interface CompactInstance {
  core: FlatInstance;
  fixedCost: number;
  /** Per core option, the instance option it is. */
  option: Int32Array;
  /** Per core item, the instance item it is. */
  item: Int32Array;
  /** Per instance item, its fixed option, or -1 for a core item. */
  fixedChoice: Int32Array;
}

export function compact(inst: FlatInstance, alive: Uint8Array): CompactInstance {
  const { items, rows: m, start, cost, weight } = inst;
  const fixedChoice = new Int32Array(items).fill(-1);
  const capacity = Float64Array.from(inst.capacity);
  let fixedCost = 0;
  const coreItems: number[] = [];
  const coreOptions: number[] = [];
  const coreStart: number[] = [];
  for (let i = 0; i < items; i++) {
    let live = 0;
    let last = -1;
    for (let o = start[i]!; o < start[i + 1]!; o++) {
      if (alive[o]) {
        live++;
        last = o;
      }
    }
    if (live === 1) {
      fixedChoice[i] = last;
      fixedCost += cost[last]!;
      for (let k = 0; k < m; k++) capacity[k] = capacity[k]! - weight[last * m + k]!;
      continue;
    }
    coreItems.push(i);
    coreStart.push(coreOptions.length);
    for (let o = start[i]!; o < start[i + 1]!; o++) if (alive[o]) coreOptions.push(o);
  }
  coreStart.push(coreOptions.length);
  const option = Int32Array.from(coreOptions);
  const coreWeight = new Float64Array(option.length * m);
  option.forEach((o, n) => coreWeight.set(weight.subarray(o * m, o * m + m), n * m));
  const core: FlatInstance = {
    items: coreItems.length,
    rows: m,
    start: Int32Array.from(coreStart),
    cost: Float64Array.from(option, (o) => cost[o]!),
    weight: coreWeight,
    original: Int32Array.from(option, (o) => inst.original[o]!),
    capacity,
    rowScale: inst.rowScale,
    costScale: inst.costScale,
  };
  return { core, fixedCost, option, item: Int32Array.from(coreItems), fixedChoice };
}

/** The instance's choice (its option indices) for a core choice. */
export function expandCore(compacted: CompactInstance, coreChoice: ArrayLike<number>): Int32Array {
  const choice = Int32Array.from(compacted.fixedChoice);
  compacted.item.forEach((i, n) => (choice[i] = compacted.option[coreChoice[n]!]!));
  return choice;
}
