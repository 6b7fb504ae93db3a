import type { Layer } from '../model/model.js';
import type { Candidate } from '../formats/candidate.js';
import type { NumericFormat } from '../formats/format.js';
import { findFormat } from '../formats/registry.js';
import { estimatePerturbation } from './estimate.js';
import type { SensitivitySource } from './source.js';

export type LayerSensitivity = NonNullable<Layer['sensitivity']>;

export interface Score {
  value: number;
  source: SensitivitySource;
  /**
   * The estimates the score rests on, each a sentence without the layer name (for example
   * "weight perturbation for int2 extrapolated from int4 by the uniform-noise law"), so that a
   * plan can say once which layers share an estimate.
   */
  estimates?: string[];
}

type Perturbation = { value: number; how: 'measured' | 'extrapolated' | 'estimated'; note?: string };

/** Levels on each side of zero of a symmetric b-bit grid; the squared error goes as 1/levels^2. */
function symmetricLevels(bits: number): number {
  return 2 ** (bits - 1) - 1;
}

/**
 * The perturbation of `format`: measured; else extrapolated by the uniform-noise law from the
 * nearest measured integer width with the same block size (integer formats only); else estimated
 * from weight statistics (estimate.ts). Undefined when none applies.
 */
export function perturbationFor(
  measured: Record<string, number> | undefined,
  format: NumericFormat,
  stats?: { absMax: number; rms: number; count: number },
): Perturbation | undefined {
  const exact = measured?.[format.id];
  if (exact !== undefined) return { value: exact, how: 'measured' };
  if (measured && format.kind === 'integer' && format.elementBits >= 2) {
    let best: { id: string; bits: number; value: number } | undefined;
    for (const [id, value] of Object.entries(measured)) {
      const source = findFormat(id);
      if (!source || source.kind !== 'integer' || source.blockSize !== format.blockSize || source.elementBits < 2) continue;
      const distance = Math.abs(source.elementBits - format.elementBits);
      if (!best || distance < Math.abs(best.bits - format.elementBits)) best = { id, bits: source.elementBits, value };
    }
    if (best) {
      return {
        value: best.value * (symmetricLevels(best.bits) / symmetricLevels(format.elementBits)) ** 2,
        how: 'extrapolated',
        note: `extrapolated from ${best.id} by the uniform-noise law`,
      };
    }
  }
  if (stats) return { value: estimatePerturbation(format, stats), how: 'estimated', note: 'estimated from weightStats' };
  return undefined;
}

/**
 * The sensitivity of one layer at one candidate, by design.md's order of preference:
 * lossDelta[c]; else curvature x perturbation[w] (+ activationTrace x activationPerturbation[a]),
 * the curvature being the mean Hessian trace (HAWQ-V2/V3) or, without it, the top Hessian
 * eigenvalue (HAWQ-V1). With `weightStatsAlone` (no layer of the model carries a loss-side
 * measurement) the relative weight error ||Q(W) - W||^2 / ||W||^2 instead, ||W||^2 = count x rms^2:
 * by the linearity theorem (Malinovskii et al. 2024, https://arxiv.org/abs/2411.17525) a layer's
 * loss change is alpha_l times it, and without a measurement of alpha_l every layer counts as
 * equally sensitive, so the sum ranks plans but predicts no loss change. Returns a message
 * instead of a score when the evidence cannot score this candidate.
 */
export function scoreCandidate(layer: Layer, candidate: Candidate, weightStatsAlone = false): Score | string {
  const sensitivity = layer.sensitivity;
  if (!sensitivity) return 'has no sensitivity; give lossDelta, or hessianTrace (or hessianEigenvalue) with perturbation or weightStats, pin the layer, or tie it (model.groups) to a layer that has evidence';
  if (weightStatsAlone) {
    const stats = statisticsOf(layer);
    if (!stats) return 'has no weightStats, which every layer needs when no layer carries lossDelta or a Hessian (the plan then rests on weight statistics alone); give weightStats, or measure lossDelta or hessianTrace for every layer';
    // A measured perturbation, where one is given, beats the estimate.
    const weight = perturbationFor(sensitivity.perturbation, candidate.weight, stats)!;
    const norm = stats.count * stats.rms * stats.rms;
    const value = norm > 0 ? weight.value / norm : 0;
    const estimates = weight.note ? [`weight perturbation for ${candidate.weight.id} ${weight.note}`] : undefined;
    return { value, source: 'relative weight error (weightStats alone)', ...(estimates ? { estimates } : {}) };
  }
  const measuredLoss = sensitivity.lossDelta?.[candidate.id];
  if (measuredLoss !== undefined) return { value: measuredLoss, source: 'lossDelta' };
  const curvature = sensitivity.hessianTrace ?? sensitivity.hessianEigenvalue;
  const curvatureName = sensitivity.hessianTrace !== undefined ? 'hessianTrace' : 'hessianEigenvalue';
  if (curvature === undefined) {
    return `has no lossDelta for ${candidate.id} and no hessianTrace or hessianEigenvalue to score it with`;
  }
  const weight = perturbationFor(sensitivity.perturbation, candidate.weight, statisticsOf(layer));
  if (!weight) {
    return `has no perturbation for weight format ${candidate.weight.id}, none to extrapolate it from and no weightStats to estimate it (give perturbation.${candidate.weight.id}, weightStats or lossDelta["${candidate.id}"])`;
  }
  let value = curvature * weight.value;
  const estimates: string[] = [];
  let how = weight.how;
  if (weight.note) estimates.push(`weight perturbation for ${candidate.weight.id} ${weight.note}`);
  if (sensitivity.activationTrace !== undefined) {
    const activation = perturbationFor(sensitivity.activationPerturbation, candidate.activation);
    if (!activation) {
      return `has activationTrace but no activationPerturbation for ${candidate.activation.id} and none to extrapolate it from`;
    }
    value += sensitivity.activationTrace * activation.value;
    if (activation.note) estimates.push(`activation perturbation for ${candidate.activation.id} ${activation.note}`);
    if (how === 'measured') how = activation.how;
  }
  const source = (how === 'measured' ? `${curvatureName} x perturbation` : `${curvatureName} x ${how} perturbation`) as SensitivitySource;
  return estimates.length > 0 ? { value, source, estimates } : { value, source };
}

/** The layer's weightStats as the estimate reads them (count defaults to params), or undefined. Made only where a score needs them: a layer scored by lossDelta never does. */
function statisticsOf(layer: Layer): { absMax: number; rms: number; count: number; channels?: number } | undefined {
  const given = layer.sensitivity?.weightStats;
  return given && { absMax: given.absMax, rms: given.rms, count: given.count ?? layer.params, ...(given.granularity === 'per-channel' && given.channels ? { channels: given.channels } : {}) };
}

/**
 * True when the model's evidence is weight statistics alone: some layer has weightStats, none
 * has a loss-side measurement (a loss change, a Hessian trace or eigenvalue, an activation
 * trace) and there are no pair terms. Such a plan is scored by relative weight error.
 */
export function restsOnWeightStatsAlone(model: { layers: readonly Layer[]; interactions?: readonly unknown[] }): boolean {
  if (model.interactions?.length) return false;
  let stats = false;
  for (const layer of model.layers) {
    const s = layer.sensitivity;
    if (!s) continue;
    if (s.lossDelta || s.hessianTrace !== undefined || s.hessianTraceSum !== undefined || s.hessianEigenvalue !== undefined || s.activationTrace !== undefined) return false;
    if (s.weightStats) stats = true;
  }
  return stats;
}
