import type { NumericFormat } from './format.js';

// Public sources, cited in each format's `source`.
const TFLITE_INT8 = 'TensorFlow Lite 8-bit quantization specification (symmetric weights, zero point 0), https://www.tensorflow.org/lite/performance/quantization_spec';
const GFLOAT = 'graphcore-research/gfloat format tables, https://github.com/graphcore-research/gfloat';
const OCP_MX = 'OCP Microscaling Formats (MX) Specification v1.0, https://www.opencompute.org/documents/ocp-microscaling-formats-mx-v1-0-spec-final-pdf; Rouhani et al., arXiv:2310.10537, https://arxiv.org/abs/2310.10537';

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
    source: `symmetric integer grid [-(2^(b-1)-1), 2^(b-1)-1]; ${TFLITE_INT8}`,
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
    source: 'group-wise weights with one fp16 scale per group, the GPTQ/AWQ layout without its zero points (AutoGPTQ qlinear, https://github.com/AutoGPTQ/AutoGPTQ): b + 16/g bits, 4.125 for int4-g128',
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

const FP8_E4M3 = floatFormat('fp8-e4m3', 4, 3, 448, 'OCP FP8 E4M3 (E4M3FN): no Inf, NaN only at S.1111.111', `Micikevicius et al., FP8 Formats for Deep Learning, arXiv:2209.05433, https://arxiv.org/abs/2209.05433; CUDA Math API __nv_fp8_e4m3, https://docs.nvidia.com/cuda/cuda-math-api/; ${GFLOAT}`);
const FP6_E3M2 = floatFormat('fp6-e3m2', 3, 2, 28, 'OCP MX FP6 E3M2: no Inf, no NaN', `${OCP_MX}; ${GFLOAT}`);
const FP4_E2M1 = floatFormat('fp4-e2m1', 2, 1, 6, 'OCP MX FP4 E2M1 (the NVFP4/MXFP4 element): no Inf, no NaN', `${OCP_MX}; ${GFLOAT}`);

const GGML_SIZES = 'ggml GGML_QUANT_SIZES (block size, bytes per block), https://github.com/ggml-org/llama.cpp/blob/master/gguf-py/gguf/constants.py; block layouts in ggml-common.h, https://github.com/ggml-org/llama.cpp/blob/master/ggml/src/ggml-common.h';

/**
 * A ggml tensor type as llama.cpp stores it (llama-quantize --tensor-type-file): `bits`-bit
 * integers with one scale per sub-block of `subBlock` elements; `bitsPerWeight` is the type's
 * whole size (8 x bytes per block / block size), so the scale share is the rest. The sub-block
 * sets the error estimate; the row-length rule of a k-quant (256 elements) is llama.cpp's
 * (targets/checkpoints.ts).
 */
function ggmlType(id: string, bits: number, subBlock: number, bitsPerWeight: number, scaleFormat: string, layout: string): NumericFormat {
  return {
    ...integerFormat(bits),
    id,
    blockSize: subBlock,
    scaleFormat,
    scaleBitsPerElement: bitsPerWeight - bits,
    description: `llama.cpp ${id.toUpperCase()}: ${layout} (${bitsPerWeight} bits per weight)`,
    source: GGML_SIZES,
  };
}

/** The ggml integer types llama.cpp users deploy with; llama.cpp plans are priced in their real sizes. */
export const GGML_FORMATS: readonly NumericFormat[] = [
  ggmlType('q8_0', 8, 32, 8.5, 'fp16 per 32', 'blocks of 32 8-bit values with one fp16 scale, 34 bytes'),
  ggmlType('q6_k', 6, 16, 6.5625, 'int8 per 16, fp16 per 256', 'super-blocks of 256: 16 blocks of 16 6-bit values with 8-bit scales and one fp16 scale, 210 bytes'),
  ggmlType('q5_k', 5, 32, 5.5, '6-bit scale and min per 32, fp16 per 256', 'super-blocks of 256: 8 blocks of 32 5-bit values with 6-bit scales and mins, fp16 d and dmin, 176 bytes'),
  ggmlType('q5_0', 5, 32, 5.5, 'fp16 per 32', 'blocks of 32 5-bit values with one fp16 scale, 22 bytes'),
  ggmlType('q4_k', 4, 32, 4.5, '6-bit scale and min per 32, fp16 per 256', 'super-blocks of 256: 8 blocks of 32 4-bit values with 6-bit scales and mins, fp16 d and dmin, 144 bytes'),
  ggmlType('q4_0', 4, 32, 4.5, 'fp16 per 32', 'blocks of 32 4-bit values with one fp16 scale, 18 bytes'),
  ggmlType('q3_k', 3, 16, 3.4375, '6-bit scale per 16, fp16 per 256', 'super-blocks of 256: 16 blocks of 16 3-bit values with 6-bit scales and one fp16 scale, 110 bytes'),
  ggmlType('q2_k', 2, 16, 2.625, '4-bit scale and min per 16, fp16 per 256', 'super-blocks of 256: 16 blocks of 16 2-bit values with 4-bit scales and mins, fp16 d and dmin, 84 bytes'),
];

export const BUILT_IN_FORMATS: readonly NumericFormat[] = [
  ...[2, 3, 4, 5, 6, 7, 8].map(integerFormat),
  groupedIntegerFormat(2, 128),
  groupedIntegerFormat(3, 128),
  groupedIntegerFormat(4, 128),
  groupedIntegerFormat(4, 64),
  groupedIntegerFormat(4, 32),
  groupedIntegerFormat(8, 128),
  floatFormat('fp32', 8, 23, 3.4028234663852886e38, 'IEEE binary32', `IEEE 754-2008 binary32; ${GFLOAT}`),
  floatFormat('fp16', 5, 10, 65504, 'IEEE binary16', `IEEE 754-2008 binary16; ${GFLOAT}`),
  floatFormat('bf16', 8, 7, 3.3895313892515355e38, 'bfloat16', `bfloat16 (the top 16 bits of binary32); ${GFLOAT}`),
  FP8_E4M3,
  floatFormat('fp8-e5m2', 5, 2, 57344, 'OCP FP8 E5M2 (IEEE-style Inf and NaN)', `Micikevicius et al., arXiv:2209.05433, https://arxiv.org/abs/2209.05433; ${GFLOAT}`),
  FP6_E3M2,
  floatFormat('fp6-e2m3', 2, 3, 7.5, 'OCP MX FP6 E2M3: no Inf, no NaN', `${OCP_MX}; ${GFLOAT}`),
  FP4_E2M1,
  blockScaled('mxfp8', FP8_E4M3, 32, 'e8m0', 8, 'OCP MXFP8: E4M3 elements, one E8M0 scale per 32 (8.25 bits)', `${OCP_MX}; NVIDIA Transformer Engine MXFP8 (block of 32, E8M0 scale), https://nvidia.github.io/TransformerEngine/features/low_precision_training/mxfp8/mxfp8.html`),
  blockScaled('mxfp6', FP6_E3M2, 32, 'e8m0', 8, 'OCP MXFP6: E3M2 elements, one E8M0 scale per 32 (6.25 bits)', `${OCP_MX}`),
  blockScaled('mxfp4', FP4_E2M1, 32, 'e8m0', 8, 'OCP MXFP4: E2M1 elements, one E8M0 scale per 32 (4.25 bits)', `${OCP_MX}; ggml block_mxfp4 (17 bytes per 32 values), https://github.com/ggml-org/llama.cpp/blob/master/ggml/src/ggml-common.h`),
  // The per-tensor fp32 second-level scale of NVFP4 is amortised over the tensor and not counted.
  blockScaled('nvfp4', FP4_E2M1, 16, 'ue4m3', 8, 'NVIDIA NVFP4: E2M1 elements, one UE4M3 scale per 16, one fp32 scale per tensor (4.5 bits)', 'NVIDIA, Introducing NVFP4 for Efficient and Accurate Low-Precision Inference, https://developer.nvidia.com/blog/introducing-nvfp4-for-efficient-and-accurate-low-precision-inference/; Intel Neural Compressor NVFP4 (E2M1, UE4M3 scale per 16, fp32 per tensor), https://intel.github.io/neural-compressor/latest/docs/source/3x/PT_NVFP4Quant.html'),
  ...GGML_FORMATS,
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
    `Aggarwal et al., Shedding the Bits: Pushing the Boundaries of Quantization with Minifloats on FPGAs (FPL 2024), arXiv:2311.12359, https://arxiv.org/abs/2311.12359; the largest value by the OCP MX convention (${OCP_MX})`,
  );
}

const BY_ID = new Map(BUILT_IN_FORMATS.map((format) => [format.id, format]));

/** The format with this id, built in or a custom `eXmY` minifloat; undefined when unknown. */
export function findFormat(id: string): NumericFormat | undefined {
  return BY_ID.get(id) ?? customMinifloat(id);
}

export const FORMAT_ID_HINT =
  'a built-in format id (int2..int8, int4-g128, fp16, bf16, fp8-e4m3, mxfp4, nvfp4, ... see GET /v1/formats) or a custom minifloat eXmY such as e3m4';
