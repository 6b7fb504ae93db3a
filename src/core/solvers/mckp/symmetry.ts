/**
 * Symmetry breaking for branch and bound over identical items (repeated blocks, tied groups of
 * the same shape: issue #26.5's heavy ties). Items whose options are the same list (every cost
 * and weight equal, in the same order) are interchangeable: any plan becomes one whose options
 * are in non-decreasing order along the class (i1 <= i2 <= ... by option position) by permuting
 * their choices, with the same objective and the same weights. So the search may keep only
 * ordered plans: it loses no objective value, and each bound it proves over ordered plans bounds
 * every plan. Without it, a class of n items is searched over each of its permutations (300
 * layers of 12 shapes: stopped at 10 s with plans up to 0.54% above the optimum).
 *
 * Only for the one best plan: the k best distinct plans count permutations as distinct (they
 * are searched by pairSearch.ts, which does not use this).
 */
import type { FlatInstance } from './flat.js';

/** Items of the instance in classes of two or more identical ones, each in ascending order. */
export function identicalItemClasses(core: FlatInstance): Int32Array[] {
  const { items, rows: m, start, cost, weight } = core;
  // Bucketed by a hash of the raw bits, then compared exactly (a 45,000-item core in one pass).
  const costBits = new Uint32Array(cost.buffer, cost.byteOffset, cost.length * 2);
  const weightBits = new Uint32Array(weight.buffer, weight.byteOffset, weight.length * 2);
  const same = (a: number, b: number) => {
    if (start[a + 1]! - start[a]! !== start[b + 1]! - start[b]!) return false;
    for (let j = 0; j < start[a + 1]! - start[a]!; j++) {
      const oa = start[a]! + j;
      const ob = start[b]! + j;
      if (cost[oa] !== cost[ob]) return false;
      for (let k = 0; k < m; k++) if (weight[oa * m + k] !== weight[ob * m + k]) return false;
    }
    return true;
  };
  const buckets = new Map<number, number[][]>();
  for (let i = 0; i < items; i++) {
    let hash = start[i + 1]! - start[i]!;
    for (let q = 2 * start[i]!; q < 2 * start[i + 1]!; q++) hash = Math.imul(hash ^ costBits[q]!, 0x9e3779b1);
    for (let q = 2 * start[i]! * m; q < 2 * start[i + 1]! * m; q++) hash = Math.imul(hash ^ weightBits[q]!, 0x85ebca6b);
    const bucket = buckets.get(hash);
    const match = bucket?.find((members) => same(members[0]!, i));
    if (match) match.push(i);
    else if (bucket) bucket.push([i]);
    else buckets.set(hash, [[i]]);
  }
  const classes: Int32Array[] = [];
  for (const bucket of buckets.values()) for (const members of bucket) if (members.length > 1) classes.push(Int32Array.from(members));
  return classes;
}

/**
 * Keeps each class in order: an item's options before the least live position of the item ahead
 * of it go, and those after the greatest live position of the item behind it. Removals go on the
 * trail; false when an item would be left with none (the node holds no ordered plan).
 */
export function keepClassesOrdered(core: FlatInstance, classes: readonly Int32Array[], alive: Uint8Array, trail: number[]): boolean {
  const { start } = core;
  for (const members of classes) {
    // Forward: positions at least the one before's least live position.
    let least = 0;
    for (const i of members) {
      let first = -1;
      for (let o = start[i]!; o < start[i + 1]!; o++) {
        if (!alive[o]) continue;
        if (o - start[i]! < least) {
          alive[o] = 0;
          trail.push(o);
        } else if (first < 0) first = o - start[i]!;
      }
      if (first < 0) return false;
      least = first;
    }
    // Backward: positions at most the one after's greatest live position.
    let most = Infinity;
    for (let n = members.length - 1; n >= 0; n--) {
      const i = members[n]!;
      let last = -1;
      for (let o = start[i]!; o < start[i + 1]!; o++) {
        if (!alive[o]) continue;
        if (o - start[i]! > most) {
          alive[o] = 0;
          trail.push(o);
        } else last = o - start[i]!;
      }
      if (last < 0) return false;
      most = last;
    }
  }
  return true;
}
