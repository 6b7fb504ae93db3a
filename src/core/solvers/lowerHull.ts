/**
 * The lower convex hull of one item's options in (weight, cost): the breakpoints of the least
 * cost the item can reach, relaxed to the LP, as a function of the weight it may use. Its
 * increments, taken best efficiency (cost saved per weight) first over all items, are the LP
 * relaxation of a one-row multiple-choice problem.
 *
 * `order` lists the first `count` options (indices into `weight` and `cost`) by weight
 * ascending, ties by cost ascending; the hull's options are written to the start of `out`
 * (lightest first, each strictly cheaper than the one before) and their number returned. Both
 * are written by index and never emptied: callers reuse them over tens of thousands of items,
 * and an array emptied by `length = 0` gives up its storage and allocates it again.
 */
export function lowerHull(order: ArrayLike<number>, count: number, weight: ArrayLike<number>, cost: ArrayLike<number>, out: number[]): number {
  if (count === 0) return 0;
  let size = 0;
  out[size++] = order[0]!;
  for (let j = 1; j < count; j++) {
    const q = order[j]!;
    if (cost[q]! >= cost[out[size - 1]!]!) continue; // heavier and no cheaper
    while (size >= 2) {
      const a = out[size - 2]!;
      const b = out[size - 1]!;
      // b on or above the segment a-q: not on the hull.
      if ((weight[b]! - weight[a]!) * (cost[q]! - cost[a]!) - (cost[b]! - cost[a]!) * (weight[q]! - weight[a]!) <= 0) size--;
      else break;
    }
    out[size++] = q;
  }
  return size;
}
