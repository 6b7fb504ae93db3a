import { COMPRESSED_TENSORS, GGUF, GPTQ, HAWQ, TRT_MODELOPT, VLLM_MODELOPT, type CheckpointId, type CheckpointRules } from './checkpoints.js';
import type { FusionRule } from './fusion.js';

/**
 * A runtime a plan is made for: the checkpoints it reads (the first is the default), what each
 * reader executes, and the layers it fuses. Facts read from each runtime's source (cited in the
 * checkpoint rules) and checked by loading bitplan's exports where a runtime could be built.
 */
export interface RuntimeTarget {
  id: string;
  name: string;
  description: string;
  checkpoints: readonly CheckpointRules[];
  fusion: readonly FusionRule[];
  /** The fusion rules in words, with their sources. */
  fusionNote: string;
}

export const RUNTIME_TARGETS: readonly RuntimeTarget[] = [
  {
    id: 'vllm',
    name: 'vLLM',
    description: 'vLLM (https://github.com/vllm-project/vllm) serving a Hugging Face checkpoint: compressed-tensors written by llm-compressor (default), a ModelOpt hf_quant_config.json, or GPTQModel\'s quantize_config.json; embeddings and lm_head stay unquantized',
    checkpoints: [COMPRESSED_TENSORS, VLLM_MODELOPT, GPTQ],
    fusion: ['projections', 'experts'],
    fusionNote: 'q/k/v_proj are one qkv_proj and gate/up_proj one gate_up_proj (packed_modules_mapping; siblings reading the same input in general), DeepSeek\'s q_a_proj and kv_a_proj_with_mqa one fused_qkv_a_proj, and all experts of a MoE layer one FusedMoE with one scheme; mixed shards raise "Found different quantization schemes for the shards" / "All MoE projections need to have same quantization scheme" (vllm/model_executor/layers/quantization/compressed_tensors/utils.py, compressed_tensors_moe.py)',
  },
  {
    id: 'tensorrt-llm',
    name: 'TensorRT-LLM',
    description: 'TensorRT-LLM\'s PyTorch backend (https://github.com/NVIDIA/TensorRT-LLM) loading a ModelOpt mixed-precision checkpoint',
    checkpoints: [TRT_MODELOPT],
    fusion: ['projections', 'experts'],
    fusionNote: 'its attention and gated MLP run fused qkv_proj and gate_up_proj linears and one MoE module per layer, each with one quantization method (tensorrt_llm/_torch/modules/attention.py, gated_mlp.py, fused_moe); ModelOpt\'s exporter refuses split fused groups as well (preprocess_linear_fusion, modelopt/torch/export/quant_utils.py)',
  },
  {
    id: 'llama.cpp',
    name: 'llama.cpp',
    description: 'llama.cpp (https://github.com/ggml-org/llama.cpp): llama-quantize with a --tensor-type-file, then any llama.cpp runtime; ggml types only',
    checkpoints: [GGUF],
    fusion: ['gguf-tensors'],
    fusionNote: 'GGUF stores the experts of one MoE layer as one tensor per projection (blk.N.ffn_gate_exps, ffn_up_exps, ffn_down_exps), which has one type (gguf-py tensor_mapping.py)',
  },
  {
    id: 'hawq',
    name: 'HAWQ',
    description: 'HAWQ\'s quant_train.py (https://github.com/Zhen-Dong/HAWQ) reading a bit_config.py entry',
    checkpoints: [HAWQ],
    fusion: [],
    fusionNote: 'none: every module has its own weight and activation quantizer',
  },
];

export function findRuntime(id: string): RuntimeTarget | undefined {
  return RUNTIME_TARGETS.find((target) => target.id === id);
}

/** A runtime with the checkpoint it reads the plan from. */
export interface ResolvedTarget {
  runtime: RuntimeTarget;
  checkpoint: CheckpointRules;
}

/** The checkpoint of `runtime` with this id (the default when none is given); undefined when the runtime does not read it. */
export function checkpointOf(runtime: RuntimeTarget, id?: CheckpointId | string): CheckpointRules | undefined {
  return id === undefined ? runtime.checkpoints[0] : runtime.checkpoints.find((checkpoint) => checkpoint.id === id);
}
