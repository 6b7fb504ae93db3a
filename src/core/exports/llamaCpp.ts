import type { PlanResult } from '../plan/planResult.js';
import type { UnexportableLayer } from './unexportable.js';

/**
 * The ggml tensor type closest to a weight format (llama.cpp gguf-py/gguf/constants.py
 * GGML_QUANT_SIZES, https://github.com/ggml-org/llama.cpp). ggml's integer types carry their own block scales
 * (q4_0: fp16 per 32, 4.5 bits), so the file is a little larger than the plan's sizeBytes.
 */
const GGML_TYPE: Record<string, string> = {
  fp32: 'f32',
  fp16: 'f16',
  bf16: 'bf16',
  int8: 'q8_0',
  'int8-g128': 'q8_0',
  int6: 'q6_k',
  int5: 'q5_0',
  int4: 'q4_0',
  'int4-g32': 'q4_0',
  'int4-g64': 'q4_0',
  'int4-g128': 'q4_0',
  int3: 'q3_k',
  'int3-g128': 'q3_k',
  int2: 'q2_k',
  'int2-g128': 'q2_k',
  mxfp4: 'mxfp4',
  nvfp4: 'nvfp4',
};

/** GGUF tensor names of Hugging Face Llama, Mixtral and DeepSeek-V3 modules (llama.cpp tensor_mapping.py). */
const HF_TO_GGUF: [RegExp, string][] = [
  [/^model\.embed_tokens$/, 'token_embd'],
  [/^lm_head$/, 'output'],
  [/^model\.layers\.(\d+)\.self_attn\.q_proj$/, 'blk.$1.attn_q'],
  [/^model\.layers\.(\d+)\.self_attn\.k_proj$/, 'blk.$1.attn_k'],
  [/^model\.layers\.(\d+)\.self_attn\.v_proj$/, 'blk.$1.attn_v'],
  [/^model\.layers\.(\d+)\.self_attn\.o_proj$/, 'blk.$1.attn_output'],
  [/^model\.layers\.(\d+)\.self_attn\.q_a_proj$/, 'blk.$1.attn_q_a'],
  [/^model\.layers\.(\d+)\.self_attn\.q_b_proj$/, 'blk.$1.attn_q_b'],
  [/^model\.layers\.(\d+)\.self_attn\.kv_a_proj_with_mqa$/, 'blk.$1.attn_kv_a_mqa'],
  [/^model\.layers\.(\d+)\.self_attn\.kv_b_proj$/, 'blk.$1.attn_kv_b'],
  [/^model\.layers\.(\d+)\.mlp\.(gate|up|down)_proj$/, 'blk.$1.ffn_$2'],
  [/^model\.layers\.(\d+)\.mlp\.shared_experts\.(gate|up|down)_proj$/, 'blk.$1.ffn_$2_shexp'],
  [/^model\.layers\.(\d+)\.mlp\.experts\.\d+\.(gate|up|down)_proj$/, 'blk.$1.ffn_$2_exps'],
  [/^model\.layers\.(\d+)\.block_sparse_moe\.experts\.\d+\.w1$/, 'blk.$1.ffn_gate_exps'],
  [/^model\.layers\.(\d+)\.block_sparse_moe\.experts\.\d+\.w3$/, 'blk.$1.ffn_up_exps'],
  [/^model\.layers\.(\d+)\.block_sparse_moe\.experts\.\d+\.w2$/, 'blk.$1.ffn_down_exps'],
];

/** Layer names that already are GGUF tensor names (without `.weight`). */
const GGUF_STYLE = /^(token_embd|output|blk\.\d+\.[a-z0-9_]+)$/;
/**
 * What a tensor name may hold in the export: llama-quantize splits the file on whitespace and
 * each token at its first '=', and lower-cases the pattern; GGUF tensor names are lower-case
 * letters, digits, '.', '_' and '-'.
 */
const GGUF_TENSOR = /^[a-z0-9_.-]+$/;

/** The GGUF tensor name of a layer: a Hugging Face module name mapped, a GGUF-style name as it is, else undefined. */
export function ggufName(layerName: string): string | undefined {
  for (const [pattern, replacement] of HF_TO_GGUF) if (pattern.test(layerName)) return layerName.replace(pattern, replacement);
  return GGUF_STYLE.test(layerName) ? layerName : undefined;
}

/** How to use the export; the answer carries it in the Bitplan-Usage header, the CLI on stderr. */
export const LLAMA_CPP_USAGE = 'llama-quantize --tensor-type-file PLAN.txt model-f16.gguf model-mixed.gguf Q8_0';

/**
 * The plan as llama-quantize's --tensor-type-file: one `pattern=type` line per GGUF tensor and
 * nothing else (the file is split on whitespace and has no comment syntax; llama.cpp PR
 * #18572). Each pattern is fully anchored, `^blk\.0\.attn_q\.weight$`, so the result does not
 * depend on first- or last-match precedence, which changed between llama.cpp versions. GGUF
 * stores all experts of a MoE block as one tensor: their layers must agree (tie them with groups
 * to plan that way). A model whose layers have no GGUF names (not a GGUF-style transformer, and
 * no aliases.gguf) is refused layer by layer.
 */
export function llamaCppTensorTypes(plan: PlanResult, problems: UnexportableLayer[]): string {
  const byTensor = new Map<string, { type: string; layers: string[] }>();
  for (const layer of plan.layers) {
    const weight = layer.candidate.weight;
    const type = GGML_TYPE[weight.id];
    if (!type) {
      problems.push({ layer, reason: `llama.cpp has no tensor type for ${weight.id}; it takes ${Object.keys(GGML_TYPE).join(', ')}` });
      continue;
    }
    const tensor = layer.aliases?.gguf ?? ggufName(layer.name);
    if (tensor === undefined) {
      problems.push({
        layer,
        reason: 'no GGUF tensor name: the llama-cpp export is for GGUF-style transformers; name layers as Hugging Face modules (model.layers.0.self_attn.q_proj, ...) or GGUF tensors (blk.0.attn_q), or give aliases.gguf',
      });
      continue;
    }
    if (!GGUF_TENSOR.test(tensor)) {
      problems.push({ layer, reason: `GGUF tensor name ${JSON.stringify(tensor)} may hold only lower-case letters, digits, '.', '_' and '-'` });
      continue;
    }
    const entry = byTensor.get(tensor);
    if (!entry) byTensor.set(tensor, { type, layers: [layer.name] });
    else if (entry.type !== type) {
      problems.push({
        layer,
        reason: `GGUF stores it in tensor ${tensor} with ${entry.layers[0]}, planned as ${entry.type}; one tensor has one type: tie these layers with groups`,
      });
    } else entry.layers.push(layer.name);
  }
  const lines = [...byTensor.entries()].map(([tensor, { type }]) => `^${tensor.replace(/\./g, '\\.')}\\.weight$=${type}`);
  return `${lines.join('\n')}\n`;
}
