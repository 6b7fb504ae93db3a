import type { Item } from './items.js';
import type { PlannableLayer } from './layerOptions.js';
import { quantityReader, type Quantity } from './rows.js';

/**
 * Every item's value of a quantity at each of its candidates (summed over its members), one flat
 * array per quantity, made when first asked for and kept for the problem: the limits' ranges,
 * the solver's instance and the plan's description read the same values, a million reads through
 * the options on a 45,000-layer model each time they were made anew.
 */
export class ItemValues {
  /** Where item i's candidates start in every column: item i, candidate j at start[i] + j. */
  readonly start: Int32Array;
  private readonly columns = new Map<Quantity, Float64Array>();

  constructor(
    readonly items: readonly Item[],
    private readonly layers: readonly PlannableLayer[],
  ) {
    this.start = new Int32Array(items.length + 1);
    for (let i = 0; i < items.length; i++) this.start[i + 1] = this.start[i]! + items[i]!.candidateIds.length;
  }

  /** The column of one quantity (NaN where an option has no value of it). */
  of(quantity: Quantity): Float64Array {
    if (!this.columns.has(quantity)) this.make([quantity]);
    return this.columns.get(quantity)!;
  }

  /**
   * Makes the columns of these quantities (those not made yet) in one pass over the options: on
   * a 45,000-layer model reading an option is a cache miss, so each is read once, not once per
   * quantity. An item's value is the sum over its members, in their order.
   */
  make(quantities: readonly Quantity[]): void {
    const wanted = [...new Set(quantities)].filter((quantity) => !this.columns.has(quantity));
    if (wanted.length === 0) return;
    const reads = wanted.map(quantityReader);
    const columns = wanted.map(() => new Float64Array(this.start[this.items.length]!));
    const { items, layers, start } = this;
    for (let i = 0; i < items.length; i++) {
      const { members, choices } = items[i]!;
      for (let j = 0, at = start[i]!; at < start[i + 1]!; j++, at++) {
        const choice = choices[j]!;
        for (let k = 0; k < members.length; k++) {
          const option = layers[members[k]!]!.options[choice[k]!]!;
          for (let q = 0; q < reads.length; q++) columns[q]![at] = columns[q]![at]! + (reads[q]!(option) ?? Number.NaN);
        }
      }
    }
    wanted.forEach((quantity, q) => this.columns.set(quantity, columns[q]!));
  }
}

/** The least and the most any assignment reaches on one quantity (each item at its extremes). */
export function quantityRange(values: ItemValues, quantity: Quantity): { least: number; most: number } {
  const column = values.of(quantity);
  const { start } = values;
  let least = 0;
  let most = 0;
  for (let i = 0; i + 1 < start.length; i++) {
    let low = Infinity;
    let high = -Infinity;
    for (let at = start[i]!; at < start[i + 1]!; at++) {
      low = Math.min(low, column[at]!);
      high = Math.max(high, column[at]!);
    }
    least += low;
    most += high;
  }
  return { least, most };
}
