/**
 * The parts of the mckp backend, each against a reference: the cut model against
 * javascript-lp-solver, dominance against pairwise comparison, completion bounds against
 * enumeration of every completion.
 */
import fc from 'fast-check';
import * as lpSolverModule from 'javascript-lp-solver';
import type { SolverAPI } from 'javascript-lp-solver';
import { describe, expect, it } from 'vitest';
import { CompletionBounds } from '../../src/core/solvers/mckp/completionBound.js';
import { buildCoreItems } from '../../src/core/solvers/mckp/coreItems.js';
import { maximizeCutModel } from '../../src/core/solvers/mckp/cutModel.js';
import { groupChoice, groupTable } from '../../src/core/solvers/mckp/groupTable.js';
import { solveWithMckp } from '../../src/core/solvers/mckp/solve.js';
import type { ChoiceInstance } from '../../src/core/solvers/instance.js';
import { undominated } from '../../src/core/solvers/mckp/dominance.js';

const lp = lpSolverModule.default as unknown as SolverAPI;
// Quarters: exact in binary, so the reference's own tolerances do not decide the comparison.
const small = fc.integer({ min: -16, max: 16 }).map((n) => n / 4);

describe('cut model simplex', () => {
  const SHIFT = 100;
  it('finds the maximum javascript-lp-solver finds', () => {
    const model = fc
      .record({ m: fc.integer({ min: 1, max: 4 }), cuts: fc.integer({ min: 1, max: 30 }) })
      .chain(({ m, cuts }) =>
        fc.record({
          m: fc.constant(m),
          offsets: fc.array(small, { minLength: cuts, maxLength: cuts }),
          slopes: fc.array(small, { minLength: cuts * m, maxLength: cuts * m }),
          width: fc.array(fc.integer({ min: 0, max: 12 }).map((n) => n / 4), { minLength: m, maxLength: m }),
        }),
      );
    fc.assert(
      fc.property(model, ({ m, offsets, slopes, width }) => {
        const ours = maximizeCutModel(offsets, slopes, width);
        const constraints: Record<string, { max: number }> = {};
        const variables: Record<string, Record<string, number>> = { z: { objective: 1 } };
        width.forEach((w, k) => {
          variables[`y${k}`] = { [`box${k}`]: 1 };
          constraints[`box${k}`] = { max: w };
        });
        offsets.forEach((b, t) => {
          variables.z![`cut${t}`] = 1;
          for (let k = 0; k < m; k++) variables[`y${k}`]![`cut${t}`] = -slopes[t * m + k]!;
          // Shifted up: javascript-lp-solver answers 0 where a free z must be negative.
          constraints[`cut${t}`] = { max: b + SHIFT };
        });
        const reference = lp.Solve({ optimize: 'objective', opType: 'max', constraints, variables, unrestricted: { z: 1 } } as never) as unknown as { result: number };
        // Feasible (within the box) and as good as the reference.
        ours.y.forEach((y, k) => {
          expect(y).toBeGreaterThanOrEqual(0);
          expect(y).toBeLessThanOrEqual(width[k]!);
        });
        expect(ours.value).toBeCloseTo(reference.result - SHIFT, 7);
      }),
      { numRuns: 300, seed: 3 },
    );
  });
});

/** Sorted runs of states as the core program produces them (each run in lexicographic order). */
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
          const bound = bounds.bound(t, 0.5, state, 0);
          if (least < Infinity) expect(bound).toBeLessThanOrEqual(least + 1e-9);
          // reaches() answers whether bound() reaches a ceiling.
          expect(bounds.reaches(t, 0.5, state, 0, bound)).toBe(true);
          expect(bounds.reaches(t, 0.5, state, 0, bound + 1e-9)).toBe(false);
        }
      }),
      { numRuns: 400, seed: 11 },
    );
  });
});

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
          const core = buildCoreItems(live, { cost, weight, reduced, rows: m }, [1, 1], threshold);
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

  it('solves models of few shapes (many interchangeable items) to the optimum enumeration finds', () => {
    const shapes = fc.array(
      fc.array(fc.tuple(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 })), { minLength: 2, maxLength: 3 }),
      { minLength: 1, maxLength: 2 },
    );
    fc.assert(
      fc.property(
        shapes,
        fc.array(fc.tuple(fc.nat(), fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 3, maxLength: 3 })), { minLength: 2, maxLength: 8 }),
        fc.tuple(fc.double({ min: 0.2, max: 1, noNaN: true }), fc.double({ min: 0.2, max: 1, noNaN: true })),
        (shapeList, itemSpecs, fractions) => {
          const items = itemSpecs.map(([shapeIndex, costs]) => {
            const shape = shapeList[shapeIndex % shapeList.length]!;
            return { options: shape.map(([w1, w2], j) => ({ cost: costs[j]! / 4, weights: [w1, w2] })) };
          });
          const most = [0, 1].map((k) => items.reduce((sum, item) => sum + Math.max(...item.options.map((o) => o.weights[k]!)), 0));
          const instance: ChoiceInstance = { items, capacities: most.map((total, k) => Math.floor(total * fractions[k]!)) };
          // Exhaustive optimum.
          let best = Infinity;
          const visit = (i: number, c: number, w: number[]) => {
            if (w.some((v, k) => v > instance.capacities[k]!)) return;
            if (i === items.length) {
              best = Math.min(best, c);
              return;
            }
            for (const o of items[i]!.options) visit(i + 1, c + o.cost, [w[0]! + o.weights[0]!, w[1]! + o.weights[1]!]);
          };
          visit(0, 0, [0, 0]);
          const outcome = solveWithMckp(instance, { timeLimitMs: 60_000, relativeGap: 0, now: () => 0 });
          if (best === Infinity) expect(outcome.status).toBe('infeasible');
          else {
            expect(outcome.status).toBe('optimal');
            expect(outcome.objective).toBeCloseTo(best, 9);
          }
        },
      ),
      { numRuns: 300, seed: 23 },
    );
  });
});

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
