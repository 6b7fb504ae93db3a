/**
 * Families broader than the ones the solver was tuned on (issue #26.5), for `npm run bench --
 * --broad`: many candidates with floating-point and block-scaled formats under four or five
 * budgets, heavy ties with pins, degenerate data, and the sensitivity-bounded form. Evidence is a
 * Hessian trace beside weight statistics, so every format's perturbation comes from the service's
 * own estimate (sensitivity/estimate.ts), fp8, mxfp4 and nvfp4 included.
 */
import type { Layer, ModelDescriptor, PlanInput } from '../../src/core/index.js';
import { findHardware } from '../../src/core/hardware/builtIn.js';
import { mulberry32 } from '../../src/core/random.js';
import { randomModel } from './randomFamily.js';

/** Candidates a B200 runs natively (each pair in the wider of its two formats). */
export const B200_CANDIDATES = [
  'nvfp4/nvfp4', 'mxfp4/mxfp4', 'fp6-e3m2/fp6-e3m2', 'fp6-e2m3/fp8-e4m3', 'mxfp6/mxfp6',
  'fp8-e4m3/fp8-e4m3', 'fp8-e5m2/fp8-e5m2', 'mxfp8/mxfp8', 'int8/int8', 'fp8-e4m3/bf16', 'int8/bf16', 'nvfp4/bf16', 'mxfp4/bf16',
  'fp6-e3m2/bf16', 'bf16/bf16', 'fp4-e2m1/fp4-e2m1', 'fp4-e2m1/fp8-e4m3', 'fp6-e2m3/fp6-e2m3', 'fp8-e5m2/bf16', 'mxfp8/bf16',
];
/** Integer and minifloat candidates of the FPGA profile (any eXmY is native there). */
export const FPGA_CANDIDATES = ['int2/int8', 'int3/int8', 'int4/int4', 'int4/int8', 'int6/int8', 'int8/int8', 'fp4-e2m1/fp4-e2m1', 'fp6-e3m2/fp6-e3m2', 'fp6-e2m3/fp6-e2m3', 'fp8-e4m3/fp8-e4m3', 'fp8-e5m2/fp8-e5m2', 'e3m3/e4m3'];

type Next = () => number;
const logUniform = (next: Next, low: number, high: number) => 10 ** (Math.log10(low) + next() * (Math.log10(high) - Math.log10(low)));

/** A layer with a trace over `decades` orders of magnitude and weight statistics (absMax 3-30 rms). */
function tracedLayer(next: Next, index: number, candidates: string[], decades: number): Layer {
  const params = Math.round(logUniform(next, 10 ** 3.5, 1e7));
  const rms = logUniform(next, 1e-3, 1e-1);
  const rows = 2 ** (6 + Math.floor(next() * 6));
  return {
    name: `layer${index}`,
    op: 'linear',
    params,
    macs: Math.round(params * logUniform(next, 1, 3000)),
    dotProductLength: Math.max(16, Math.round(params / rows)),
    activationElements: Math.round(rows * (1 + 3 * next())),
    macUnits: 1 + Math.floor(next() * 64),
    candidates,
    sensitivity: { hessianTrace: 10 ** (-decades * next()), weightStats: { absMax: rms * (3 + 27 * next()), rms } },
  };
}

/** A random subset of `from`, at least `least` long. */
function subset(next: Next, from: readonly string[], least: number, most: number): string[] {
  const count = least + Math.floor(next() * (most - least + 1));
  const shuffled = [...from].sort(() => next() - 0.5);
  return from.filter((c) => shuffled.slice(0, count).includes(c));
}

const base = (model: ModelDescriptor, timeLimitMs: number): Omit<PlanInput, 'budgets' | 'objective'> => ({ model, modelPath: 'model', batchSize: 1, solver: { backend: 'mckp', timeLimitMs, relativeGap: 0 } });

/** 12-20 of the B200's candidates a layer, five budgets (sizeBytes, avgBits, bops, latencyMs, energyJ) at fractions 0.05-0.5. */
export function manyCandidatesInput(layers: number, seed: number, timeLimitMs = 10_000): PlanInput {
  const next = mulberry32(seed * 6151 + 1);
  const model: ModelDescriptor = { name: `many-candidates-${seed}`, layers: Array.from({ length: layers }, (_, i) => tracedLayer(next, i, subset(next, B200_CANDIDATES, 12, 20), 6)) };
  return {
    ...base(model, timeLimitMs),
    hardware: findHardware('nvidia-b200')!,
    candidates: B200_CANDIDATES,
    budgets: (['sizeBytes', 'avgBits', 'bops', 'latencyMs', 'energyJ'] as const).map((metric) => ({ metric, fraction: 0.05 + 0.45 * next() })),
    objective: { minimize: 'sensitivity' },
  };
}

/** The FPGA profile's integer and minifloat candidates (8-12 a layer), four budgets with macLuts. */
export function fpgaInput(layers: number, seed: number, timeLimitMs = 10_000): PlanInput {
  const next = mulberry32(seed * 3571 + 2);
  const model: ModelDescriptor = { name: `fpga-${seed}`, layers: Array.from({ length: layers }, (_, i) => tracedLayer(next, i, subset(next, FPGA_CANDIDATES, 8, 12), 6)) };
  return {
    ...base(model, timeLimitMs),
    hardware: findHardware('fpga-versal-vc1902')!,
    candidates: FPGA_CANDIDATES,
    budgets: (['sizeBytes', 'avgBits', 'bops', 'macLuts'] as const).map((metric) => ({ metric, fraction: 0.05 + 0.45 * next() })),
    objective: { minimize: 'sensitivity' },
  };
}

/**
 * Heavy ties: 12 layer shapes repeated (identical costs and evidence), a third of the layers tied
 * in groups of 2-4 and a tenth pinned; three budgets.
 */
export function heavyTiesInput(layers: number, seed: number, timeLimitMs = 10_000): PlanInput {
  const next = mulberry32(seed * 2749 + 3);
  const shapes = Array.from({ length: 12 }, (_, i) => tracedLayer(next, i, subset(next, B200_CANDIDATES, 4, 8), 3));
  const out: Layer[] = Array.from({ length: layers }, (_, i) => ({ ...shapes[Math.floor(next() * shapes.length)]!, name: `layer${i}` }));
  const groups: string[][] = [];
  for (let i = 0; i + 4 < layers; ) {
    const roll = next();
    if (roll < 0.1) {
      out[i] = { ...out[i]!, pin: out[i]!.candidates![Math.floor(next() * out[i]!.candidates!.length)] };
      i++;
    } else if (roll < 0.2) {
      const size = 2 + Math.floor(next() * 3);
      // A tie needs one list of candidates: the group takes its first layer's shape.
      for (let k = 1; k < size; k++) out[i + k] = { ...out[i]!, name: `layer${i + k}` };
      groups.push(Array.from({ length: size }, (_, k) => `layer${i + k}`));
      i += size;
    } else i++;
  }
  return {
    ...base({ name: `heavy-ties-${seed}`, layers: out, groups }, timeLimitMs),
    hardware: findHardware('nvidia-b200')!,
    candidates: B200_CANDIDATES,
    budgets: (['sizeBytes', 'bops', 'latencyMs'] as const).map((metric) => ({ metric, fraction: 0.1 + 0.4 * next() })),
    objective: { minimize: 'sensitivity' },
  };
}

/**
 * Degenerate data: traces over 12 orders of magnitude, a tenth of them 0, budgets at the edge of
 * their range (fraction 0.001-0.02 or 0.98-0.999); two budgets.
 */
export function degenerateInput(layers: number, seed: number, timeLimitMs = 10_000): PlanInput {
  const next = mulberry32(seed * 1613 + 4);
  const model: ModelDescriptor = {
    name: `degenerate-${seed}`,
    layers: Array.from({ length: layers }, (_, i) => {
      const layer = tracedLayer(next, i, subset(next, B200_CANDIDATES, 3, 10), 12);
      return next() < 0.1 ? { ...layer, sensitivity: { ...layer.sensitivity!, hessianTrace: 0 } } : layer;
    }),
  };
  const edge = () => (next() < 0.5 ? 0.001 + 0.019 * next() : 0.98 + 0.019 * next());
  return {
    ...base(model, timeLimitMs),
    hardware: findHardware('nvidia-b200')!,
    candidates: B200_CANDIDATES,
    budgets: [{ metric: 'sizeBytes', fraction: edge() }, { metric: 'latencyMs', fraction: edge() }],
    objective: { minimize: 'sensitivity' },
  };
}

/**
 * The sensitivity-bounded form over the random family (measured loss changes): minimize sizeBytes
 * with total sensitivity at most a point 5-50% of the way from its least to its most, and a bops
 * budget.
 */
export function sensitivityBoundedInput(layers: number, seed: number, timeLimitMs = 10_000): PlanInput {
  const next = mulberry32(seed * 4099 + 5);
  const model = randomModel(layers, seed);
  let least = 0;
  let most = 0;
  for (const layer of model.layers) {
    const values = Object.values(layer.sensitivity!.lossDelta!);
    const allowed = layer.pin !== undefined ? [layer.sensitivity!.lossDelta![layer.pin]!] : values;
    least += Math.min(...allowed);
    most += Math.max(...allowed);
  }
  return {
    ...base(model, timeLimitMs),
    budgets: [{ metric: 'bops', fraction: 0.2 + 0.6 * next() }],
    objective: { minimize: 'sizeBytes', maxSensitivity: least + (0.05 + 0.45 * next()) * (most - least) },
  };
}
