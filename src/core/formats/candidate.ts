import type { NumericFormat } from './format.js';
import { findFormat } from './registry.js';

/** One choice for a layer: the format of its weights and the format of its input activations. */
export interface Candidate {
  /** Canonical id `<weight format>/<activation format>`, e.g. `int4/int8`. */
  id: string;
  weight: NumericFormat;
  activation: NumericFormat;
}

const ALIAS = /^w(\d+)a(\d+)$/i;

function aliasFormat(bits: string): string {
  // W4A16 conventionally means fp16 activations; other widths name integer formats.
  return bits === '16' ? 'fp16' : bits === '32' ? 'fp32' : `int${bits}`;
}

/**
 * Canonical id of a candidate written `<weight>/<activation>` or as a `w4a8`-style alias
 * (wNaM = intN weights, intM activations; a16 = fp16). Returns undefined when either part is
 * not a known format.
 */
export function parseCandidate(text: string): Candidate | undefined {
  // Large models name the same few candidates on every layer: parse each text once.
  const cached = CACHE.get(text);
  if (cached !== undefined || CACHE.has(text)) return cached;
  const parsed = parse(text);
  if (CACHE.size < 4096) CACHE.set(text, parsed);
  return parsed;
}

const CACHE = new Map<string, Candidate | undefined>();

function parse(text: string): Candidate | undefined {
  const alias = ALIAS.exec(text);
  const [weightId, activationId] = alias
    ? [aliasFormat(alias[1]!), aliasFormat(alias[2]!)]
    : text.split('/');
  if (weightId === undefined || activationId === undefined || text.split('/').length > 2) return undefined;
  const weight = findFormat(weightId);
  const activation = findFormat(activationId);
  if (!weight || !activation) return undefined;
  return { id: `${weight.id}/${activation.id}`, weight, activation };
}

export const CANDIDATE_HINT =
  '`<weight format>/<activation format>` such as int4/int8 or fp8-e4m3/fp8-e4m3, or an alias like w4a8';
