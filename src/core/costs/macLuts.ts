import type { Candidate } from '../formats/candidate.js';
import type { NumericFormat } from '../formats/format.js';

/** Dot-product length assumed when a layer does not state it (only its log2 enters). */
export const DEFAULT_DOT_PRODUCT_LENGTH = 4096;

function significandBits(format: NumericFormat): number {
  return format.kind === 'integer' ? format.elementBits : format.mantissaBits! + 1;
}

/**
 * Estimated LUTs of one MAC unit for a pair of formats, after the FPGA cost model of Aggarwal
 * et al., "Shedding the Bits" (arXiv:2311.12359, FPL 2024):
 * - accumulator width, integer x integer: b_w + b_a + ceil(log2 n) + 1 (the paper, citing A2Q);
 *   with a minifloat operand (exact, Kulisch-style): 2^e_w + m_w + 2^e_a + m_a + ceil(log2 n) - 1,
 *   an integer operand counting as e = 0, m = b - 1;
 * - multiplier: the product of the significand widths (an array multiplier's size); the study's
 *   own LUT tables were not available, so this term is an estimate;
 * one LUT per accumulator bit.
 */
export function macUnitLuts(candidate: Candidate, dotProductLength: number): number {
  const { weight: w, activation: a } = candidate;
  const logN = Math.ceil(Math.log2(Math.max(2, dotProductLength)));
  const multiplier = significandBits(w) * significandBits(a);
  const accumulator =
    w.kind === 'integer' && a.kind === 'integer'
      ? w.elementBits + a.elementBits + logN + 1
      : exponentSpan(w) + mantissa(w) + exponentSpan(a) + mantissa(a) + logN - 1;
  return multiplier + accumulator;
}

function exponentSpan(format: NumericFormat): number {
  return format.kind === 'integer' ? 1 : 2 ** format.exponentBits!;
}

function mantissa(format: NumericFormat): number {
  return format.kind === 'integer' ? format.elementBits - 1 : format.mantissaBits!;
}
