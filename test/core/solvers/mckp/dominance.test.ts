/** Dominance among core states against pairwise comparison. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { undominated } from '../../../../src/core/solvers/mckp/dominance.js';

function sortedRuns(states: { cost: number; weight: number[] }[][], m: number) {
  const all = states.flatMap((run) =>
    [...run].sort((a, b) => {
      for (let k = 0; k < m; k++) if (a.weight[k] !== b.weight[k]) return a.weight[k]! - b.weight[k]!;
      return a.cost - b.cost;
    }),
  );
  const runStart = new Int32Array(states.length + 1);
  states.forEach((run, r) => (runStart[r + 1] = runStart[r]! + run.length));
  return {
    all,
    runStart,
    cost: Float64Array.from(all, (s) => s.cost),
    weight: Float64Array.from(all.flatMap((s) => s.weight)),
  };
}

const dominatedBy = (a: { cost: number; weight: number[] }, b: { cost: number; weight: number[] }) =>
  b.cost <= a.cost && b.weight.every((w, k) => w <= a.weight[k]!);

describe('dominance among core states', () => {
  const statesOf = (m: number) =>
    fc.array(
      fc.array(
        fc.record({
          cost: fc.integer({ min: 0, max: 6 }),
          weight: fc.array(fc.integer({ min: 0, max: 6 }), { minLength: m, maxLength: m }),
        }),
        { minLength: 1, maxLength: 12 },
      ),
      { minLength: 1, maxLength: 4 },
    );

  for (const m of [1, 2, 3, 4]) {
    it(`drops only dominated states, and with ${m} row(s) ${m <= 2 ? 'every one of them' : 'keeps a dominating state for each'}`, () => {
      fc.assert(
        fc.property(statesOf(m), (runs) => {
          const { all, runStart, cost, weight } = sortedRuns(runs, m);
          const kept = Array.from(undominated(m, cost, weight, runStart));
          const keptSet = new Set(kept);
          // Kept states come out in lexicographic order of their weights.
          for (let n = 1; n < kept.length; n++) {
            const [a, b] = [all[kept[n - 1]!]!, all[kept[n]!]!];
            const k = a.weight.findIndex((w, r) => w !== b.weight[r]);
            expect(k === -1 ? a.cost <= b.cost : a.weight[k]! < b.weight[k]!).toBe(true);
          }
          all.forEach((state, s) => {
            const strictlyDominated = all.some((other) => dominatedBy(state, other) && (other.cost < state.cost || other.weight.some((w, k) => w < state.weight[k]!)));
            if (keptSet.has(s)) {
              if (m <= 2) expect(strictlyDominated).toBe(false);
              // Never two kept states with the same weights.
              expect(kept.filter((t) => all[t]!.weight.every((w, k) => w === state.weight[k])).length).toBe(1);
            } else {
              expect(kept.some((t) => dominatedBy(state, all[t]!))).toBe(true);
            }
          });
        }),
        { numRuns: 300, seed: m },
      );
    });
  }
});

describe('dominance after shifting states by a vector', () => {
  it('keeps the cheaper of two states that rounding made equal', () => {
    // States sorted by weights; adding a large first weight rounds the first two to equal
    // weights, and the run then lists the dearer one first.
    const m = 3;
    const base = [
      { cost: 3, weight: [1 + 2 ** -40, 1, 1] },
      { cost: 1, weight: [1 + 2 ** -39, 1, 1] },
      { cost: 0.5, weight: [2, 5, 5] },
    ];
    const shift = [2 ** 20, 0, 0];
    const run = base.map((state) => ({ cost: state.cost, weight: state.weight.map((w, k) => w + shift[k]!) }));
    expect(run[0]!.weight).toEqual(run[1]!.weight);
    const kept = Array.from(
      undominated(m, Float64Array.from(run, (state) => state.cost), Float64Array.from(run.flatMap((state) => state.weight)), Int32Array.of(0, run.length)),
    );
    expect(kept.sort()).toEqual([1, 2]);
  });
});
