/** The connected groups of items that pairs join: what merging, branching and the choice of search look at. */
export interface PairGroups {
  /** Every group (singletons included), in order of first item: its items ascending and the pairs inside it. */
  groups: { items: number[]; pairs: number[] }[];
  /** Items in the largest group (0 without items). */
  largest: number;
  /** Pairs that close a cycle (0 when the pairs used form a forest). */
  cycleClosing: number;
}

/** The groups of `itemCount` items joined by `pairs` (the indices in `used`, or all of them), by union-find. */
export function pairGroups(itemCount: number, pairs: readonly { a: number; b: number }[], used?: readonly number[]): PairGroups {
  const parent = Int32Array.from({ length: itemCount }, (_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  const indices = used ?? pairs.map((_, p) => p);
  let cycleClosing = 0;
  for (const p of indices) {
    const a = find(pairs[p]!.a);
    const b = find(pairs[p]!.b);
    if (a === b) cycleClosing++;
    else parent[a] = b;
  }
  const groupOf = new Int32Array(itemCount).fill(-1);
  const groups: PairGroups['groups'] = [];
  for (let i = 0; i < itemCount; i++) {
    const root = find(i);
    if (groupOf[root]! < 0) groupOf[root] = groups.push({ items: [], pairs: [] }) - 1;
    groups[groupOf[root]!]!.items.push(i);
  }
  for (const p of indices) groups[groupOf[find(pairs[p]!.a)]!]!.pairs.push(p);
  return { groups, largest: groups.reduce((most, group) => Math.max(most, group.items.length), 0), cycleClosing };
}
