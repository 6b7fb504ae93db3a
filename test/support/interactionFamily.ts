/**
 * Random models with measured-style pairwise interactions, for the interaction benchmark and
 * tests: the random family's layers (test/support/randomFamily.ts) with six candidates each, and
 * interaction terms on random pairs of layers until `entries` terms are given (36 a pair). A term
 * is rho x sqrt(s_a x s_b) of the two layers' own sensitivities at those candidates, rho drawn
 * from -0.15..0.6: joint damage mostly beyond the sum (uniform int3 on the digits CNN lost 1.5-9.7
 * times the sum of its single-layer losses), sometimes below it (noise), and largest where the
 * layers' own losses are, at low widths (95-97% of the measured interaction mass involved int2;
 * issue #15).
 */
import type { PlanInput } from '../../src/core/index.js';
import { mulberry32 } from '../../src/core/random.js';
import { randomPlanInput } from './randomFamily.js';

const SIX = ['int2/int8', 'int3/int8', 'int4/int8', 'int5/int8', 'int6/int8', 'int8/int8'];

export function interactionPlanInput(layers: number, entries: number, budgets: 1 | 2 | 3, seed: number, timeLimitMs = 10_000): PlanInput {
  const input = randomPlanInput(layers, budgets, seed, timeLimitMs);
  const next = mulberry32(seed * 104729 + entries);
  const model = input.model;
  // Six candidates on every unpinned, untied layer (the family draws 2 to 7).
  const tied = new Set((model.groups ?? []).flat());
  model.layers = model.layers.map((layer) => {
    if (layer.pin || tied.has(layer.name)) return layer;
    const scale = Object.values(layer.sensitivity!.lossDelta!)[0]! / 1;
    const lossDelta = Object.fromEntries(SIX.map((c) => [c, layer.sensitivity!.lossDelta![c] ?? scale / (2 ** (Number(c.slice(3, 4)) - 1) - 1) ** 2]));
    const latencyMs = Object.fromEntries(SIX.map((c) => [c, layer.latencyMs![c] ?? Math.min(...Object.values(layer.latencyMs!))]));
    return { ...layer, candidates: SIX, sensitivity: { lossDelta }, latencyMs };
  });
  const free = model.layers.filter((layer) => !layer.pin && !tied.has(layer.name));
  const seen = new Set<string>();
  model.interactions = [];
  while (model.interactions.length * 36 < entries && seen.size < (free.length * (free.length - 1)) / 2) {
    const a = free[Math.floor(next() * free.length)]!;
    const b = free[Math.floor(next() * free.length)]!;
    const key = a.name < b.name ? `${a.name},${b.name}` : `${b.name},${a.name}`;
    if (a === b || seen.has(key)) continue;
    seen.add(key);
    const delta: Record<string, number> = {};
    for (const x of SIX) {
      for (const y of SIX) {
        const rho = -0.15 + 0.75 * next();
        delta[`${x}|${y}`] = rho * Math.sqrt(a.sensitivity!.lossDelta![x]! * b.sensitivity!.lossDelta![y]!);
      }
    }
    model.interactions.push({ layers: [a.name, b.name], delta });
  }
  return input;
}
