import type { Layer } from '../../contract/model.js';
import type { Candidate } from '../formats/candidate.js';
import type { NumericFormat } from '../formats/format.js';
import { findFormat } from '../formats/registry.js';
import type { SensitivitySource } from './source.js';

export type LayerSensitivity = NonNullable<Layer['sensitivity']>;

export interface Score {
  value: number;
  source: SensitivitySource;
  /** Set when the score rests on an estimate the user should know about. */
  warning?: string;
}

/** Levels on each side of zero of a symmetric b-bit grid; the squared error goes as 1/levels^2. */
function symmetricLevels(bits: number): number {
  return 2 ** (bits - 1) - 1;
}

/**
 * The measured perturbation for `format`, or one extrapolated by the uniform-noise law from a
 * measured integer format with the same block size (the closest in bits, so the estimate leans on
 * the nearest measurement). Returns undefined when neither is possible.
 */
export function perturbationFor(
  measured: Record<string, number> | undefined,
  format: NumericFormat,
): { value: number; extrapolatedFrom?: string } | undefined {
  if (!measured) return undefined;
  const exact = measured[format.id];
  if (exact !== undefined) return { value: exact };
  if (format.kind !== 'integer' || format.elementBits < 2) return undefined;
  let best: { id: string; bits: number; value: number } | undefined;
  for (const [id, value] of Object.entries(measured)) {
    const source = findFormat(id);
    if (!source || source.kind !== 'integer' || source.blockSize !== format.blockSize || source.elementBits < 2) continue;
    const distance = Math.abs(source.elementBits - format.elementBits);
    if (!best || distance < Math.abs(best.bits - format.elementBits)) best = { id, bits: source.elementBits, value };
  }
  if (!best) return undefined;
  return {
    value: best.value * (symmetricLevels(best.bits) / symmetricLevels(format.elementBits)) ** 2,
    extrapolatedFrom: best.id,
  };
}

/**
 * The sensitivity of one layer at one candidate, by design.md's order of preference:
 * lossDelta[c], else hessianTrace x perturbation[w] (+ activationTrace x activationPerturbation[a]).
 * Returns a message instead of a score when the evidence cannot score this candidate.
 */
export function scoreCandidate(layerName: string, sensitivity: LayerSensitivity | undefined, candidate: Candidate): Score | string {
  if (!sensitivity) return 'has no sensitivity; give lossDelta or hessianTrace with perturbation, or pin the layer';
  const measuredLoss = sensitivity.lossDelta?.[candidate.id];
  if (measuredLoss !== undefined) return { value: measuredLoss, source: 'lossDelta' };
  if (sensitivity.hessianTrace === undefined) {
    return `has no lossDelta for ${candidate.id} and no hessianTrace to score it with`;
  }
  const weight = perturbationFor(sensitivity.perturbation, candidate.weight);
  if (!weight) {
    return `has no perturbation for weight format ${candidate.weight.id} and none to extrapolate it from (give perturbation.${candidate.weight.id} or lossDelta["${candidate.id}"])`;
  }
  let value = sensitivity.hessianTrace * weight.value;
  const notes: string[] = [];
  if (weight.extrapolatedFrom) {
    notes.push(`weight perturbation for ${candidate.weight.id} extrapolated from ${weight.extrapolatedFrom} by the uniform-noise law`);
  }
  if (sensitivity.activationTrace !== undefined) {
    const activation = perturbationFor(sensitivity.activationPerturbation, candidate.activation);
    if (!activation) {
      return `has activationTrace but no activationPerturbation for ${candidate.activation.id} and none to extrapolate it from`;
    }
    value += sensitivity.activationTrace * activation.value;
    if (activation.extrapolatedFrom) {
      notes.push(`activation perturbation for ${candidate.activation.id} extrapolated from ${activation.extrapolatedFrom} by the uniform-noise law`);
    }
  }
  if (notes.length === 0) return { value, source: 'hessianTrace x perturbation' };
  return { value, source: 'hessianTrace x extrapolated perturbation', warning: `layer ${layerName}, ${candidate.id}: ${notes.join('; ')}` };
}
