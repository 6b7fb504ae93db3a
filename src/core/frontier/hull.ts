/**
 * The supported points of a frontier: the vertices of the lower convex hull of (axis cost,
 * sensitivity) over all assignments. Each is the exact optimum of min S + lambda x axis for some
 * lambda, hence optimal at its own axis budget, and they come from one sweep: every item starts
 * at its cheapest option on its own lower hull, and the hull increments are taken in order of
 * falling efficiency -dS / d(axis) (O(N log N) for N options).
 */
import type { ChoiceInstance } from '../solvers/instance.js';

export interface HullPoint {
  axis: number;
  sensitivity: number;
  /** Option index per instance item. */
  choice: number[];
}

interface Increment {
  item: number;
  to: number;
  efficiency: number;
}

/**
 * The supported points, cheapest first; when there are more than `cap`, `cap` of them evenly
 * spread over the sweep (always including both ends). `total` counts them all.
 */
export function supportedPoints(instance: ChoiceInstance, axisRow: number, cap: number): { points: HullPoint[]; total: number } {
  const choice: number[] = [];
  const increments: Increment[] = [];
  let axis = 0;
  let sensitivity = 0;
  instance.items.forEach((item, i) => {
    const order = item.options
      .map((option, j) => ({ j, w: option.weights[axisRow]!, s: option.cost }))
      .sort((a, b) => a.w - b.w || a.s - b.s || a.j - b.j);
    const hull = [order[0]!];
    for (const point of order.slice(1)) {
      if (point.s >= hull[hull.length - 1]!.s) continue; // costlier and no less sensitive
      while (hull.length >= 2) {
        const a = hull[hull.length - 2]!;
        const b = hull[hull.length - 1]!;
        if ((b.w - a.w) * (point.s - a.s) - (b.s - a.s) * (point.w - a.w) <= 0) hull.pop();
        else break;
      }
      hull.push(point);
    }
    choice.push(hull[0]!.j);
    axis += hull[0]!.w;
    sensitivity += hull[0]!.s;
    for (let h = 1; h < hull.length; h++) {
      increments.push({ item: i, to: hull[h]!.j, efficiency: (hull[h - 1]!.s - hull[h]!.s) / (hull[h]!.w - hull[h - 1]!.w) });
    }
  });
  increments.sort((a, b) => b.efficiency - a.efficiency || a.item - b.item || a.to - b.to);
  const total = increments.length + 1;
  const wanted = new Set<number>();
  if (total <= cap) for (let k = 0; k < total; k++) wanted.add(k);
  else for (let k = 0; k < cap; k++) wanted.add(Math.round((k * (total - 1)) / Math.max(1, cap - 1)));
  const points: HullPoint[] = [];
  if (wanted.has(0)) points.push({ axis, sensitivity, choice: [...choice] });
  increments.forEach((increment, k) => {
    const options = instance.items[increment.item]!.options;
    const from = options[choice[increment.item]!]!;
    const to = options[increment.to]!;
    axis += to.weights[axisRow]! - from.weights[axisRow]!;
    sensitivity += to.cost - from.cost;
    choice[increment.item] = increment.to;
    if (wanted.has(k + 1)) points.push({ axis, sensitivity, choice: [...choice] });
  });
  return { points, total };
}
