import type { HardwareProfile } from '../hardware/profile.js';
import type { Layer } from '../model/model.js';
import type { Candidate } from '../formats/candidate.js';
import { effectiveBits, type NumericFormat } from '../formats/format.js';

/** Bytes one batch moves through DRAM: the weights once, the activations per sample. */
export function bytesMoved(layer: Layer, candidate: Candidate, batchSize: number): number {
  const weightBytes = (layer.params * effectiveBits(candidate.weight)) / 8;
  const activationBytes = ((layer.activationElements ?? 0) * effectiveBits(candidate.activation)) / 8;
  return weightBytes + batchSize * activationBytes;
}

export interface RooflineTime {
  computeMs: number;
  memoryMs: number;
  latencyMs: number;
}

/**
 * The roofline time of a layer: the slower of computing (2 operations per MAC at the compute
 * format's dense peak) and moving its bytes at the memory bandwidth. Undefined when the profile
 * gives no peak for the compute format or the layer no macs.
 */
export function rooflineTime(
  layer: Layer,
  candidate: Candidate,
  compute: NumericFormat,
  profile: HardwareProfile,
  batchSize: number,
): RooflineTime | undefined {
  const peak = profile.peakTeraOpsPerSecond[compute.id];
  if (peak === undefined || layer.macs === undefined) return undefined;
  const computeMs = ((2 * layer.macs * batchSize) / (peak * 1e12)) * 1e3;
  const memoryMs = (bytesMoved(layer, candidate, batchSize) / (profile.memoryBandwidthGBps * 1e9)) * 1e3;
  return { computeMs, memoryMs, latencyMs: Math.max(computeMs, memoryMs) };
}
