/**
 * The items of the core program, with interchangeable items merged.
 *
 * Items whose two live options have the same weights as another item's two (the experts of a
 * mixture-of-experts model, the blocks of a transformer) differ only in cost. Of any n of them
 * moved from their first option to their second, the n with the least reduced cost are the
 * cheapest, and the weights are the same whichever n move. So a group of such items is one
 * item whose options are "the n cheapest move", n = 0, 1, ... while the reduced costs summed
 * stay below the threshold: a few dozen options instead of thousands of two-option stages,
 * each of which the program would otherwise spend a pass over every state on.
 */

export interface CoreItem {
  /** Option ids (into CoreItems' arrays), by reduced cost. */
  live: number[];
  /** How far the item can swing the rows, priced by the multipliers. */
  spread: number;
  /** Reduced cost of its second option. */
  second: number;
  /** Lowest instance item it stands for (for a deterministic order). */
  first: number;
}

export interface CoreItems {
  items: CoreItem[];
  cost: Float64Array;
  weight: Float64Array;
  reduced: Float64Array;
  /** Writes the instance options that core option `id` stands for into `choice`. */
  apply(id: number, choice: Int32Array): void;
}

export interface LiveItem {
  item: number;
  /** Instance option indices below the threshold, by reduced cost (at least two). */
  live: number[];
}

interface Group {
  members: number[]; // instance items, by reduced cost of their second option
  base: number[]; // their first options
  alternative: number[]; // their second options
}

export function buildCoreItems(
  liveItems: LiveItem[],
  source: { cost: Float64Array; weight: Float64Array; reduced: Float64Array; rows: number },
  price: ArrayLike<number>,
  threshold: number,
): CoreItems {
  const { rows: m } = source;
  const weightKey = (o: number) => Array.from(source.weight.subarray(o * m, o * m + m)).join(',');
  const groups = new Map<string, Group>();
  const singles: LiveItem[] = [];
  for (const entry of liveItems) {
    if (entry.live.length !== 2) {
      singles.push(entry);
      continue;
    }
    const [base, alternative] = entry.live as [number, number];
    const key = `${weightKey(base)};${weightKey(alternative)}`;
    const group = groups.get(key) ?? { members: [], base: [], alternative: [] };
    group.members.push(entry.item);
    group.base.push(base);
    group.alternative.push(alternative);
    groups.set(key, group);
  }

  const cost: number[] = [];
  const weight: number[] = [];
  const reduced: number[] = [];
  // What option id stands for: an instance option of one item (owner >= 0), or the first
  // `moved` members of group -owner-1 moved to their second option.
  const owner: number[] = [];
  const optionOrMoved: number[] = [];
  const grouped: { members: number[]; base: number[]; alternative: number[] }[] = [];
  const items: CoreItem[] = [];
  const addOption = (c: number, w: ArrayLike<number>, rc: number, who: number, what: number): number => {
    cost.push(c);
    for (let k = 0; k < m; k++) weight.push(w[k]!);
    reduced.push(rc);
    owner.push(who);
    optionOrMoved.push(what);
    return cost.length - 1;
  };
  const spreadOf = (live: number[]) => {
    let spread = 0;
    for (let k = 0; k < m; k++) {
      let low = Infinity;
      let high = -Infinity;
      for (const id of live) {
        low = Math.min(low, weight[id * m + k]!);
        high = Math.max(high, weight[id * m + k]!);
      }
      spread += (high - low) * price[k]!;
    }
    return spread;
  };

  // A group of one is an item like any other.
  for (const [key, group] of groups) {
    if (group.members.length > 1) continue;
    singles.push({ item: group.members[0]!, live: [group.base[0]!, group.alternative[0]!] });
    groups.delete(key);
  }
  singles.sort((a, b) => a.item - b.item);
  for (const { item, live: options } of singles) {
    const live = options.map((o) => addOption(source.cost[o]!, source.weight.subarray(o * m, o * m + m), source.reduced[o]!, item, o));
    items.push({ live, spread: spreadOf(live), second: source.reduced[options[1]!]!, first: item });
  }
  for (const group of groups.values()) {
    const order = group.members.map((_, j) => j);
    order.sort((a, b) => source.reduced[group.alternative[a]!]! - source.reduced[group.alternative[b]!]! || group.members[a]! - group.members[b]!);
    const members = order.map((j) => group.members[j]!);
    const base = order.map((j) => group.base[j]!);
    const alternative = order.map((j) => group.alternative[j]!);
    // Option n: the first n members (least reduced cost) take their second option.
    let c = 0;
    const w = new Float64Array(m);
    for (let j = 0; j < members.length; j++) {
      c += source.cost[base[j]!]!;
      for (let k = 0; k < m; k++) w[k] = w[k]! + source.weight[base[j]! * m + k]!;
    }
    const live: number[] = [];
    const id = grouped.push({ members, base, alternative }) - 1;
    let rc = 0;
    for (let n = 0; n <= members.length && rc < threshold; n++) {
      live.push(addOption(c, w, rc, -id - 1, n));
      if (n === members.length) break;
      c += source.cost[alternative[n]!]! - source.cost[base[n]!]!;
      for (let k = 0; k < m; k++) w[k] = w[k]! + source.weight[alternative[n]! * m + k]! - source.weight[base[n]! * m + k]!;
      rc += source.reduced[alternative[n]!]! - source.reduced[base[n]!]!;
    }
    const second = reduced[live[1]!]!;
    items.push({ live, spread: spreadOf(live), second, first: Math.min(...members) });
  }
  return {
    items,
    cost: Float64Array.from(cost),
    weight: Float64Array.from(weight),
    reduced: Float64Array.from(reduced),
    apply: (id, choice) => {
      if (owner[id]! >= 0) {
        choice[owner[id]!] = optionOrMoved[id]!;
        return;
      }
      const { members, base, alternative } = grouped[-owner[id]! - 1]!;
      const moved = optionOrMoved[id]!;
      for (let j = 0; j < members.length; j++) choice[members[j]!] = j < moved ? alternative[j]! : base[j]!;
    },
  };
}
