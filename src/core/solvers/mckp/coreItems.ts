/**
 * The items of the core program, with interchangeable items merged.
 *
 * Items whose live options have the same weights as another item's (the experts of a
 * mixture-of-experts model, the blocks of a transformer) differ only in cost. Which of them
 * move from their cheapest option (the base) to which alternative changes the cost only: the
 * weights depend on how many move to each alternative. So a group of such items is one item
 * whose options are count vectors, each costing the cheapest way to realise it (groupTable.ts),
 * while that stays below the threshold: a few dozen options instead of thousands of stages,
 * each of which the program would otherwise spend a pass over every state on. Two groups
 * that mirror each other (same two formats, one cheapest at either) are one item of net moves.
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
  /** The weight classes (weightClasses) of the base and of each alternative slot: the group's key, in parts. */
  baseKey: number;
  slotKeys: number[];
}

/** A merged group: its members, their moves and its table of count vectors. */
interface Part {
  group: Group;
  moves: GroupMoves;
  table: GroupTable;
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
  const weightKey = weightClasses(source.weight, m);
  const groups = new Map<string, Group>();
  for (const entry of liveItems) {
    // Alternatives in a slot order that depends on their weights only.
    const [base, ...others] = entry.live as [number, ...number[]];
    const slotted = others.map((o) => ({ o, key: weightKey(o) })).sort((x, y) => x.key - y.key);
    const baseKey = weightKey(base);
    const key = `${baseKey};${slotted.map((x) => x.key).join(';')}`;
    const group = groups.get(key) ?? { members: [], base: [], alternatives: [], baseKey, slotKeys: slotted.map((x) => x.key) };
    group.members.push(entry.item);
    group.base.push(base);
    group.alternatives.push(slotted.map((x) => x.o));
    groups.set(key, group);
  }

  const cost: number[] = [];
  const weight: number[] = [];
  const reduced: number[] = [];
  // What option id stands for: an instance option of one item (owner >= 0), or count vector
  // `optionOrVector` of part `optionPart` of merged entry -owner-1.
  const owner: number[] = [];
  const optionOrVector: number[] = [];
  const optionPart: number[] = [];
  const merged: Part[][] = [];
  const items: CoreItem[] = [];
  const addOption = (c: number, w: ArrayLike<number>, rc: number, who: number, what: number, part = 0): number => {
    cost.push(c);
    for (let k = 0; k < m; k++) weight.push(w[k]!);
    reduced.push(rc);
    owner.push(who);
    optionOrVector.push(what);
    optionPart.push(part);
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
  /** The summed base cost and weights of every member of the parts. */
  const baseOf = (parts: Part[]) => {
    let baseCost = 0;
    const baseWeight = new Float64Array(m);
    for (const { group } of parts) {
      for (const o of group.base) {
        baseCost += source.cost[o]!;
        for (let k = 0; k < m; k++) baseWeight[k] = baseWeight[k]! + source.weight[o * m + k]!;
      }
    }
    return { baseCost, baseWeight };
  };
  /** Per slot, the weight change of one member moving from its base to it (the same for every member). */
  const shiftsOf = ({ group, table }: Part) =>
    Array.from({ length: table.slots }, (_, j) => {
      const [base, alternative] = [group.base[0]!, group.alternatives[0]![j]!];
      return Array.from({ length: m }, (_, k) => source.weight[alternative * m + k]! - source.weight[base * m + k]!);
    });
  /**
   * One core item for merged parts: part 0's count vectors below the threshold, then the other
   * parts' vectors but their empty one (every member at its base, already part 0's vector 0).
   */
  const addMerged = (parts: Part[]) => {
    const id = merged.push(parts) - 1;
    const { baseCost, baseWeight } = baseOf(parts);
    const vectors: { part: number; index: number; reduced: number }[] = [];
    parts.forEach(({ table }, part) => {
      for (let index = part === 0 ? 0 : 1; index < table.size; index++) if (table.reduced[index]! < threshold) vectors.push({ part, index, reduced: table.reduced[index]! });
    });
    vectors.sort((a, b) => a.reduced - b.reduced || a.part - b.part || a.index - b.index);
    const shifts = parts.map(shiftsOf);
    const w = new Float64Array(m);
    const live = vectors.map(({ part, index, reduced: rc }) => {
      const { table } = parts[part]!;
      w.set(baseWeight);
      for (let j = 0; j < table.slots; j++) {
        const n = Math.floor(index / table.stride[j]!) % table.radix[j]!;
        for (let k = 0; k < m; k++) w[k] = w[k]! + n * shifts[part]![j]![k]!;
      }
      return addOption(baseCost + table.costChange[index]!, w, rc, -id - 1, index, part);
    });
    // Every member has an alternative below the threshold, so there are at least two vectors.
    let first = Infinity;
    for (const { group } of parts) for (const item of group.members) first = Math.min(first, item);
    items.push({ live, spread: spreadOf(live), second: reduced[live[1] ?? live[0]!]!, first });
  };

  /** The group's members as items of their own options (a group of one, or too large a table). */
  const addMembers = (group: Group) =>
    group.members.forEach((item, i) => {
      const options = [group.base[i]!, ...group.alternatives[i]!].sort((a, b) => source.reduced[a]! - source.reduced[b]! || a - b);
      const live = options.map((o) => addOption(source.cost[o]!, source.weight.subarray(o * m, o * m + m), source.reduced[o]!, item, o));
      items.push({ live, spread: spreadOf(live), second: source.reduced[options[1]!]!, first: item });
    });

  // Groups with one alternative come in mirrored pairs on mixture-of-experts models: experts of
  // one shape whose two live formats are X and Y, some cheapest at X, the others at Y. Their
  // weights depend only on the net count moved from X to Y, and moving members both ways costs
  // more than the net move alone (reduced costs are >= 0), so the pair is one item of net counts:
  // a few dozen options where two items would give the program their product.
  const single = new Map<string, Part>();
  const paired = new Set<Part>();
  const parts: Part[] = [];
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
    // A group of one is an item like any other, unless it has a mirror to pair with.
    const mirrored = slots === 1 && groups.has(`${group.slotKeys[0]};${group.baseKey}`);
    const table = group.members.length > 1 || mirrored ? groupTable(moves, threshold, maxGroupEntries) : undefined;
    if (!table) {
      addMembers(group);
      continue;
    }
    const part = { group, moves, table };
    parts.push(part);
    if (slots === 1) single.set(`${group.baseKey};${group.slotKeys[0]}`, part);
  }
  for (const part of parts) {
    if (paired.has(part)) continue;
    const { group } = part;
    const mirror = group.slotKeys.length === 1 ? single.get(`${group.slotKeys[0]};${group.baseKey}`) : undefined;
    if (mirror) {
      paired.add(mirror);
      addMerged([part, mirror]);
    } else if (group.members.length === 1) {
      addMembers(group);
    } else {
      addMerged([part]);
    }
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
      merged[-owner[id]! - 1]!.forEach(({ group, moves, table }, part) => {
        const slots = part === optionPart[id] ? groupChoice(table, moves, threshold, optionOrVector[id]!) : undefined;
        group.members.forEach((item, i) => (choice[item] = slots && slots[i]! >= 0 ? group.alternatives[i]![slots[i]!]! : group.base[i]!));
      });
    },
  };
}

/**
 * Per option of a weight array, a number shared by exactly the options of equal weights, made
 * when first asked for and kept for the array: a solve's proof rounds group the same options
 * again and again, and a string key per option per round was a tenth of their set-up.
 */
function weightClasses(weight: Float64Array, m: number): (option: number) => number {
  let known = WEIGHT_CLASSES.get(weight);
  if (!known) WEIGHT_CLASSES.set(weight, (known = { ids: new Int32Array(weight.length / Math.max(1, m)).fill(-1), byKey: new Map() }));
  const { ids, byKey } = known;
  return (option) => {
    let id = ids[option]!;
    if (id >= 0) return id;
    let key = '';
    for (let k = 0; k < m; k++) key += `${weight[option * m + k]!},`;
    id = byKey.get(key) ?? byKey.size;
    byKey.set(key, id);
    ids[option] = id;
    return id;
  };
}
const WEIGHT_CLASSES = new WeakMap<Float64Array, { ids: Int32Array; byKey: Map<string, number> }>();
