/**
 * The supported points of a frontier: the vertices of the lower convex hull of (axis cost,
 * sensitivity) over all assignments. Each is the exact optimum of min S + lambda x axis for some
 * lambda, hence optimal at its own axis budget, and they come from one sweep: every item starts
 * at its cheapest option on its own lower hull, and the hull increments are taken in order of
 * falling efficiency -dS / d(axis) (O(N log N) for N options).
 */
import type { ChoiceInstance } from '../solvers/instance.js';
import { lowerHull } from '../solvers/lowerHull.js';

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
  const hull: number[] = [];
  instance.items.forEach((item, i) => {
    const w = item.options.map((option) => option.weights[axisRow]!);
    const s = item.options.map((option) => option.cost);
    const order = item.options.map((_, j) => j).sort((a, b) => w[a]! - w[b]! || s[a]! - s[b]! || a - b);
    const size = lowerHull(order, order.length, w, s, hull);
    choice.push(hull[0]!);
    axis += w[hull[0]!]!;
    sensitivity += s[hull[0]!]!;
    for (let h = 1; h < size; h++) {
      const [from, to] = [hull[h - 1]!, hull[h]!];
      increments.push({ item: i, to, efficiency: (s[from]! - s[to]!) / (w[to]! - w[from]!) });
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
