import fc from 'fast-check';
import type { ModelDescriptor } from '../../src/contract/model.js';
import type { Budget, Objective } from '../../src/contract/request.js';
import type { PlanInput } from '../../src/core/index.js';

const BITS = [2, 3, 4, 5, 6, 8];

/** A random plan request over a small model: mixed candidates, ties, pins, one to three budgets. */
export const arbitraryPlanInput = (
  maxLayers: number,
  options: { objective?: 'sensitivity' | 'cost'; backend?: 'mckp' | 'lp-solver'; interactions?: boolean } = {},
) =>
  fc
    .record({
      layers: fc.array(
        fc.record({
          params: fc.integer({ min: 1, max: 1_000_000 }),
          macs: fc.integer({ min: 1, max: 1e9 }),
          trace: fc.double({ min: 1e-5, max: 1, noNaN: true }),
          error4: fc.double({ min: 0.1, max: 50, noNaN: true }),
          latency: fc.array(fc.double({ min: 0.01, max: 5, noNaN: true }), { minLength: 6, maxLength: 6 }),
          allowed: fc.subarray(BITS, { minLength: 2 }),
          pinRoll: fc.integer({ min: 0, max: 7 }),
        }),
        { minLength: 2, maxLength: maxLayers },
      ),
      ties: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 2 }),
      budgets: fc.array(
        fc.record({
          metric: fc.constantFrom('sizeBytes', 'avgBits', 'bops', 'latencyMs'),
          fraction: fc.double({ min: 0, max: 1, noNaN: true }),
        }),
        { minLength: options.objective === 'cost' ? 0 : 1, maxLength: 3 },
      ),
      maxSensitivityFraction: fc.double({ min: 0, max: 2, noNaN: true }),
      // Interaction terms of random pairs, negative ones included, as fractions of a layer's scale.
      interactions: options.interactions
        ? fc.array(fc.record({ a: fc.nat(), b: fc.nat(), terms: fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 36, maxLength: 36 }) }), { maxLength: 4 })
        : fc.constant([] as { a: number; b: number; terms: number[] }[]),
    })
    .map(({ layers, ties, budgets, maxSensitivityFraction, interactions }): PlanInput => {
      const model: ModelDescriptor = {
        name: 'random',
        layers: layers.map((layer, i) => {
          const candidates = layer.allowed.map((b) => `int${b}/int${b}`);
          const pinned = layer.pinRoll === 0 ? candidates[0] : undefined; // one layer in eight is pinned
          return {
            name: `l${i}`,
            params: layer.params,
            macs: layer.macs,
            sensitivity: { hessianTrace: layer.trace, perturbation: { int4: layer.error4 } },
            latencyMs: Object.fromEntries(BITS.map((b, k) => [`int${b}/int${b}`, layer.latency[k]! * (1 + b / 8)])),
            candidates,
            ...(pinned ? { pin: pinned } : {}),
          };
        }),
        groups: [],
      };
      // Tied layers share the candidates and pin of their component's first layer.
      const pairs = ties.map(([a, b]) => [a % layers.length, b % layers.length] as const).filter(([a, b]) => a !== b);
      const root = layers.map((_, i) => i);
      const find = (i: number): number => (root[i] === i ? i : find(root[i]!));
      for (const [a, b] of pairs) root[Math.max(find(a), find(b))] = Math.min(find(a), find(b));
      model.layers.forEach((layer, i) => {
        const { candidates, pin } = model.layers[find(i)]!;
        model.layers[i] = { ...layer, candidates, pin };
      });
      model.groups = pairs.map(([a, b]) => [`l${a}`, `l${b}`]);
      const seen = new Set<string>();
      const scale = layers.reduce((sum, l) => sum + l.trace * l.error4, 0) / layers.length;
      model.interactions = interactions.flatMap(({ a, b, terms }) => {
        const i = a % layers.length;
        const j = b % layers.length;
        const key = `${Math.min(i, j)},${Math.max(i, j)}`;
        if (i === j || seen.has(key)) return [];
        seen.add(key);
        const delta: Record<string, number> = {};
        BITS.forEach((x, p) => BITS.forEach((y, q) => (delta[`int${x}/int${x}|int${y}/int${y}`] = terms[p * 6 + q]! * scale)));
        return [{ layers: [`l${i}`, `l${j}`] as [string, string], delta }];
      });
      const objective: Objective =
        options.objective === 'cost'
          ? { minimize: 'bops', maxSensitivity: maxSensitivityFraction * layers.reduce((s, l) => s + l.trace * l.error4, 0) }
          : { minimize: 'sensitivity' };
      return {
        model,
        modelPath: 'model',
        budgets: budgets as Budget[],
        objective,
        batchSize: 1,
        solver: { backend: options.backend ?? 'mckp', timeLimitMs: 60_000, relativeGap: 0 },
        ...(options.interactions ? { negativeInteractions: 'keep' as const } : {}),
      };
    });
