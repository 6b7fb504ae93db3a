import type { Item } from './items.js';
import type { PlannableLayer } from './layerOptions.js';
import { itemValueBy, quantityReader, type Quantity } from './rows.js';

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
    let column = this.columns.get(quantity);
    if (!column) {
      column = new Float64Array(this.start[this.items.length]!);
      const read = quantityReader(quantity);
      for (let i = 0; i < this.items.length; i++) {
        const item = this.items[i]!;
        for (let j = 0, at = this.start[i]!; at < this.start[i + 1]!; j++, at++) column[at] = itemValueBy(item, this.layers, j, read);
      }
      this.columns.set(quantity, column);
    }
    return column;
  }
}
