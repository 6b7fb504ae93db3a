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
  const input = sixCandidateInput(layers, budgets, seed, timeLimitMs);
  const next = mulberry32(seed * 104729 + entries);
  const model = input.model;
  const tied = new Set((model.groups ?? []).flat());
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

export type PairShape = 'star' | 'chain';

/**
 * Pair graphs that do not fall apart into small components (issue #26): a star (one hub layer
 * paired with `paired` others) or a chain (each of the first `paired` + 1 free layers paired with
 * the next), all 36 combinations a pair; a term is sqrt(s_a s_b) x U(0.05, 0.6), and with
 * `negativeShare` > 0 that share of them negated and scaled by U(0.2, 1.5).
 */
export function pairGraphPlanInput(shape: PairShape, layers: number, paired: number, budgets: 1 | 2 | 3, seed: number, negativeShare: number, timeLimitMs = 10_000): PlanInput {
  const input = sixCandidateInput(layers, budgets, seed, timeLimitMs);
  const next = mulberry32(seed * 7727 + paired);
  const model = input.model;
  const tied = new Set((model.groups ?? []).flat());
  const free = model.layers.filter((layer) => !layer.pin && !tied.has(layer.name)).slice(0, paired + 1);
  model.interactions = free.slice(1).map((layer, n) => {
    const a = shape === 'star' ? free[0]! : free[n]!;
    const delta: Record<string, number> = {};
    for (const x of SIX) {
      for (const y of SIX) {
        let t = Math.sqrt(a.sensitivity!.lossDelta![x]! * layer.sensitivity!.lossDelta![y]!) * (0.05 + 0.55 * next());
        if (next() < negativeShare) t = -t * (0.2 + 1.3 * next());
        delta[`${x}|${y}`] = t;
      }
    }
    return { layers: [a.name, layer.name] as [string, string], delta };
  });
  return input;
}

/** The random family's model with six candidates on every unpinned, untied layer (the family draws 2 to 7). */
function sixCandidateInput(layers: number, budgets: 1 | 2 | 3, seed: number, timeLimitMs: number): PlanInput {
  const input = randomPlanInput(layers, budgets, seed, timeLimitMs);
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
  return input;
}
