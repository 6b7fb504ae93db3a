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
/** The GGUF tensor name of a layer: a Hugging Face module name mapped, a GGUF-style name as it is, else undefined. */
export function ggufName(layerName: string): string | undefined {
  for (const [pattern, replacement] of HF_TO_GGUF) if (pattern.test(layerName)) return layerName.replace(pattern, replacement);
  return GGUF_STYLE.test(layerName) ? layerName : undefined;
}

