/**
 * A numeric format a weight or an activation tensor can be stored and computed in.
 *
 * Every format's `source` field names the public specification, paper or implementation its
 * figures come from (registry.ts).
 */
export type FormatKind = 'integer' | 'float';

export interface NumericFormat {
  /** Registry id, e.g. `int4`, `int4-g128`, `fp8-e4m3`, `nvfp4`, `e3m4`. */
  id: string;
  kind: FormatKind;
  /** Bits of one stored element, before any shared scale. */
  elementBits: number;
  /** Exponent and mantissa bits of a floating-point element (null for integers). */
  exponentBits: number | null;
  mantissaBits: number | null;
  /** Elements sharing one scale; null when the scale is per tensor and its cost is negligible. */
  blockSize: number | null;
  /** The shared scale's format, e.g. `fp16`, `e8m0`, `ue4m3`, or null. */
  scaleFormat: string | null;
  /** Scale (and zero-point) bits amortised over each element: scaleBits / blockSize. */
  scaleBitsPerElement: number;
  /** Largest finite magnitude of one element before scaling (integers: symmetric range 2^(b-1)-1). */
  largestFinite: number;
  description: string;
  source: string;
}

/** Bits one element costs in memory, scale overhead included (the `avgBits` of a tensor). */
export function effectiveBits(format: NumericFormat): number {
  return format.elementBits + format.scaleBitsPerElement;
}
