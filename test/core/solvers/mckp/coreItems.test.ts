/** Interchangeable items merged into one core item of count vectors. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildCoreItems } from '../../../../src/core/solvers/mckp/coreItems.js';
import { MCKP_DEFAULTS } from '../../../../src/core/solvers/mckp/options.js';

describe('interchangeable items merged', () => {
  it('makes option n the n cheapest moves of the group, with the weights and cost of what it applies', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 7 }),
        fc.double({ min: 0.01, max: 3, noNaN: true }),
        (moveCosts, extra) => {
          // Live options are below the threshold (the caller's promise); their sums need not be.
          const threshold = Math.max(...moveCosts) + extra;
          // Group members: item j has option 2j (weights 1, 2) and option 2j+1 (weights 3, 1),
          // reduced costs 0 and moveCosts[j]. A group of one stays an item of two options.
          const m = 2;
          const items = moveCosts.length;
          const cost = Float64Array.from({ length: 2 * items }, (_, o) => (o % 2 ? 1 + moveCosts[o >> 1]! : 1));
          const weight = Float64Array.from({ length: 4 * items }, (_, x) => [1, 2, 3, 1][x % 4]!);
          const reduced = Float64Array.from({ length: 2 * items }, (_, o) => (o % 2 ? moveCosts[o >> 1]! : 0));
          const live = moveCosts.map((_, j) => ({ item: j, live: [2 * j, 2 * j + 1] }));
          const core = buildCoreItems(live, { cost, weight, reduced, rows: m }, [1, 1], threshold, MCKP_DEFAULTS.maxGroupEntries);
          expect(core.items).toHaveLength(1);
          const merged = core.items;
          const sorted = [...moveCosts].sort((a, b) => a - b);
          merged[0]!.live.forEach((id, n) => {
            // Option n: reduced cost of the n cheapest moves, below the threshold (or n = 0).
            const cheapest = sorted.slice(0, n).reduce((a, b) => a + b, 0);
            expect(core.reduced[id]).toBeCloseTo(cheapest, 12);
            if (n > 0) expect(core.reduced[id]).toBeLessThan(threshold);
            const choice = new Int32Array(items).fill(-1);
            core.apply(id, choice);
            let c = 0;
            const w = [0, 0];
            choice.forEach((o) => {
              c += cost[o]!;
              w[0] = w[0]! + weight[o * m]!;
              w[1] = w[1]! + weight[o * m + 1]!;
            });
            expect(core.cost[id]).toBeCloseTo(c, 12);
            expect([core.weight[id * m], core.weight[id * m + 1]]).toEqual(w);
            expect(choice.filter((o) => o % 2 === 1)).toHaveLength(n);
          });
          // Every n whose cheapest moves stay below the threshold is offered.
          const offered = sorted.filter((_, n) => sorted.slice(0, n + 1).reduce((a, b) => a + b, 0) < threshold).length;
          expect(merged[0]!.live).toHaveLength(offered + 1);
        },
      ),
      { numRuns: 300, seed: 17 },
    );
  });

  it('merges mirrored groups (experts cheapest at X beside experts cheapest at Y) into one item of net moves, the cheapest for each', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 5 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 5 }),
        fc.double({ min: 0.01, max: 3, noNaN: true }),
        (towardY, towardX, extra) => {
          // Item j: option 2j at X (weights 1, 2), option 2j+1 at Y (weights 3, 1). The first
          // items are cheapest at X (moving to Y costs towardY[j]), the others at Y.
          const m = 2;
          const moveCost = [...towardY, ...towardX];
          const items = moveCost.length;
          const threshold = Math.max(...moveCost) + extra;
          const atY = (j: number) => j >= towardY.length;
          const reduced = Float64Array.from({ length: 2 * items }, (_, o) => ((o % 2 === 1) === atY(o >> 1) ? 0 : moveCost[o >> 1]!));
          const cost = Float64Array.from(reduced, (rc) => 1 + rc);
          const weight = Float64Array.from({ length: 4 * items }, (_, x) => [1, 2, 3, 1][x % 4]!);
          const live = moveCost.map((_, j) => ({ item: j, live: atY(j) ? [2 * j + 1, 2 * j] : [2 * j, 2 * j + 1] }));
          const core = buildCoreItems(live, { cost, weight, reduced, rows: m }, [1, 1], threshold, MCKP_DEFAULTS.maxGroupEntries);
          expect(core.items).toHaveLength(1);
          // Every assignment by brute force: the least reduced cost for each number of items at Y.
          const least = new Array<number>(items + 1).fill(Infinity);
          for (let mask = 0; mask < 1 << items; mask++) {
            let rc = 0;
            let ys = 0;
            for (let j = 0; j < items; j++) {
              const o = 2 * j + ((mask >> j) & 1);
              rc += reduced[o]!;
              ys += o % 2;
            }
            least[ys] = Math.min(least[ys]!, rc);
          }
          const offered = core.items[0]!.live.map((id) => {
            const choice = new Int32Array(items).fill(-1);
            core.apply(id, choice);
            let c = 0;
            let rc = 0;
            const w = [0, 0];
            choice.forEach((o) => {
              c += cost[o]!;
              rc += reduced[o]!;
              w[0] = w[0]! + weight[o * m]!;
              w[1] = w[1]! + weight[o * m + 1]!;
            });
            // What the option says is what it applies, and it is the cheapest way to its weights.
            expect(core.cost[id]).toBeCloseTo(c, 12);
            expect(core.reduced[id]).toBeCloseTo(rc, 12);
            expect([core.weight[id * m], core.weight[id * m + 1]]).toEqual(w);
            const ys = choice.filter((o) => o % 2 === 1).length;
            expect(rc).toBeCloseTo(least[ys]!, 12);
            return ys;
          });
          // One option per number at Y whose cheapest way stays below the threshold, no other.
          expect(new Set(offered).size).toBe(offered.length);
          expect([...offered].sort((a, b) => a - b)).toEqual(least.flatMap((rc, ys) => (rc < threshold ? [ys] : [])));
        },
      ),
      { numRuns: 300, seed: 23 },
    );
  });
});
