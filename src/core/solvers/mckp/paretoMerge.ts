/**
 * A group of paired items merged into one item without listing every combination of their
 * options: only the Pareto-efficient ones (no other combination costs no more and weighs no more
 * in every row) can be part of an optimal plan, since the group meets the rest of the problem only
 * through the additive budget rows. The items are placed one at a time (the one with the most
 * pairs to those placed next), and after each the partial combinations are filtered among those
 * that agree on the placed items still paired with unplaced ones (their pair terms are not yet
 * known), which is bucket elimination with Pareto sets. On sparse measured pairs (components of
 * 4-8 items of 6 options) 1,296-1,679,616 combinations leave 77-2,249.
 */

export interface MergeGroup {
  /** The items, by index in the instance. */
  items: number[];
  /** Each item's live options (indices into its options). */
  live: number[][];
  /** Each item's cost of each live option, terms with decided items included. */
  cost: number[][];
  /** Each item's weights per row of each live option. */
  weights: (item: number, option: number) => readonly number[];
  /** The pairs with both items in the group: items, and the term of two options. */
  pairs: { a: number; b: number; term: (j: number, k: number) => number }[];
  rows: number;
}

export interface MergedItem {
  options: { cost: number; weights: number[] }[];
  /** For each option: the members' options, in the order of `items`. */
  combos: number[][];
}

interface Entry {
  /** Options chosen, by position in the placement order. */
  combo: number[];
  value: number;
  weights: Float64Array;
}

/**
 * The group's Pareto-efficient combinations, or undefined when more than `maxEntries` would be
 * kept at some step or `expired` says the time is up (the filter costs up to the square of what
 * it keeps).
 */
export function paretoMerge(group: MergeGroup, maxEntries: number, expired: () => boolean = () => false): MergedItem | undefined {
  const { items, rows } = group;
  const n = items.length;
  const neighbours: number[][] = items.map(() => []);
  const position = new Map(items.map((item, at) => [item, at]));
  for (const pair of group.pairs) {
    const a = position.get(pair.a)!;
    const b = position.get(pair.b)!;
    neighbours[a]!.push(b);
    neighbours[b]!.push(a);
  }
  const order = placementOrder(neighbours);
  const placedAt = new Int32Array(n).fill(-1);
  let entries: Entry[] = [{ combo: [], value: 0, weights: new Float64Array(rows) }];
  for (let step = 0; step < n; step++) {
    const member = order[step]!;
    placedAt[member] = step;
    const item = items[member]!;
    // The terms between this member and those placed before it, read off their options.
    const terms = group.pairs.filter((pair) => {
      const other = pair.a === item ? pair.b : pair.b === item ? pair.a : -1;
      return other >= 0 && placedAt[position.get(other)!]! >= 0 && other !== item;
    });
    const next: Entry[] = [];
    for (const entry of entries) {
      group.live[member]!.forEach((option, at) => {
        let value = entry.value + group.cost[member]![at]!;
        for (const pair of terms) {
          if (pair.a === item) value += pair.term(option, entry.combo[placedAt[position.get(pair.b)!]!]!);
          else value += pair.term(entry.combo[placedAt[position.get(pair.a)!]!]!, option);
        }
        const weights = Float64Array.from(entry.weights);
        const own = group.weights(member, option);
        for (let k = 0; k < rows; k++) weights[k] = weights[k]! + own[k]!;
        next.push({ combo: [...entry.combo, option], value, weights });
      });
    }
    // Placed members still paired with an unplaced one: partial combinations compare only when they agree there.
    const boundary: number[] = [];
    for (let at = 0; at <= step; at++) if (neighbours[order[at]!]!.some((other) => placedAt[other]! < 0)) boundary.push(at);
    const buckets = new Map<string, Entry[]>();
    for (const entry of next) {
      const key = boundary.map((at) => entry.combo[at]).join(',');
      const bucket = buckets.get(key);
      if (bucket) bucket.push(entry);
      else buckets.set(key, [entry]);
    }
    entries = [];
    for (const bucket of buckets.values()) {
      const kept = efficient(bucket, rows, maxEntries - entries.length, expired);
      if (!kept) return undefined;
      for (const entry of kept) entries.push(entry);
    }
  }
  return {
    options: entries.map((entry) => ({ cost: entry.value, weights: Array.from(entry.weights) })),
    combos: entries.map((entry) => {
      const combo = new Array<number>(n);
      order.forEach((member, step) => (combo[member] = entry.combo[step]!));
      return combo;
    }),
  };
}

/**
 * The entries no other one dominates (costs no more and weighs no more in every row); of equal
 * ones, the first. Undefined once more than `room` are kept or the time is up (checked every 1,024 entries).
 */
function efficient(bucket: Entry[], rows: number, room: number, expired: () => boolean): Entry[] | undefined {
  bucket.sort((x, y) => x.value - y.value);
  const kept: Entry[] = [];
  for (let at = 0; at < bucket.length; at++) {
    if ((at & 1023) === 1023 && expired()) return undefined;
    const entry = bucket[at]!;
    let dominated = false;
    for (const other of kept) {
      let below = true;
      for (let k = 0; k < rows && below; k++) below = other.weights[k]! <= entry.weights[k]!;
      if (below) {
        dominated = true;
        break;
      }
    }
    if (dominated) continue;
    kept.push(entry);
    if (kept.length > room) return undefined;
  }
  return expired() ? undefined : kept;
}

/** Maximum cardinality search from a member of fewest pairs: each next member has the most pairs to those placed, so the boundary stays small on chains, stars and trees. */
function placementOrder(neighbours: number[][]): number[] {
  const n = neighbours.length;
  const placed = new Uint8Array(n);
  const links = new Int32Array(n);
  const order: number[] = [];
  for (let step = 0; step < n; step++) {
    let pick = -1;
    for (let member = 0; member < n; member++) {
      if (placed[member]) continue;
      if (pick < 0 || links[member]! > links[pick]! || (links[member] === links[pick] && neighbours[member]!.length < neighbours[pick]!.length)) pick = member;
    }
    placed[pick] = 1;
    order.push(pick);
    for (const other of neighbours[pick]!) links[other]! += 1;
  }
  return order;
}
