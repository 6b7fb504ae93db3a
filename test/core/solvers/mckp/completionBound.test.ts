/** Completion bounds against enumeration of every completion. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CompletionBounds } from '../../../../src/core/solvers/mckp/completionBound.js';

describe('completion bounds with one row kept', () => {
  const instance = fc
    .record({ m: fc.integer({ min: 1, max: 3 }), items: fc.integer({ min: 1, max: 6 }) })
    .chain(({ m, items }) =>
      fc.record({
        m: fc.constant(m),
        options: fc.array(
          fc.array(
            fc.record({
              cost: fc.double({ min: 0, max: 1, noNaN: true }),
              weight: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: m, maxLength: m }),
            }),
            { minLength: 1, maxLength: 4 },
          ),
          { minLength: items, maxLength: items },
        ),
        price: fc.array(fc.double({ min: 0, max: 2, noNaN: true }), { minLength: m, maxLength: m }),
        room: fc.array(fc.double({ min: 0, max: 4, noNaN: true }), { minLength: m, maxLength: m }),
        used: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: m, maxLength: m }),
        maxEntries: fc.constantFrom(1, 4, 1_000_000),
      }),
    );

  it('never exceeds the least cost of a feasible completion, at every position, with or without checkpoints', () => {
    fc.assert(
      fc.property(instance, ({ m, options, price, room, used, maxEntries }) => {
        const cost = Float64Array.from(options.flat(), (o) => o.cost);
        const weight = Float64Array.from(options.flat().flatMap((o) => o.weight));
        let next = 0;
        const live = options.map((item) => item.map(() => next++));
        const bounds = new CompletionBounds({ live, cost, weight, rows: m }, price, room, maxEntries);
        const state = Float64Array.from(used);
        for (let t = 0; t <= live.length; t++) {
          // Least cost of the items from t on that keeps used + their weights within room.
          let least = Infinity;
          const visit = (i: number, c: number, w: number[]) => {
            if (i === live.length) {
              if (w.every((v, k) => v <= room[k]!)) least = Math.min(least, c);
              return;
            }
            for (const o of live[i]!) visit(i + 1, c + cost[o]!, w.map((v, k) => v + weight[o * m + k]!));
          };
          visit(t, 0.5, Array.from(state));
          // A state that can complete below a ceiling is never pruned at it.
          if (least < Infinity) expect(bounds.reaches(t, 0.5, state, 0, least + 1e-9)).toBe(false);
        }
      }),
      { numRuns: 400, seed: 11 },
    );
  });

  it('is exact where no row binds: it reaches any ceiling up to the cheapest completion', () => {
    // Three items of two options (cost; weights in two rows), room for everything, no prices.
    const cost = Float64Array.of(3, 1, 2, 5, 4, 4.5);
    const weight = Float64Array.of(1, 1, 2, 2, 1, 3, 1, 1, 2, 1, 1, 2);
    const bounds = new CompletionBounds({ live: [[0, 1], [2, 3], [4, 5]], cost, weight, rows: 2 }, [0, 0], [100, 100], 1_000_000);
    const state = Float64Array.of(0, 0);
    // From position t the cheapest completion of a state of cost 0.5 is 0.5 + the least costs from t on.
    const least = [0.5 + 1 + 2 + 4, 0.5 + 2 + 4, 0.5 + 4, 0.5];
    least.forEach((value, t) => {
      expect(bounds.reaches(t, 0.5, state, 0, value - 1e-9)).toBe(true);
      expect(bounds.reaches(t, 0.5, state, 0, value + 1e-9)).toBe(false);
    });
  });
});
