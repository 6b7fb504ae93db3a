/**
 * The cheapest way to move exactly n_j members of a group of interchangeable items to their
 * alternative j, for every count vector n = (n_1 .. n_s) whose cost stays below the threshold.
 *
 * The members share the weights of their base option and of each alternative, so a count
 * vector fixes the group's weights; only which members move is left, and a knapsack over the
 * members (each moves to at most one alternative) finds the cheapest for every vector at once.
 * With one alternative this is "the n cheapest move"; with two or more it is not a matter of
 * sorting, since a member may be the cheapest for two alternatives.
 *
 * Count vectors are indexed in mixed radix (index = sum n_j * stride_j). Costs are reduced
 * costs (base 0), with the change of the original cost tracked beside them.
 */

export interface GroupTable {
  slots: number;
  /**
   * The members that may move: for each alternative j, the K cheapest for it, K the sum of the
   * largest useful counts. Another member moved to j could swap with one of those K that is
   * left at its base (at most K - 1 of them are moved elsewhere or to j) at no higher cost, so
   * the rest stay at their base in some cheapest choice for every vector.
   */
  movers: Int32Array;
  /** Largest useful count per alternative, plus one. */
  radix: Int32Array;
  stride: Int32Array;
  size: number;
  /** Least reduced cost per count vector; Infinity where none stays below the threshold. */
  reduced: Float64Array;
  /** Change of the original cost of that cheapest choice. */
  costChange: Float64Array;
}

export interface GroupMoves {
  members: number;
  slots: number;
  /** Reduced cost of member i moving to alternative j, at i * slots + j. */
  reduced: Float64Array;
  /** Change of original cost of that move. */
  costChange: Float64Array;
}

/** The table, or undefined when it would hold more than `maxEntries` (movers x vectors for the way back). */
export function groupTable(moves: GroupMoves, threshold: number, maxEntries: number): GroupTable | undefined {
  const { members, slots } = moves;
  // Per alternative, the members by its reduced cost, and how many can move before the
  // cheapest of them reach the threshold.
  const radix = new Int32Array(slots);
  const byCost: number[][] = [];
  for (let j = 0; j < slots; j++) {
    const order: number[] = [];
    for (let i = 0; i < members; i++) if (moves.reduced[i * slots + j]! < threshold) order.push(i);
    order.sort((a, b) => moves.reduced[a * slots + j]! - moves.reduced[b * slots + j]! || a - b);
    let n = 0;
    let sum = 0;
    while (n < order.length && sum + moves.reduced[order[n]! * slots + j]! < threshold) sum += moves.reduced[order[n++]! * slots + j]!;
    radix[j] = n + 1;
    byCost.push(order);
  }
  let useful = 0;
  for (let j = 0; j < slots; j++) useful += radix[j]! - 1;
  const chosen = new Set<number>();
  for (let j = 0; j < slots; j++) for (const i of byCost[j]!.slice(0, useful)) chosen.add(i);
  const movers = Int32Array.from([...chosen].sort((a, b) => a - b));
  const stride = new Int32Array(slots);
  let size = 1;
  for (let j = 0; j < slots; j++) {
    stride[j] = size;
    size *= radix[j]!;
    if (size * movers.length > maxEntries) return undefined;
  }
  const table: GroupTable = { slots, movers, radix, stride, size, reduced: new Float64Array(size).fill(Infinity), costChange: new Float64Array(size) };
  fill(table, moves, threshold);
  return table;
}

/** Per member, the alternative it takes (-1: its base) in the cheapest choice for vector `index`. */
export function groupChoice(table: GroupTable, moves: GroupMoves, threshold: number, index: number): Int32Array {
  const scratch: GroupTable = { ...table, reduced: new Float64Array(table.size).fill(Infinity), costChange: new Float64Array(table.size) };
  const taken = new Uint8Array(table.movers.length * table.size);
  fill(scratch, moves, threshold, taken);
  const choice = new Int32Array(moves.members).fill(-1);
  for (let position = table.movers.length - 1; position >= 0; position--) {
    const slot = taken[position * table.size + index]! - 1;
    if (slot >= 0) {
      choice[table.movers[position]!] = slot;
      index -= table.stride[slot]!;
    }
  }
  return choice;
}

/** The knapsack, mover by mover; `taken` records each mover's move (slot + 1) per vector. */
function fill(table: GroupTable, moves: GroupMoves, threshold: number, taken?: Uint8Array): void {
  const { slots, movers, radix, stride, size, reduced, costChange } = table;
  reduced[0] = 0;
  // Whether vector index has n_j >= 1, per alternative.
  const hasMove = new Uint8Array(size * slots);
  for (let index = 0; index < size; index++) {
    for (let j = 0; j < slots; j++) hasMove[index * slots + j] = Math.floor(index / stride[j]!) % radix[j]! > 0 ? 1 : 0;
  }
  for (let position = 0; position < movers.length; position++) {
    const i = movers[position]!;
    // Descending, so that every index - stride_j still holds the value before this member.
    for (let index = size - 1; index > 0; index--) {
      let best = reduced[index]!;
      let bestChange = costChange[index]!;
      let move = 0;
      for (let j = 0; j < slots; j++) {
        if (!hasMove[index * slots + j]) continue;
        const rc = moves.reduced[i * slots + j]!;
        if (rc >= threshold) continue;
        const candidate = reduced[index - stride[j]!]! + rc;
        if (candidate < best && candidate < threshold) {
          best = candidate;
          bestChange = costChange[index - stride[j]!]! + moves.costChange[i * slots + j]!;
          move = j + 1;
        }
      }
      if (move > 0) {
        reduced[index] = best;
        costChange[index] = bestChange;
      }
      if (taken) taken[position * size + index] = move;
    }
  }
}
