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
      // Read each move as it comes: the generators reuse one object.
      const read = (order: Iterable<{ item: number; option: number }>) => Array.from(order, (move) => `${move.item}:${move.option}`);
      const sorted = read(moves.bestFirst());
      const lazily = read(moves.bestFirstLazily());
      expect(lazily).toEqual(sorted);
      expect(sorted).toHaveLength(count);
    }
  });
});
