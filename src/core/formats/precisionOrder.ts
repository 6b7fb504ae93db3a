/**
 * Which candidates are certainly at least as precise as others: the order measured loss changes
 * must respect. Only formats of one family are ordered (same kind, same block size and scale
 * format; floats with the same exponent width): int8 over int4, int8-g128 over int4-g128, e4m3
 * over e4m2. Across families (int8 against fp8-e4m3, int4-g128 against nvfp4) the error depends
 * on the weights' distribution, so no order is assumed.
 */
import type { NumericFormat } from './format.js';
import type { Candidate } from './candidate.js';

/** Format a represents everything b does at least as finely (a refines b). */
export function formatAtLeastAsPrecise(a: NumericFormat, b: NumericFormat): boolean {
  if (a.id === b.id) return true;
  if (a.kind !== b.kind || a.blockSize !== b.blockSize || a.scaleFormat !== b.scaleFormat) return false;
  if (a.kind === 'integer') return a.elementBits >= b.elementBits;
  return a.exponentBits === b.exponentBits && (a.mantissaBits ?? 0) >= (b.mantissaBits ?? 0);
}

/** Candidate a is more precise than b: at least as precise in weights and activations, and not the same. */
export function morePrecise(a: Candidate, b: Candidate): boolean {
  return a.id !== b.id && formatAtLeastAsPrecise(a.weight, b.weight) && formatAtLeastAsPrecise(a.activation, b.activation);
}
