import type { NumericFormat } from './format.js';
import { findFormat } from './registry.js';

/** One choice for a layer: the format of its weights and the format of its input activations. */
export interface Candidate {
  /** Canonical id: `<weight format>/<activation format>` (e.g. `int4/int8`), or a bare weight format (e.g. `int4`) for weight-only. */
  id: string;
  weight: NumericFormat;
  activation: NumericFormat;
  /** Weight-only: activations stay in the model's own precision (the activation format). */
  weightOnly: boolean;
}

/** What weight-only candidates leave activations in when a model does not say (ModelDescriptor.precision). */
export const DEFAULT_MODEL_PRECISION = 'fp16';

const ALIAS = /^w(\d+)a(\d+)$/i;

function aliasFormat(bits: string): string {
  // W4A16 conventionally means fp16 activations; other widths name integer formats.
  return bits === '16' ? 'fp16' : bits === '32' ? 'fp32' : `int${bits}`;
}

/**
 * The candidate a text names: `<weight>/<activation>`, a `w4a8`-style alias (wNaM = intN weights,
 * intM activations; a16 = fp16), or a bare weight format, which quantizes the weights only and
 * leaves activations in `precision` (the model's). Undefined when a part is not a known format.
 */
export function parseCandidate(text: string, precision = DEFAULT_MODEL_PRECISION): Candidate | undefined {
  // Large models name the same few candidates on every layer: parse each text once (by
  // precision, then text, so that a lookup builds no key string). A request has one precision:
  // its cache is at hand without the first lookup (a million calls for 45,000 layers).
  let cache = precision === lastPrecision ? lastCache : CACHE.get(precision);
  if (!cache) {
    if (CACHE.size >= 64) return parse(text, precision);
    CACHE.set(precision, (cache = new Map()));
  }
  lastPrecision = precision;
  lastCache = cache;
  const cached = cache.get(text);
  if (cached !== undefined || cache.has(text)) return cached;
  const parsed = parse(text, precision);
  if (cache.size < 4096) cache.set(text, parsed);
  return parsed;
}

const CACHE = new Map<string, Map<string, Candidate | undefined>>();
let lastPrecision: string | undefined;
let lastCache: Map<string, Candidate | undefined> | undefined;

function parse(text: string, precision: string): Candidate | undefined {
  const alias = ALIAS.exec(text);
  const parts = alias ? [aliasFormat(alias[1]!), aliasFormat(alias[2]!)] : text.split('/');
  if (parts.length === 1) {
    const weight = findFormat(parts[0]!);
    const activation = findFormat(precision);
    return weight && activation ? { id: weight.id, weight, activation, weightOnly: true } : undefined;
  }
  if (parts.length !== 2) return undefined;
  const weight = findFormat(parts[0]!);
  const activation = findFormat(parts[1]!);
  if (!weight || !activation) return undefined;
  return { id: `${weight.id}/${activation.id}`, weight, activation, weightOnly: false };
}

export const CANDIDATE_HINT =
  '`<weight format>/<activation format>` such as int4/int8 or fp8-e4m3/fp8-e4m3, an alias like w4a8, or a bare weight format such as int4 or int4-g128 (weight-only: activations stay in the model\'s precision)';
