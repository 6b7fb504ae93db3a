import type { NumericFormat } from '../formats/format.js';
import type { PlanExport } from '../exports/planExports.js';
import type { LayerKind } from './layerKind.js';
import { LAYER_KINDS } from './layerKind.js';

/** Activations a scheme takes: kept in the model's 16/32-bit float, or quantized to one of these formats. */
export type ActivationSpec = 'unquantized' | readonly string[];

/** One way a runtime executes a layer: the weight and activation formats it takes, on which layers and chips. */
export interface SchemeRule {
  /** The runtime's or the checkpoint's own name for it (W4A16, FP8, NVFP4, q4_k, ...). */
  scheme: string;
  /** Weight format ids. */
  weights: readonly string[];
  activations: ActivationSpec;
  kinds: readonly LayerKind[];
  /** Built-in hardware ids it runs on; absent, any chip the hardware profile allows. */
  hardware?: readonly string[];
  /** Why the chip restriction, with its source. */
  hardwareNote?: string;
}

export type CheckpointId = 'compressed-tensors' | 'modelopt' | 'gptq' | 'gguf' | 'hawq';

/** A checkpoint format a runtime reads: what its reader executes, and the export that writes it. */
export interface CheckpointRules {
  id: CheckpointId;
  /** The ?format= that writes this checkpoint's configuration. */
  export: PlanExport;
  /** Who reads it, and where (a public source). */
  reader: string;
  schemes: readonly SchemeRule[];
  /** The row length (inFeatures) a weight format needs a multiple of in this checkpoint; undefined: none. */
  rowMultiple: (weight: NumericFormat) => number | undefined;
  /** rowMultiple in words, for GET /v1/targets and messages. */
  rowRule: string;
  /** A hint for candidates none of the schemes takes. */
  hint: string;
}

const FLOATS = ['fp16', 'bf16', 'fp32'];
const LINEAR: readonly LayerKind[] = ['linear'];

/** 16/32-bit floats: the layer stays unquantized, which every reader accepts on every kind of layer. */
const UNQUANTIZED: SchemeRule = { scheme: 'unquantized', weights: FLOATS, activations: 'unquantized', kinds: LAYER_KINDS };

/** The group or block a format's weights are scaled by must divide a row (per-channel and per-tensor scales need nothing). */
const blockOf = (weight: NumericFormat) => weight.blockSize ?? undefined;

const VLLM = 'https://github.com/vllm-project/vllm/blob/main/vllm/model_executor/layers/quantization';

export const COMPRESSED_TENSORS: CheckpointRules = {
  id: 'compressed-tensors',
  export: 'llm-compressor',
  reader: `vLLM's compressed-tensors reader (CompressedTensorsConfig._get_scheme_from_parts, ${VLLM}/compressed_tensors/compressed_tensors.py; FusedMoE: compressed_tensors_moe.py) loading a checkpoint that llm-compressor's oneshot wrote from the recipe (https://github.com/vllm-project/llm-compressor)`,
  schemes: [
    { scheme: 'W4A16', weights: ['int4', 'int4-g32', 'int4-g64', 'int4-g128'], activations: 'unquantized', kinds: LINEAR },
    { scheme: 'W8A16', weights: ['int8', 'int8-g128'], activations: 'unquantized', kinds: LINEAR },
    { scheme: 'W8A8 (int8, dynamic per-token activations)', weights: ['int8'], activations: ['int8'], kinds: LINEAR },
    { scheme: 'FP8 (dynamic per-token activations)', weights: ['fp8-e4m3'], activations: ['fp8-e4m3'], kinds: LINEAR },
    { scheme: 'FP8 weight-only (W8A16 FP8)', weights: ['fp8-e4m3'], activations: 'unquantized', kinds: LINEAR },
    { scheme: 'NVFP4', weights: ['nvfp4'], activations: ['nvfp4'], kinds: LINEAR },
    { scheme: 'NVFP4A16', weights: ['nvfp4'], activations: 'unquantized', kinds: LINEAR },
    { scheme: 'MXFP4A16', weights: ['mxfp4'], activations: 'unquantized', kinds: LINEAR },
    {
      scheme: 'W4A8 (int4 weights, fp8 activations)',
      weights: ['int4-g128'],
      activations: ['fp8-e4m3'],
      kinds: LINEAR,
      hardware: ['nvidia-h100'],
      hardwareNote: 'vLLM selects CompressedTensorsW4A8Fp8 only on compute capability 9.0 exactly (_is_fp8_w4a8_sm90)',
    },
    UNQUANTIZED,
  ],
  rowMultiple: blockOf,
  rowRule: 'a group or block (int4-g128: 128, nvfp4: 16, mxfp4: 32) must divide the row length',
  hint: 'vLLM runs 4- and 8-bit integer weights (per channel or in groups of 32, 64, 128), int8/int8, fp8-e4m3 (with fp8 or 16-bit activations), nvfp4 and mxfp4 from compressed-tensors',
};

export const VLLM_MODELOPT: CheckpointRules = {
  id: 'modelopt',
  export: 'modelopt',
  reader: `vLLM's ModelOpt mixed-precision reader (ModelOptMixedPrecisionConfig, ${VLLM}/modelopt.py): per layer only FP8, NVFP4 and W4A16_NVFP4; any other quant_algo loads unquantized`,
  schemes: [
    { scheme: 'FP8', weights: ['fp8-e4m3'], activations: ['fp8-e4m3'], kinds: LINEAR },
    { scheme: 'NVFP4', weights: ['nvfp4'], activations: ['nvfp4'], kinds: LINEAR },
    { scheme: 'W4A16_NVFP4', weights: ['nvfp4'], activations: 'unquantized', kinds: LINEAR },
    UNQUANTIZED,
  ],
  rowMultiple: blockOf,
  rowRule: 'nvfp4\'s block of 16 must divide the row length',
  hint: 'vLLM reads fp8-e4m3/fp8-e4m3, nvfp4/nvfp4 and weight-only nvfp4 from a ModelOpt file (plan for its compressed-tensors checkpoint, ?format=llm-compressor, for integer formats)',
};

export const GPTQ: CheckpointRules = {
  id: 'gptq',
  export: 'gptq',
  reader: `vLLM's GPTQ-Marlin reader with GPTQModel's dynamic overrides (get_dynamic_override, ${VLLM}/utils/gptq_utils.py; gptq_marlin.py TYPE_MAP: 4 and 8 bits, symmetric)`,
  schemes: [
    { scheme: 'GPTQ 4-bit', weights: ['int4', 'int4-g32', 'int4-g64', 'int4-g128'], activations: 'unquantized', kinds: LINEAR },
    { scheme: 'GPTQ 8-bit', weights: ['int8', 'int8-g128'], activations: 'unquantized', kinds: LINEAR },
    UNQUANTIZED,
  ],
  rowMultiple: blockOf,
  rowRule: 'the group size must divide the row length',
  hint: 'vLLM\'s GPTQ-Marlin kernels take 4- and 8-bit integer weights, per channel or in groups of 32, 64 or 128',
};

const TRT = 'https://github.com/NVIDIA/TensorRT-LLM/blob/main/tensorrt_llm';

export const TRT_MODELOPT: CheckpointRules = {
  id: 'modelopt',
  export: 'modelopt',
  reader: `TensorRT-LLM's PyTorch backend reading hf_quant_config.json (ModelConfig._build_modelopt_quant_config, ${TRT}/_torch/model_config.py; linear methods in ${TRT}/_torch/modules/linear.py; QuantAlgo in ${TRT}/quantization/mode.py): no SmoothQuant linear (W8A8_SQ_PER_CHANNEL raises), no W4A16_NVFP4 algorithm`,
  schemes: [
    { scheme: 'FP8', weights: ['fp8-e4m3'], activations: ['fp8-e4m3'], kinds: LINEAR },
    { scheme: 'NVFP4', weights: ['nvfp4'], activations: ['nvfp4'], kinds: LINEAR },
    { scheme: 'W4A8_NVFP4_FP8', weights: ['nvfp4'], activations: ['fp8-e4m3'], kinds: LINEAR },
    { scheme: 'W4A8_MXFP4_FP8', weights: ['mxfp4'], activations: ['fp8-e4m3'], kinds: LINEAR },
    { scheme: 'W4A16_AWQ', weights: ['int4-g32', 'int4-g64', 'int4-g128'], activations: 'unquantized', kinds: LINEAR },
    { scheme: 'W4A8_AWQ', weights: ['int4-g32', 'int4-g64', 'int4-g128'], activations: ['fp8-e4m3'], kinds: LINEAR },
    { scheme: 'W8A16', weights: ['int8'], activations: 'unquantized', kinds: LINEAR },
    UNQUANTIZED,
  ],
  rowMultiple: blockOf,
  rowRule: 'a group or block (int4-g128: 128, nvfp4: 16, mxfp4: 32) must divide the row length',
  hint: 'TensorRT-LLM reads fp8-e4m3/fp8-e4m3, nvfp4/nvfp4, nvfp4/fp8-e4m3, mxfp4/fp8-e4m3, grouped int4 (16-bit or fp8 activations) and weight-only int8 from a ModelOpt file',
};

/** ggml types and the row multiple llama.cpp needs (QK_K = 256 for k-quants, 32 for the legacy types and MXFP4). */
const GGML_ROW: Record<string, number> = { q2_k: 256, q3_k: 256, q4_k: 256, q5_k: 256, q6_k: 256, q4_0: 32, q5_0: 32, q8_0: 32, mxfp4: 32 };

export const GGUF: CheckpointRules = {
  id: 'gguf',
  export: 'llama-cpp',
  reader: 'llama-quantize --tensor-type-file (tools/quantize/quantize.cpp; src/llama-quant.cpp tensor_type_fallback, https://github.com/ggml-org/llama.cpp): a type whose block does not divide ne[0] is replaced (q6_K by q8_0, q4_K by q5_0, ...) or aborts (mxfp4)',
  schemes: [
    { scheme: 'k-quants', weights: ['q6_k', 'q5_k', 'q4_k', 'q3_k', 'q2_k'], activations: 'unquantized', kinds: LAYER_KINDS },
    { scheme: 'legacy quants', weights: ['q8_0', 'q5_0', 'q4_0'], activations: 'unquantized', kinds: LAYER_KINDS },
    { scheme: 'MXFP4', weights: ['mxfp4'], activations: 'unquantized', kinds: LAYER_KINDS },
    UNQUANTIZED,
  ],
  rowMultiple: (weight) => GGML_ROW[weight.id],
  rowRule: 'k-quants need a row length that is a multiple of 256, q4_0, q5_0, q8_0 and mxfp4 of 32',
  hint: 'llama.cpp stores ggml types: give the bare weight formats q8_0, q6_k, q5_k, q5_0, q4_k, q4_0, q3_k, q2_k, mxfp4, fp16, bf16 or fp32 (ggml computes activations itself)',
};

const INTS = ['int2', 'int3', 'int4', 'int5', 'int6', 'int7', 'int8'];

export const HAWQ: CheckpointRules = {
  id: 'hawq',
  export: 'hawq',
  reader: 'HAWQ quant_train.py --quant-scheme reading bit_config.py (https://github.com/Zhen-Dong/HAWQ): QuantConv2d / QuantLinear weight bits and the QuantAct bits of each module\'s input',
  schemes: [{ scheme: 'integer weights and activations', weights: INTS, activations: INTS, kinds: ['conv', 'linear'] }],
  rowMultiple: () => undefined,
  rowRule: 'none (per-channel scales)',
  hint: 'HAWQ quantizes the weights and input activations of convolutions and linear layers to integers: give <int weights>/<int activations> candidates such as int4/int8 (a weight-only candidate would leave the input at HAWQ\'s default 4 bits)',
};
