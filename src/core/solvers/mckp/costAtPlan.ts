import type { FlatInstance } from './flat.js';
import type { FlatPair } from './pairForest.js';

/**
 * Item i's own cost at option o plus its pair terms with every other item at `choice` (flat
 * option indices per item): what moving i alone to o costs, up to the terms of the rest.
 * `pairsOf[i]` lists the pairs on item i.
 */
export function costAtPlan(inst: FlatInstance, pairs: readonly FlatPair[], pairsOf: readonly number[][], choice: Int32Array, i: number, o: number): number {
  const { start, cost } = inst;
  let value = cost[o]!;
  for (const p of pairsOf[i]!) {
    const pair = pairs[p]!;
    value += pair.a === i
      ? pair.table[(o - start[i]!) * pair.width + choice[pair.b]! - start[pair.b]!]!
      : pair.table[(choice[pair.a]! - start[pair.a]!) * pair.width + o - start[i]!]!;
  }
  return value;
}
