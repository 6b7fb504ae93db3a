/**
 * Plans one or two moves away from the best plan, the cheapest first: the k best search starts
 * its ceiling from them (pairSearch.ts). The k best plans of a planning problem are mostly the
 * best with one or two layers changed, so the search prunes against nearly the true k-th cost
 * from its first node instead of against the first k plans its dives happen to reach (on 300
 * layers under 3 budgets, k = 20 searched 0.3-0.9 million nodes otherwise).
 *
 * A move sets one item to another option; two moves on two different items. Each is priced
 * from the best plan by the change in its own cost and in the pair terms it touches (two moved
 * items that share a pair are priced approximately: the caller prices what it keeps exactly).
 * Only moves that keep every row within its capacity are returned.
 */
import { capacityCeiling } from '../instance.js';
import { costAtPlan } from './costAtPlan.js';
import type { FlatInstance } from './flat.js';
import type { FlatPair } from './pairForest.js';

/**
 * Up to `wanted` choices near `best` (flat option indices per item), least cost first; the best
 * plan itself is not among them. `pairsOf[i]` lists the pairs on item i.
 */
export function nearPlans(inst: FlatInstance, pairs: readonly FlatPair[], pairsOf: readonly number[][], best: Int32Array, wanted: number): Int32Array[] {
  const { items, rows: m, start, weight } = inst;
  const used = new Float64Array(m);
  for (let i = 0; i < items; i++) for (let k = 0; k < m; k++) used[k] = used[k]! + weight[best[i]! * m + k]!;
  const room = Float64Array.from(inst.capacity, (capacity, k) => capacityCeiling(capacity) - used[k]!);
  const partOf = (i: number, o: number) => costAtPlan(inst, pairs, pairsOf, best, i, o);

  // Every single move: its item, option, cost change and row changes.
  const moveItem: number[] = [];
  const moveOption: number[] = [];
  const moveDelta: number[] = [];
  const moveWeight: number[] = [];
  for (let i = 0; i < items; i++) {
    const from = best[i]!;
    if (start[i + 1]! - start[i]! < 2) continue;
    const here = partOf(i, from);
    for (let o = start[i]!; o < start[i + 1]!; o++) {
      if (o === from) continue;
      moveItem.push(i);
      moveOption.push(o);
      moveDelta.push(partOf(i, o) - here);
      for (let k = 0; k < m; k++) moveWeight.push(weight[o * m + k]! - weight[from * m + k]!);
    }
  }
  const moves = moveItem.length;
  const fits = (x: number, y: number) => {
    for (let k = 0; k < m; k++) if ((moveWeight[x * m + k]! + (y >= 0 ? moveWeight[y * m + k]! : 0)) > room[k]!) return false;
    return true;
  };

  // The `wanted` cheapest feasible single and double moves, kept sorted by cost change.
  const kept: { delta: number; x: number; y: number }[] = [];
  const worstKept = () => (kept.length < wanted ? Infinity : kept[kept.length - 1]!.delta);
  const keep = (delta: number, x: number, y: number) => {
    let at = kept.length;
    while (at > 0 && kept[at - 1]!.delta > delta) at--;
    kept.splice(at, 0, { delta, x, y });
    if (kept.length > wanted) kept.pop();
  };
  for (let x = 0; x < moves; x++) if (moveDelta[x]! < worstKept() && fits(x, -1)) keep(moveDelta[x]!, x, -1);
  // Double moves in order of their first move's change: a pair can only be kept while the two
  // changes together stay below the worst kept.
  const order = Array.from({ length: moves }, (_, x) => x).sort((x, y) => moveDelta[x]! - moveDelta[y]!);
  const least = moves > 0 ? moveDelta[order[0]!]! : 0;
  for (let a = 0; a < moves; a++) {
    const x = order[a]!;
    if (moveDelta[x]! + least >= worstKept()) break;
    for (let b = a + 1; b < moves; b++) {
      const y = order[b]!;
      const delta = moveDelta[x]! + moveDelta[y]!;
      if (delta >= worstKept()) break;
      if (moveItem[x] === moveItem[y] || !fits(x, y)) continue;
      keep(delta, x, y);
    }
  }
  return kept.map(({ x, y }) => {
    const choice = Int32Array.from(best);
    choice[moveItem[x]!] = moveOption[x]!;
    if (y >= 0) choice[moveItem[y]!] = moveOption[y]!;
    return choice;
  });
}
