import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../../src/core/random.js';
import { paretoMerge, type MergeGroup } from '../../../../src/core/solvers/mckp/paretoMerge.js';

/** A random group of `size` items of 3-4 options on two rows, with pairs in the given shape and signed terms. */
function randomGroup(shape: 'chain' | 'star' | 'cycle' | 'dense', size: number, seed: number): MergeGroup & { table: Map<string, number[]> } {
  const next = mulberry32(seed);
  const items = Array.from({ length: size }, (_, n) => 10 + 3 * n);
  const live = items.map(() => Array.from({ length: 3 + Math.floor(next() * 2) }, (_, j) => j));
  const cost = live.map((list) => list.map(() => next()));
  const weightTable = live.map((list) => list.map(() => [next(), next()]));
  const edges: [number, number][] = [];
  for (let a = 0; a < size; a++) {
    for (let b = a + 1; b < size; b++) {
      const linked = shape === 'dense' || (shape === 'star' && a === 0) || b === a + 1 || (shape === 'cycle' && a === 0 && b === size - 1);
      if (linked && (shape !== 'star' || a === 0)) edges.push([a, b]);
    }
  }
  const table = new Map<string, number[]>();
  const pairs = edges.map(([a, b]) => {
    const terms = Array.from({ length: live[a]!.length * live[b]!.length }, () => (next() - 0.35) * 0.8);
    table.set(`${a},${b}`, terms);
    return { a: items[a]!, b: items[b]!, term: (j: number, k: number) => terms[j * live[b]!.length + k]! };
  });
  return { items, live, cost, weights: (member, option) => weightTable[member]![option]!, pairs, rows: 2, table };
}

/** Every combination, priced, and the efficient ones by direct comparison. */
function enumerate(group: MergeGroup) {
  let all: { combo: number[]; cost: number; weights: number[] }[] = [{ combo: [], cost: 0, weights: [0, 0] }];
  group.items.forEach((_, member) => {
    all = all.flatMap((entry) =>
      group.live[member]!.map((option, at) => ({
        combo: [...entry.combo, option],
        cost: entry.cost + group.cost[member]![at]!,
        weights: entry.weights.map((w, k) => w + group.weights(member, option)[k]!),
      })),
    );
  });
  const position = new Map(group.items.map((item, at) => [item, at]));
  for (const entry of all) for (const pair of group.pairs) entry.cost += pair.term(entry.combo[position.get(pair.a)!]!, entry.combo[position.get(pair.b)!]!);
  const efficient = all.filter((x) => !all.some((y) => y !== x && y.cost <= x.cost && y.weights.every((w, k) => w <= x.weights[k]!) && (y.cost < x.cost || y.weights.some((w, k) => w < x.weights[k]!))));
  return { all, efficient };
}

describe('paretoMerge', () => {
  for (const shape of ['chain', 'star', 'cycle', 'dense'] as const) {
    it(`keeps exactly the efficient combinations of a ${shape}, each priced as enumeration prices it`, () => {
      for (let seed = 1; seed <= 12; seed++) {
        const group = randomGroup(shape, 3 + (seed % 3), seed);
        const merged = paretoMerge(group, Infinity)!;
        const { all, efficient } = enumerate(group);
        const byCombo = new Map(all.map((entry) => [entry.combo.join(','), entry]));
        merged.combos.forEach((combo, n) => {
          const entry = byCombo.get(combo.join(','))!;
          expect(merged.options[n]!.cost).toBeCloseTo(entry.cost, 12);
          merged.options[n]!.weights.forEach((w, k) => expect(w).toBeCloseTo(entry.weights[k]!, 12));
        });
        // Every strictly efficient combination is kept, or one equal to it in cost and weights.
        for (const entry of efficient) {
          expect(merged.options.some((option) => Math.abs(option.cost - entry.cost) < 1e-12 && option.weights.every((w, k) => Math.abs(w - entry.weights[k]!) < 1e-12))).toBe(true);
        }
        // Nothing kept is strictly dominated.
        expect(merged.options.length).toBeLessThanOrEqual(efficient.length);
        // For any budget, the least cost within it is the same over the kept and over all.
        for (const [w0, w1] of [[1, 1], [1.5, 2], [size(group) * 0.4, size(group) * 0.6]]) {
          const least = (list: { cost: number; weights: number[] }[]) => Math.min(...list.filter((x) => x.weights[0]! <= w0! && x.weights[1]! <= w1!).map((x) => x.cost));
          expect(least(merged.options)).toBeCloseTo(least(all), 12);
        }
      }
    });
  }

  it('gives up past its cap', () => {
    const group = randomGroup('dense', 5, 3);
    expect(paretoMerge(group, 2)).toBeUndefined();
    expect(paretoMerge(group, Infinity)).toBeDefined();
  });
});

const size = (group: MergeGroup) => group.items.length;
