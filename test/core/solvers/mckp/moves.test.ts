import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../../src/core/random.js';
import { Moves } from '../../../../src/core/solvers/mckp/primal.js';

describe('the moves of the primal heuristics', () => {
  it('come in the same order from the heap as from the sort: ratio, then item, then option', () => {
    const next = mulberry32(5);
    for (let trial = 0; trial < 50; trial++) {
      const moves = new Moves();
      const count = Math.floor(next() * 300);
      // Few distinct ratios and items, so that ties are broken by item and option.
      for (let n = 0; n < count; n++) moves.push(Math.floor(next() * 20), Math.floor(next() * 6), [0.5, 1, 2, Infinity, 1e-300][Math.floor(next() * 5)]!);
      const read = (index: number) => `${moves.item[index]}:${moves.option[index]}`;
      const sorted = Array.from(moves.sorted(), read);
      const take = moves.lazily();
      const lazily: string[] = [];
      for (let index = take(); index >= 0; index = take()) lazily.push(read(index));
      expect(lazily).toEqual(sorted);
      expect(sorted).toHaveLength(count);
    }
  });
});
