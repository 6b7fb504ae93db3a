/** Row propagation against enumeration: it removes only options no plan within every row can use. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { withinCapacity } from '../../../../src/core/solvers/instance.js';
import type { FlatInstance } from '../../../../src/core/solvers/mckp/flat.js';
import { propagateRows } from '../../../../src/core/solvers/mckp/rowPropagation.js';

interface Case {
  core: FlatInstance;
  alive: Uint8Array;
}

/** Small flat instances (1-3 rows, some options already dead) with capacities from the least reachable to the most. */
const cases = fc
  .record({
    rows: fc.integer({ min: 1, max: 3 }),
    items: fc.array(fc.array(fc.record({ weights: fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 3, maxLength: 3 }), alive: fc.boolean() }), { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 6 }),
    fractions: fc.array(fc.double({ min: -0.05, max: 0.5, noNaN: true }), { minLength: 3, maxLength: 3 }),
  })
  .map(({ rows, items, fractions }): Case => {
    const start = new Int32Array(items.length + 1);
    const weight: number[] = [];
    const alive: number[] = [];
    items.forEach((options, i) => {
      start[i + 1] = start[i]! + options.length;
      // An item keeps one live option (its first) whatever was drawn.
      options.forEach((option, j) => (weight.push(...option.weights.slice(0, rows)), alive.push(j === 0 || option.alive ? 1 : 0)));
    });
    const capacity = new Float64Array(rows);
    for (let k = 0; k < rows; k++) {
      let least = 0;
      let most = 0;
      items.forEach((_, i) => {
        const column = Array.from({ length: start[i + 1]! - start[i]! }, (_, j) => weight[(start[i]! + j) * rows + k]!);
        least += Math.min(...column);
        most += Math.max(...column);
      });
      capacity[k] = Math.round(least + fractions[k]! * (most - least));
    }
    const options = start[items.length]!;
    const core: FlatInstance = {
      items: items.length,
      rows,
      start,
      cost: new Float64Array(options),
      weight: Float64Array.from(weight),
      original: Int32Array.from({ length: options }, (_, o) => o),
      capacity,
      rowScale: new Float64Array(rows).fill(1),
      costScale: 1,
    };
    return { core, alive: Uint8Array.from(alive) };
  });

/** The live options some plan of live options within every row uses. */
function usedByPlans({ core, alive }: Case): Set<number> {
  const used = new Set<number>();
  const choice: number[] = [];
  const visit = (i: number) => {
    if (i === core.items) {
      const fits = Array.from({ length: core.rows }, (_, k) => choice.reduce((sum, o) => sum + core.weight[o * core.rows + k]!, 0)).every((total, k) => withinCapacity(total, core.capacity[k]!));
      if (fits) for (const o of choice) used.add(o);
      return;
    }
    for (let o = core.start[i]!; o < core.start[i + 1]!; o++) {
      if (!alive[o]) continue;
      choice.push(o);
      visit(i + 1);
      choice.pop();
    }
  };
  visit(0);
  return used;
}

describe('row propagation (issue #26.2)', () => {
  it('removes only options no plan within every row uses, and calls a node infeasible only when it holds no plan', () => {
    let removedSomewhere = 0;
    let infeasibleSomewhere = 0;
    fc.assert(
      fc.property(cases, (drawn) => {
        const used = usedByPlans(drawn);
        const alive = Uint8Array.from(drawn.alive);
        const trail: number[] = [];
        const undecided = Int32Array.from({ length: drawn.core.items }, (_, i) => i);
        const result = propagateRows(drawn.core, undecided, new Float64Array(drawn.core.rows), alive, trail);
        if (result.infeasible) {
          infeasibleSomewhere++;
          expect(used.size).toBe(0);
          return;
        }
        expect(result.removed).toBe(trail.length);
        removedSomewhere += trail.length;
        for (const o of trail) {
          expect(drawn.alive[o]).toBe(1);
          expect(alive[o]).toBe(0);
          expect(used.has(o)).toBe(false);
        }
        // Every item keeps a live option.
        for (let i = 0; i < drawn.core.items; i++) {
          let live = 0;
          for (let o = drawn.core.start[i]!; o < drawn.core.start[i + 1]!; o++) live += alive[o]!;
          expect(live).toBeGreaterThan(0);
        }
      }),
      { numRuns: 400, seed: 2026 },
    );
    // The property is not vacuous: options were removed and nodes found empty.
    expect(removedSomewhere).toBeGreaterThan(50);
    expect(infeasibleSomewhere).toBeGreaterThan(5);
  });

  it('counts decided items against the rows', () => {
    // One undecided item with weights 1 and 5 in a row of capacity 10, decided items already holding 7: only weight 1 fits.
    const core: FlatInstance = {
      items: 2,
      rows: 1,
      start: Int32Array.of(0, 1, 3),
      cost: new Float64Array(3),
      weight: Float64Array.of(7, 1, 5),
      original: Int32Array.of(0, 1, 2),
      capacity: Float64Array.of(10),
      rowScale: Float64Array.of(1),
      costScale: 1,
    };
    const alive = Uint8Array.of(0, 1, 1);
    const trail: number[] = [];
    expect(propagateRows(core, Int32Array.of(1), Float64Array.of(7), alive, trail)).toMatchObject({ infeasible: false, removed: 1 });
    expect(trail).toEqual([2]);
    expect(propagateRows(core, Int32Array.of(1), Float64Array.of(9.5), Uint8Array.of(0, 1, 1), [])).toMatchObject({ infeasible: true });
  });
});
