/** The count vectors of a group against enumeration of every choice of movers. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { groupChoice, groupTable } from '../../../../src/core/solvers/mckp/groupTable.js';

describe('count vectors of a group', () => {
  it('costs each vector what the cheapest choice of movers costs, and realises it', () => {
    const group = fc
      .record({ members: fc.integer({ min: 1, max: 6 }), slots: fc.integer({ min: 1, max: 3 }) })
      .chain(({ members, slots }) =>
        fc.record({
          members: fc.constant(members),
          slots: fc.constant(slots),
          reduced: fc.array(fc.integer({ min: 0, max: 12 }).map((n) => n / 4), { minLength: members * slots, maxLength: members * slots }),
          threshold: fc.integer({ min: 1, max: 40 }).map((n) => n / 4),
        }),
      );
    fc.assert(
      fc.property(group, ({ members, slots, reduced, threshold }) => {
        const moves = { members, slots, reduced: Float64Array.from(reduced), costChange: Float64Array.from(reduced, (r) => 2 * r + 1) };
        const table = groupTable(moves, threshold, 1e9)!;
        // Every assignment of members to base (-1) or a slot, by count vector: the least cost.
        const least = new Map<string, number>();
        const visit = (i: number, counts: number[], cost: number) => {
          if (i === members) {
            const key = counts.join(',');
            if (cost < threshold) least.set(key, Math.min(least.get(key) ?? Infinity, cost));
            return;
          }
          visit(i + 1, counts, cost);
          for (let j = 0; j < slots; j++) {
            const next = [...counts];
            next[j]!++;
            visit(i + 1, next, cost + reduced[i * slots + j]!);
          }
        };
        visit(0, new Array(slots).fill(0), 0);
        const vectorOf = (index: number) => Array.from({ length: slots }, (_, j) => Math.floor(index / table.stride[j]!) % table.radix[j]!);
        let offered = 0;
        for (let index = 0; index < table.size; index++) {
          const key = vectorOf(index).join(',');
          if (table.reduced[index]! >= threshold) {
            expect(least.has(key)).toBe(false);
            continue;
          }
          offered++;
          expect(table.reduced[index]).toBeCloseTo(least.get(key)!, 12);
          const choice = groupChoice(table, moves, threshold, index);
          const counts = new Array(slots).fill(0);
          let cost = 0;
          let change = 0;
          choice.forEach((slot, i) => {
            if (slot < 0) return;
            counts[slot]++;
            cost += reduced[i * slots + slot]!;
            change += moves.costChange[i * slots + slot]!;
          });
          expect(counts.join(',')).toBe(key);
          expect(cost).toBeCloseTo(table.reduced[index]!, 12);
          expect(change).toBeCloseTo(table.costChange[index]!, 12);
        }
        // And no vector below the threshold is missing.
        expect(offered).toBe(least.size);
      }),
      { numRuns: 300, seed: 29 },
    );
  });
});
