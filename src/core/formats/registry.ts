import type { NumericFormat } from './format.js';

const REF = 'shared/reference/formats-and-hardware.md';

function integerFormat(bits: number): NumericFormat {
  return {
    id: `int${bits}`,
    kind: 'integer',
    elementBits: bits,
    exponentBits: null,
    mantissaBits: null,
    blockSize: null,
    scaleFormat: 'fp32 per tensor or per output channel (amortised, counted as 0 bits)',
    scaleBitsPerElement: 0,
    largestFinite: 2 ** (bits - 1) - 1,
    description: `${bits}-bit symmetric integer, range [-${2 ** (bits - 1) - 1}, ${2 ** (bits - 1) - 1}] times one scale`,
    source: `${REF} 1.1 (symmetric integer grid; TFLite int8 spec)`,
  };
}

/** Group-wise integer weights with one fp16 scale per `groupSize` elements, no zero point. */
export function groupedIntegerFormat(bits: number, groupSize: number): NumericFormat {
  return {
    ...integerFormat(bits),
    id: `int${bits}-g${groupSize}`,
    blockSize: groupSize,
    scaleFormat: 'fp16',
    scaleBitsPerElement: 16 / groupSize,
    description: `${bits}-bit symmetric integer with one fp16 scale per ${groupSize} elements (${bits} + 16/${groupSize} bits per element)`,
    source: `${REF} 1.4 (generic int4, symmetric, fp16 scale, g=128: 4.125 bits)`,
  };
}

/**
 * Largest finite value of a minifloat with no Inf and no NaN encodings (the OCP MX FP6/FP4
 * convention): every exponent code is a normal number, bias 2^(e-1)-1.
 */
export function minifloatLargestFinite(exponentBits: number, mantissaBits: number): number {
  const bias = 2 ** (exponentBits - 1) - 1;
  const maxExponent = 2 ** exponentBits - 1 - bias;
  return 2 ** maxExponent * (2 - 2 ** -mantissaBits);
}

function floatFormat(
  id: string,
  exponentBits: number,
  mantissaBits: number,
  largestFinite: number,
  description: string,
  source: string,
): NumericFormat {
  return {
    id,
    kind: 'float',
    elementBits: 1 + exponentBits + mantissaBits,
    exponentBits,
    mantissaBits,
    blockSize: null,
    scaleFormat: null,
    scaleBitsPerElement: 0,
    largestFinite,
    description,
    source,
  };
}

function blockScaled(
  id: string,
  element: NumericFormat,
  blockSize: number,
  scaleFormat: string,
  scaleBits: number,
  description: string,
  source: string,
): NumericFormat {
  return { ...element, id, blockSize, scaleFormat, scaleBitsPerElement: scaleBits / blockSize, description, source };
}

const FP8_E4M3 = floatFormat('fp8-e4m3', 4, 3, 448, 'OCP FP8 E4M3 (E4M3FN): no Inf, NaN only at S.1111.111', `${REF} 1.2 (gfloat ocp_e4m3; CUDA __nv_fp8_e4m3)`);
const FP6_E3M2 = floatFormat('fp6-e3m2', 3, 2, 28, 'OCP MX FP6 E3M2: no Inf, no NaN', `${REF} 1.2 (gfloat ocp_e3m2)`);
const FP4_E2M1 = floatFormat('fp4-e2m1', 2, 1, 6, 'OCP MX FP4 E2M1 (the NVFP4/MXFP4 element): no Inf, no NaN', `${REF} 1.2 (gfloat ocp_e2m1)`);

export const BUILT_IN_FORMATS: readonly NumericFormat[] = [
  ...[2, 3, 4, 5, 6, 7, 8].map(integerFormat),
  groupedIntegerFormat(2, 128),
  groupedIntegerFormat(3, 128),
  groupedIntegerFormat(4, 128),
  groupedIntegerFormat(4, 64),
  groupedIntegerFormat(4, 32),
  groupedIntegerFormat(8, 128),
  floatFormat('fp32', 8, 23, 3.4028234663852886e38, 'IEEE binary32', `${REF} 1.2`),
  floatFormat('fp16', 5, 10, 65504, 'IEEE binary16', `${REF} 1.2`),
  floatFormat('bf16', 8, 7, 3.3895313892515355e38, 'bfloat16', `${REF} 1.2`),
  FP8_E4M3,
  floatFormat('fp8-e5m2', 5, 2, 57344, 'OCP FP8 E5M2 (IEEE-style Inf and NaN)', `${REF} 1.2 (gfloat ocp_e5m2)`),
  FP6_E3M2,
  floatFormat('fp6-e2m3', 2, 3, 7.5, 'OCP MX FP6 E2M3: no Inf, no NaN', `${REF} 1.2 (gfloat ocp_e2m3)`),
  FP4_E2M1,
  blockScaled('mxfp8', FP8_E4M3, 32, 'e8m0', 8, 'OCP MXFP8: E4M3 elements, one E8M0 scale per 32 (8.25 bits)', `${REF} 1.3 (TransformerEngine MXFP8 doc)`),
  blockScaled('mxfp6', FP6_E3M2, 32, 'e8m0', 8, 'OCP MXFP6: E3M2 elements, one E8M0 scale per 32 (6.25 bits)', `${REF} 1.3`),
  blockScaled('mxfp4', FP4_E2M1, 32, 'e8m0', 8, 'OCP MXFP4: E2M1 elements, one E8M0 scale per 32 (4.25 bits)', `${REF} 1.3 (ggml block_mxfp4 17 B / 32)`),
  // The per-tensor fp32 second-level scale of NVFP4 is amortised over the tensor and not counted.
  blockScaled('nvfp4', FP4_E2M1, 16, 'ue4m3', 8, 'NVIDIA NVFP4: E2M1 elements, one UE4M3 scale per 16, one fp32 scale per tensor (4.5 bits)', `${REF} 1.3 (Intel Neural Compressor NVFP4 doc; NVIDIA cuTile: 9 bytes per 16 values)`),
];

const CUSTOM_MINIFLOAT = /^e([1-8])m([0-9]|1[0-9]|2[0-3])$/;

/** A custom minifloat `eXmY` (1 sign, X exponent, Y mantissa bits; no Inf or NaN encodings). */
function customMinifloat(id: string): NumericFormat | undefined {
  const match = CUSTOM_MINIFLOAT.exec(id);
  if (!match) return undefined;
  const exponentBits = Number(match[1]);
  const mantissaBits = Number(match[2]);
  return floatFormat(
    id,
    exponentBits,
    mantissaBits,
    minifloatLargestFinite(exponentBits, mantissaBits),
    `custom minifloat: 1 sign, ${exponentBits} exponent, ${mantissaBits} mantissa bits, bias 2^(${exponentBits}-1)-1, no Inf or NaN`,
    'FPGA minifloat study (Aggarwal et al., arXiv:2311.12359); OCP MX convention for the largest value',
  );
}

const BY_ID = new Map(BUILT_IN_FORMATS.map((format) => [format.id, format]));

/** The format with this id, built in or a custom `eXmY` minifloat; undefined when unknown. */
export function findFormat(id: string): NumericFormat | undefined {
  return BY_ID.get(id) ?? customMinifloat(id);
}

export const FORMAT_ID_HINT =
  'a built-in format id (int2..int8, int4-g128, fp16, bf16, fp8-e4m3, mxfp4, nvfp4, ... see GET /v1/formats) or a custom minifloat eXmY such as e3m4';
