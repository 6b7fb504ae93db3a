import type { HardwareProfile } from './profile.js';
import { findFormat } from '../formats/registry.js';

/**
 * Energy per multiply-accumulate and per DRAM byte from Horowitz, "Computing's energy problem
 * (and what we can do about it)", ISSCC 2014, 45 nm, 0.9 V, https://doi.org/10.1109/ISSCC.2014.6757323
 * (figures as reproduced identically by several sources, e.g. stillwater-sc/universal's
 * generic_45nm cost model):
 *   8-bit int mult 0.2 pJ, 32-bit int add 0.1 pJ, fp16 mult 1.1 pJ, fp16 add 0.4 pJ,
 *   fp32 mult 3.7 pJ, fp32 add 0.9 pJ, DRAM 1.3-2.6 nJ per 64-bit access.
 * Formats Horowitz does not list are derived (marked [D]): a multiplier's energy scales with
 * the square of its significand width, so an integer b-bit MAC costs 0.2 (b/8)^2 + 0.1 pJ
 * (int32 accumulate) and a float MAC with m mantissa bits 1.1 ((m+1)/11)^2 + 0.4 pJ (fp16
 * accumulate). DRAM takes the low end, 1.3 nJ / 8 bytes = 162.5 pJ per byte.
 * These are 45 nm technology figures, not any chip's own: they rank formats, they do not
 * predict a chip's joules.
 */
export const HOROWITZ_SOURCE =
  'Horowitz, ISSCC 2014 (45 nm): int8 mult 0.2 + int32 add 0.1 pJ; fp16 mult 1.1 + add 0.4; fp32 mult 3.7 + add 0.9; DRAM 1.3 nJ per 64 bits (low end of 1.3-2.6). Other formats derived: multiplier energy scales with significand width squared. https://doi.org/10.1109/ISSCC.2014.6757323';

export function horowitzMacPicojoules(formatId: string): number | undefined {
  if (formatId === 'fp32') return 3.7 + 0.9;
  if (formatId === 'fp16') return 1.1 + 0.4;
  if (formatId === 'int8') return 0.2 + 0.1;
  const format = findFormat(formatId);
  if (!format) return undefined;
  if (format.kind === 'integer') return 0.2 * (format.elementBits / 8) ** 2 + 0.1;
  return 1.1 * ((format.mantissaBits! + 1) / 11) ** 2 + 0.4;
}

/** The Horowitz energy model for a profile's native compute formats. */
export function horowitzEnergy(formats: string[]): NonNullable<HardwareProfile['energy']> {
  return {
    macPicojoules: Object.fromEntries(formats.map((id) => [id, Number(horowitzMacPicojoules(id)!.toFixed(6))])),
    dramPicojoulesPerByte: 1300 / 8,
    source: HOROWITZ_SOURCE,
  };
}
