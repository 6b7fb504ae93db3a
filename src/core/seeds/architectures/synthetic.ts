import type { Layer } from '../../model/model.js';

/**
 * The rule that makes the synthetic sensitivities of the architecture seeds, written once so
 * that every seed states it the same way:
 * - u1, u2 in [0, 1) from the FNV-1a hash of the layer name (deterministic, no global state);
 * - hessianTrace = kind factor x 10^(-4 + 3 u1): log-uniform over three decades, times 10 for
 *   embeddings, the first conv and the output head, 3 for FFN down projections and 2 for
 *   attention value/output projections (the layers quantization studies find most sensitive);
 * - weightStats: rms = 1 / sqrt(fan-in) (the scale of standard initializations), absMax =
 *   rms x (4 + 12 u2) (heavier tails for some layers, as LLM weights show);
 * perturbations are then estimated from weightStats for every format (sensitivity/estimate.ts).
 */
export const SYNTHETIC_RULE =
  'synthetic sensitivities: hessianTrace = k x 10^(-4 + 3 u1) (k = 10 for embeddings, first conv and output head, 3 for FFN down projections, 2 for attention value/output projections, else 1); weightStats rms = 1/sqrt(fan-in), absMax = rms x (4 + 12 u2); u1, u2 from an FNV-1a hash of the layer name; perturbations estimated from weightStats';

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

function unitPair(name: string): [number, number] {
  const hash = fnv1a(name);
  const second = fnv1a(`${name}#`);
  return [hash / 4294967296, second / 4294967296];
}

export type LayerKind = 'edge' | 'down' | 'value' | 'plain';

const KIND_FACTOR: Record<LayerKind, number> = { edge: 10, down: 3, value: 2, plain: 1 };

export interface MatrixSpec {
  name: string;
  op: string;
  /** Weight elements. */
  params: number;
  /** MACs per sample (per token for language models). */
  macs: number;
  fanIn: number;
  kind?: LayerKind;
  inputs?: string[];
  activationElements?: number;
  dotProductLength?: number;
}

/**
 * A bias-free linear layer `out x in` reading `inputs`; MACs per token are its weights, scaled by
 * `activeShare` for a mixture-of-experts expert that sees only that share of the tokens.
 */
export function linearSpec(name: string, out: number, inFeatures: number, inputs: string[], kind: LayerKind = 'plain', activeShare = 1): MatrixSpec {
  return {
    name,
    op: 'linear',
    params: out * inFeatures,
    macs: out * inFeatures * activeShare,
    fanIn: inFeatures,
    kind,
    inputs,
    activationElements: inFeatures + out,
    dotProductLength: inFeatures,
  };
}

export function syntheticLayer(spec: MatrixSpec): Layer {
  const [u1, u2] = unitPair(spec.name);
  const rms = 1 / Math.sqrt(spec.fanIn);
  return {
    name: spec.name,
    op: spec.op,
    params: spec.params,
    macs: spec.macs,
    ...(spec.inputs ? { inputs: spec.inputs } : {}),
    ...(spec.activationElements !== undefined ? { activationElements: spec.activationElements } : {}),
    ...(spec.dotProductLength !== undefined ? { dotProductLength: spec.dotProductLength } : {}),
    // A weight row is the fan-in: in_features, in_channels / groups x kernel area, or the embedding width.
    inFeatures: spec.fanIn,
    sensitivity: {
      hessianTrace: Number((KIND_FACTOR[spec.kind ?? 'plain'] * 10 ** (-4 + 3 * u1)).toPrecision(6)),
      weightStats: { absMax: Number((rms * (4 + 12 * u2)).toPrecision(6)), rms: Number(rms.toPrecision(6)) },
    },
  };
}

/** An architecture built from its published configuration: the quantizable layers and the model totals. */
export interface Architecture {
  layers: Layer[];
  /** Every parameter of the model (norms, biases, embeddings included), to check against published counts. */
  totalParams: number;
  /** MACs of the layers per sample (per token for language models). */
  totalMacs: number;
}

export function architecture(specs: MatrixSpec[], otherParams: number): Architecture {
  const layers = specs.map(syntheticLayer);
  return {
    layers,
    totalParams: specs.reduce((sum, spec) => sum + spec.params, 0) + otherParams,
    totalMacs: specs.reduce((sum, spec) => sum + spec.macs, 0),
  };
}
