/**
 * The lower convex hull of one item's options in (weight, cost): the breakpoints of the least
 * cost the item can reach, relaxed to the LP, as a function of the weight it may use. Its
 * increments, taken best efficiency (cost saved per weight) first over all items, are the LP
 * relaxation of a one-row multiple-choice problem.
 *
 * `order` lists the options (indices into `weight` and `cost`) by weight ascending, ties by cost
 * ascending; the hull's options are written to `out` (lightest first, each strictly cheaper
 * than the one before).
 */
export function lowerHull(order: ArrayLike<number>, weight: ArrayLike<number>, cost: ArrayLike<number>, out: number[]): number[] {
  out.length = 0;
  if (order.length === 0) return out;
  out.push(order[0]!);
  for (let j = 1; j < order.length; j++) {
    const q = order[j]!;
    if (cost[q]! >= cost[out[out.length - 1]!]!) continue; // heavier and no cheaper
    while (out.length >= 2) {
      const a = out[out.length - 2]!;
      const b = out[out.length - 1]!;
      // b on or above the segment a-q: not on the hull.
      if ((weight[b]! - weight[a]!) * (cost[q]! - cost[a]!) - (cost[b]! - cost[a]!) * (weight[q]! - weight[a]!) <= 0) out.pop();
      else break;
    }
    out.push(q);
  }
  return out;
}
