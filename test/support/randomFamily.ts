/**
 * The random instance family of issue #13: models whose layers all differ in cost, for the
 * benchmark and the property tests against HiGHS. Parameters log-uniform over 10^3.5..10^7, MACs
 * per parameter log-uniform over 1..3000, each layer a random subset of 2 to 7 of seven integer
 * candidates, measured-loss-style sensitivities (a per-layer scale over four decades times the
 * formats' relative squared errors, with noise), a per-layer latency table (a roofline with
 * noise), about 2% of layers pinned and 3% tied in pairs; budgets sizeBytes, then bops, then
 * latencyMs, at random fractions of their range.
 */
import type { ModelDescriptor, PlanInput } from '../../src/core/index.js';
import type { Layer } from '../../src/core/index.js';
import { mulberry32 } from '../../src/core/random.js';

export const RANDOM_CANDIDATES = ['int2/int8', 'int3/int8', 'int4/int4', 'int4/int8', 'int5/int8', 'int6/int8', 'int8/int8'];
const BUDGET_METRICS = ['sizeBytes', 'bops', 'latencyMs'] as const;

const bitsOf = (format: string) => Number(format.slice(3));
/** Relative squared error of a symmetric b-bit grid, 1/(2^(b-1)-1)^2. */
const relativeError = (bits: number) => 1 / (2 ** (bits - 1) - 1) ** 2;

/** A model of `layers` layers drawn from `seed`. */
export function randomModel(layers: number, seed: number): ModelDescriptor {
  const next = mulberry32(seed);
  const logUniform = (low: number, high: number) => 10 ** (Math.log10(low) + next() * (Math.log10(high) - Math.log10(low)));
  const out: Layer[] = [];
  for (let i = 0; i < layers; i++) {
    const params = Math.round(logUniform(10 ** 3.5, 1e7));
    const macs = Math.round(params * logUniform(1, 3000));
    const count = 2 + Math.floor(next() * 6);
    const shuffled = [...RANDOM_CANDIDATES].sort(() => next() - 0.5);
    const candidates = RANDOM_CANDIDATES.filter((c) => shuffled.slice(0, count).includes(c));
    const scale = 10 ** (-4 + 4 * next());
    const activationShare = 0.05 + 0.3 * next();
    const lossDelta: Record<string, number> = {};
    const latencyMs: Record<string, number> = {};
    for (const candidate of candidates) {
      const [w, a] = candidate.split('/').map(bitsOf) as [number, number];
      lossDelta[candidate] = scale * (relativeError(w) + activationShare * relativeError(a)) * (0.9 + 0.2 * next());
      const computeMs = (2 * macs) / ((Math.max(w, a) <= 4 ? 260 : 130) * 1e9);
      const memoryMs = (params * w) / 8 / 320e6;
      latencyMs[candidate] = Math.max(computeMs, memoryMs) * (0.85 + 0.3 * next());
    }
    out.push({ name: `layer${i}`, op: 'linear', params, macs, sensitivity: { lossDelta }, latencyMs, candidates });
  }
  // A few pins, and a few ties of two layers that allow the same candidates.
  const groups: string[][] = [];
  for (let i = 0; i < layers; i++) {
    const roll = next();
    if (roll < 0.02) out[i] = { ...out[i]!, pin: out[i]!.candidates![Math.floor(next() * out[i]!.candidates!.length)] };
    else if (roll < 0.05 && i + 1 < layers && !out[i + 1]!.pin) {
      out[i + 1] = { ...out[i + 1]!, candidates: out[i]!.candidates };
      out[i + 1]!.sensitivity!.lossDelta = Object.fromEntries(out[i]!.candidates!.map((c) => [c, (out[i]!.sensitivity!.lossDelta![c] ?? 0) * (0.5 + next())]));
      out[i + 1]!.latencyMs = Object.fromEntries(out[i]!.candidates!.map((c) => [c, (out[i]!.latencyMs![c] ?? 0) * (0.5 + next())]));
      groups.push([`layer${i}`, `layer${i + 1}`]);
      i++;
    }
  }
  return { name: `random-${layers}-${seed}`, layers: out, groups };
}

/** A plan request over randomModel with the first `budgets` of sizeBytes, bops, latencyMs at random fractions in 0.15..0.65. */
export function randomPlanInput(layers: number, budgets: 1 | 2 | 3, seed: number, timeLimitMs = 10_000): PlanInput {
  const next = mulberry32(seed * 7919 + budgets);
  return {
    model: randomModel(layers, seed),
    modelPath: 'model',
    budgets: BUDGET_METRICS.slice(0, budgets).map((metric) => ({ metric, fraction: 0.15 + 0.5 * next() })),
    objective: { minimize: 'sensitivity' },
    batchSize: 1,
    solver: { backend: 'mckp', timeLimitMs, relativeGap: 0 },
  };
}
