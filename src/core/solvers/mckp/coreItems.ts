/**
 * The items of the core program, with interchangeable items merged.
 *
 * Items whose live options have the same weights as another item's (the experts of a
 * mixture-of-experts model, the blocks of a transformer) differ only in cost. Which of them
 * move from their cheapest option (the base) to which alternative changes the cost only: the
 * weights depend on how many move to each alternative. So a group of such items is one item
 * whose options are count vectors, each costing the cheapest way to realise it (groupTable.ts),
 * while that stays below the threshold: a few dozen options instead of thousands of stages,
 * each of which the program would otherwise spend a pass over every state on.
 */

import { groupChoice, groupTable, type GroupMoves, type GroupTable } from './groupTable.js';

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
  members: number[]; // instance items
  base: number[]; // their cheapest options
  alternatives: number[][]; // per member, its option for each alternative slot
}

export function buildCoreItems(
  liveItems: LiveItem[],
  source: { cost: Float64Array; weight: Float64Array; reduced: Float64Array; rows: number },
  price: ArrayLike<number>,
  threshold: number,
  /** Table entries a group may need to be merged (MckpOptions.maxGroupEntries); larger groups stay apart. */
  maxGroupEntries: number,
): CoreItems {
  const { rows: m } = source;
  const weightKey = (o: number) => Array.from(source.weight.subarray(o * m, o * m + m)).join(',');
  const groups = new Map<string, Group>();
  for (const entry of liveItems) {
    // Alternatives in a slot order that depends on their weights only.
    const [base, ...others] = entry.live as [number, ...number[]];
    const slotted = others.map((o) => ({ o, key: weightKey(o) })).sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
    const key = `${weightKey(base)};${slotted.map((x) => x.key).join(';')}`;
    const group = groups.get(key) ?? { members: [], base: [], alternatives: [] };
    group.members.push(entry.item);
    group.base.push(base);
    group.alternatives.push(slotted.map((x) => x.o));
    groups.set(key, group);
  }

  const cost: number[] = [];
  const weight: number[] = [];
  const reduced: number[] = [];
  // What option id stands for: an instance option of one item (owner >= 0), or count vector
  // `optionOrVector` of merged group -owner-1.
  const owner: number[] = [];
  const optionOrVector: number[] = [];
  const merged: { group: Group; moves: GroupMoves; table: GroupTable }[] = [];
  const items: CoreItem[] = [];
  const addOption = (c: number, w: ArrayLike<number>, rc: number, who: number, what: number): number => {
    cost.push(c);
    for (let k = 0; k < m; k++) weight.push(w[k]!);
    reduced.push(rc);
    owner.push(who);
    optionOrVector.push(what);
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

  for (const group of groups.values()) {
    const slots = group.alternatives[0]!.length;
    const moves: GroupMoves = {
      members: group.members.length,
      slots,
      reduced: new Float64Array(group.members.length * slots),
      costChange: new Float64Array(group.members.length * slots),
    };
    group.members.forEach((_, i) => {
      const base = group.base[i]!;
      group.alternatives[i]!.forEach((o, j) => {
        moves.reduced[i * slots + j] = source.reduced[o]! - source.reduced[base]!;
        moves.costChange[i * slots + j] = source.cost[o]! - source.cost[base]!;
      });
    });
    const table = group.members.length > 1 ? groupTable(moves, threshold, maxGroupEntries) : undefined;
    if (!table) {
      // A group of one, or too large a table: its members are items like any other.
      group.members.forEach((item, i) => {
        const options = [group.base[i]!, ...group.alternatives[i]!].sort((a, b) => source.reduced[a]! - source.reduced[b]! || a - b);
        const live = options.map((o) => addOption(source.cost[o]!, source.weight.subarray(o * m, o * m + m), source.reduced[o]!, item, o));
        items.push({ live, spread: spreadOf(live), second: source.reduced[options[1]!]!, first: item });
      });
      continue;
    }
    // The group with every member at its base, then each count vector's change.
    let baseCost = 0;
    const baseWeight = new Float64Array(m);
    for (const o of group.base) {
      baseCost += source.cost[o]!;
      for (let k = 0; k < m; k++) baseWeight[k] = baseWeight[k]! + source.weight[o * m + k]!;
    }
    const shift = Array.from({ length: slots }, (_, j) => {
      const [base, alternative] = [group.base[0]!, group.alternatives[0]![j]!];
      return Array.from({ length: m }, (_, k) => source.weight[alternative * m + k]! - source.weight[base * m + k]!);
    });
    const id = merged.push({ group, moves, table }) - 1;
    const vectors: number[] = [];
    for (let index = 0; index < table.size; index++) if (table.reduced[index]! < threshold) vectors.push(index);
    vectors.sort((a, b) => table.reduced[a]! - table.reduced[b]! || a - b);
    const w = new Float64Array(m);
    const live = vectors.map((index) => {
      w.set(baseWeight);
      for (let j = 0; j < slots; j++) {
        const n = Math.floor(index / table.stride[j]!) % table.radix[j]!;
        for (let k = 0; k < m; k++) w[k] = w[k]! + n * shift[j]![k]!;
      }
      return addOption(baseCost + table.costChange[index]!, w, table.reduced[index]!, -id - 1, index);
    });
    // Every member has an alternative below the threshold, so there are at least two vectors.
    const first = group.members.reduce((a, b) => Math.min(a, b));
    items.push({ live, spread: spreadOf(live), second: reduced[live[1] ?? live[0]!]!, first });
  }
  return {
    items,
    cost: Float64Array.from(cost),
    weight: Float64Array.from(weight),
    reduced: Float64Array.from(reduced),
    apply: (id, choice) => {
      if (owner[id]! >= 0) {
        choice[owner[id]!] = optionOrVector[id]!;
        return;
      }
      const { group, moves, table } = merged[-owner[id]! - 1]!;
      const slots = groupChoice(table, moves, threshold, optionOrVector[id]!);
      group.members.forEach((item, i) => (choice[item] = slots[i]! < 0 ? group.base[i]! : group.alternatives[i]![slots[i]!]!));
    },
  };
}
