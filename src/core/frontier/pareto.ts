/**
 * Every Pareto-optimal point of a single-axis problem, by a dynamic program over per-item
 * frontiers (Nemhauser and Ullmann): the set of non-dominated (axis, sensitivity) partial sums is
 * extended one item at a time and pruned to its staircase. Exact; its size is the number of
 * Pareto-optimal partial assignments, so it stops once a set exceeds `cap` ({exceeded}), or
 * once the clock passes `deadline` ({timedOutAt}: the items enumerated), checked per item.
 */
import type { ChoiceInstance } from '../solvers/instance.js';
import type { HullPoint } from './hull.js';

export function allParetoPoints(
  instance: ChoiceInstance,
  axisRow: number,
  cap: number,
  clock?: { now: () => number; deadline: number },
): HullPoint[] | { exceeded: number } | { timedOutAt: number; points: number } {
  // Stage arrays of back-pointers: stage t holds, per state, its parent state and option.
  const parents: Int32Array[] = [];
  const options: Int32Array[] = [];
  let axis = [0];
  let sensitivity = [0];
  for (const [done, item] of instance.items.entries()) {
    if (clock && clock.now() > clock.deadline) return { timedOutAt: done, points: axis.length };
    const candidates: { a: number; s: number; parent: number; option: number }[] = [];
    axis.forEach((a, parent) =>
      item.options.forEach((option, j) => candidates.push({ a: a + option.weights[axisRow]!, s: sensitivity[parent]! + option.cost, parent, option: j })),
    );
    candidates.sort((x, y) => x.a - y.a || x.s - y.s || x.parent - y.parent || x.option - y.option);
    const kept: typeof candidates = [];
    for (const candidate of candidates) {
      if (kept.length === 0 || candidate.s < kept[kept.length - 1]!.s) kept.push(candidate);
    }
    if (kept.length > cap) return { exceeded: kept.length };
    parents.push(Int32Array.from(kept, (k) => k.parent));
    options.push(Int32Array.from(kept, (k) => k.option));
    axis = kept.map((k) => k.a);
    sensitivity = kept.map((k) => k.s);
  }
  return axis.map((a, index) => {
    const choice = new Array<number>(instance.items.length);
    for (let t = instance.items.length - 1, state = index; t >= 0; t--) {
      choice[t] = options[t]![state]!;
      state = parents[t]![state]!;
    }
    return { axis: a, sensitivity: sensitivity[index]!, choice };
  });
}
