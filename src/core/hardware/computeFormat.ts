import type { HardwareProfile } from './profile.js';
import type { Candidate } from '../formats/candidate.js';
import type { NumericFormat } from '../formats/format.js';
import { findFormat } from '../formats/registry.js';

/**
 * Whether an operand stored in `from` enters a unit computing in `to` without loss:
 * - the same format;
 * - an integer into a wider integer (int4 weights on int8 tensor cores);
 * - an integer into a float whose significand and range hold it (int8 into fp16);
 * - a float into a float with at least its exponent and mantissa bits (fp8 into fp16);
 * - a block-scaled or group-scaled format only into itself or a 16/32-bit float, after
 *   dequantization (weight-only kernels: int4-g128 weights, fp16 activations).
 */
export function fitsInto(from: NumericFormat, to: NumericFormat): boolean {
  if (from.id === to.id) return true;
  const wideFloat = to.kind === 'float' && to.elementBits >= 16 && to.blockSize === null;
  if (from.blockSize !== null) return wideFloat;
  if (to.blockSize !== null) return false;
  if (from.kind === 'integer') {
    if (to.kind === 'integer') return from.elementBits <= to.elementBits;
    return to.mantissaBits! + 1 >= from.elementBits - 1 && to.largestFinite >= 2 ** (from.elementBits - 1);
  }
  return to.kind === 'float' && to.exponentBits! >= from.exponentBits! && to.mantissaBits! >= from.mantissaBits!;
}

/** Whether the profile computes natively in this format (FPGA profiles take any minifloat). */
export function isNative(profile: HardwareProfile, format: NumericFormat): boolean {
  if (profile.nativeFormats.includes(format.id)) return true;
  return profile.anyMinifloat === true && format.kind === 'float' && format.blockSize === null && format.elementBits <= 16;
}

export interface ComputePlan {
  /** The format the multiply-accumulates run in. */
  format: NumericFormat;
  /** False when the pair is not native and runs emulated in a wider format. */
  native: boolean;
}

/**
 * The format a pair actually computes in on a profile: the wider of its two formats when the
 * chip runs it natively and the narrower fits into it; else (emulation) the fastest native
 * format both fit into. Undefined when no native format holds both.
 */
export function computePlan(profile: HardwareProfile, candidate: Candidate): ComputePlan | undefined {
  const { weight, activation } = candidate;
  const [narrow, wide] = weight.elementBits <= activation.elementBits ? [weight, activation] : [activation, weight];
  if (isNative(profile, wide) && fitsInto(narrow, wide)) return { format: wide, native: true };
  let best: { format: NumericFormat; peak: number } | undefined;
  for (const [id, peak] of Object.entries(profile.peakTeraOpsPerSecond)) {
    const format = findFormat(id);
    if (!format || !isNative(profile, format) || !fitsInto(weight, format) || !fitsInto(activation, format)) continue;
    const better = !best || peak > best.peak || (peak === best.peak && format.kind === wide.kind && best.format.kind !== wide.kind);
    if (better) best = { format, peak };
  }
  return best && { format: best.format, native: false };
}
