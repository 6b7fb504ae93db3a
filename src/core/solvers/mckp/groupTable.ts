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

/** The table, or undefined when it would hold more than `maxEntries` (members x vectors for the way back). */
export function groupTable(moves: GroupMoves, threshold: number, maxEntries: number): GroupTable | undefined {
  const { members, slots } = moves;
  // Per alternative, how many members can move before the cheapest of them reach the threshold.
  const radix = new Int32Array(slots);
  for (let j = 0; j < slots; j++) {
    const costs: number[] = [];
    for (let i = 0; i < members; i++) if (moves.reduced[i * slots + j]! < threshold) costs.push(moves.reduced[i * slots + j]!);
    costs.sort((a, b) => a - b);
    let n = 0;
    let sum = 0;
    while (n < costs.length && sum + costs[n]! < threshold) sum += costs[n++]!;
    radix[j] = n + 1;
  }
  const stride = new Int32Array(slots);
  let size = 1;
  for (let j = 0; j < slots; j++) {
    stride[j] = size;
    size *= radix[j]!;
    if (size * members > maxEntries) return undefined;
  }
  const table: GroupTable = { slots, radix, stride, size, reduced: new Float64Array(size).fill(Infinity), costChange: new Float64Array(size) };
  fill(table, moves, threshold);
  return table;
}

/** Per member, the alternative it takes (-1: its base) in the cheapest choice for vector `index`. */
export function groupChoice(table: GroupTable, moves: GroupMoves, threshold: number, index: number): Int32Array {
  const scratch: GroupTable = { ...table, reduced: new Float64Array(table.size).fill(Infinity), costChange: new Float64Array(table.size) };
  const taken = new Uint8Array(moves.members * table.size);
  fill(scratch, moves, threshold, taken);
  const choice = new Int32Array(moves.members).fill(-1);
  for (let i = moves.members - 1; i >= 0; i--) {
    const slot = taken[i * table.size + index]! - 1;
    if (slot >= 0) {
      choice[i] = slot;
      index -= table.stride[slot]!;
    }
  }
  return choice;
}

/** The knapsack, member by member; `taken` records each member's move (slot + 1) per vector. */
function fill(table: GroupTable, moves: GroupMoves, threshold: number, taken?: Uint8Array): void {
  const { slots, radix, stride, size, reduced, costChange } = table;
  reduced[0] = 0;
  // Whether vector index has n_j >= 1, per alternative.
  const hasMove = new Uint8Array(size * slots);
  for (let index = 0; index < size; index++) {
    for (let j = 0; j < slots; j++) hasMove[index * slots + j] = Math.floor(index / stride[j]!) % radix[j]! > 0 ? 1 : 0;
  }
  for (let i = 0; i < moves.members; i++) {
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
      if (taken) taken[i * size + index] = move;
    }
  }
}
