import type { Plan } from '../../contract/plan.js';
import { parseCandidate } from '../formats/candidate.js';
import type { Aliases, UnexportableLayer } from './exportPlan.js';

/**
 * The ggml tensor type closest to a weight format (llama.cpp GGML_QUANT_SIZES; shared/reference/
 * architectures-and-exports.md B3.3). ggml's integer types carry their own block scales
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

export function ggufName(layerName: string): string {
  for (const [pattern, replacement] of HF_TO_GGUF) if (pattern.test(layerName)) return layerName.replace(pattern, replacement);
  return layerName;
}

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * llama-quantize --tensor-type overrides, one fully anchored pattern per GGUF tensor so the
 * result does not depend on first- or last-match precedence (B3.1). GGUF stores all experts of
 * a MoE block as one tensor: their layers must agree (tie them with groups to plan that way).
 */
export function llamaCppOverrides(plan: Plan, aliases: Aliases, problems: UnexportableLayer[]): string {
  const byTensor = new Map<string, { type: string; layers: string[] }>();
  for (const layer of plan.layers) {
    const weight = parseCandidate(layer.candidate)!.weight;
    const type = GGML_TYPE[weight.id];
    if (!type) {
      problems.push({ layer: layer.name, candidate: layer.candidate, reason: `llama.cpp has no tensor type for ${weight.id}; it takes ${Object.keys(GGML_TYPE).join(', ')}` });
      continue;
    }
    const tensor = aliases.get(layer.name)?.gguf ?? ggufName(layer.name);
    const entry = byTensor.get(tensor);
    if (!entry) byTensor.set(tensor, { type, layers: [layer.name] });
    else if (entry.type !== type) {
      problems.push({
        layer: layer.name,
        candidate: layer.candidate,
        reason: `GGUF stores it in tensor ${tensor} with ${entry.layers[0]}, planned as ${entry.type}; one tensor has one type: tie these layers with groups`,
      });
    } else entry.layers.push(layer.name);
  }
  const flags = [...byTensor.entries()].map(([tensor, { type }]) => `--tensor-type '^${escapeRegex(tensor)}\\.weight$=${type}'`);
  return `# bitplan plan: ${byTensor.size} tensors. Usage:\n# llama-quantize ${'$'}(grep -v '^#' THIS_FILE | tr '\\n' ' ') model-f16.gguf model-mixed.gguf Q8_0\n${flags.join('\n')}\n`;
}
