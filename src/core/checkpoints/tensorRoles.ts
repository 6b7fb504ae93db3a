/**
 * What a tensor is in a decoder checkpoint, by its name: the Hugging Face module names of Llama,
 * Mistral, Qwen2, Mixtral and DeepSeek-V3, and their GGUF names (llama.cpp's tensor_mapping.py,
 * https://github.com/ggml-org/llama.cpp/blob/master/gguf-py/gguf/tensor_mapping.py). The role
 * says which input a layer reads (layers reading one input are what runtimes fuse: q/k/v,
 * gate/up), whether it is a routed expert, and what is not planned (routers stay in the model
 * precision in every runtime).
 */
export interface TensorRole {
  /** The producer whose output the layer reads. */
  input: string;
  /** A routed expert: it sees only expertsPerToken / experts of the tokens. */
  routedExpert: boolean;
}

type Rule = [RegExp, (match: RegExpExecArray) => TensorRole];
const role = (input: string, routedExpert = false): TensorRole => ({ input, routedExpert });

/** Hugging Face module names (the tensor name without `.weight`). */
const HF_RULES: Rule[] = [
  [/^model\.embed_tokens$/, () => role('input_ids')],
  [/^lm_head$/, () => role('model.norm')],
  [/^(model\.layers\.\d+)\.self_attn\.(q|k|v)_proj$/, (m) => role(`${m[1]}.input_layernorm`)],
  [/^(model\.layers\.\d+)\.self_attn\.(q_a_proj|kv_a_proj_with_mqa)$/, (m) => role(`${m[1]}.input_layernorm`)],
  [/^(model\.layers\.\d+)\.self_attn\.q_b_proj$/, (m) => role(`${m[1]}.self_attn.q_a_layernorm`)],
  [/^(model\.layers\.\d+)\.self_attn\.kv_b_proj$/, (m) => role(`${m[1]}.self_attn.kv_a_layernorm`)],
  [/^(model\.layers\.\d+)\.self_attn\.o_proj$/, (m) => role(`${m[1]}.self_attn`)],
  [/^(model\.layers\.\d+)\.mlp\.(shared_experts\.)?(gate|up)_proj$/, (m) => role(`${m[1]}.post_attention_layernorm`)],
  [/^(model\.layers\.\d+\.mlp(\.shared_experts)?)\.down_proj$/, (m) => role(`${m[1]}.act_fn`)],
  [/^(model\.layers\.\d+)\.mlp\.experts\.\d+\.(gate|up)_proj$/, (m) => role(`${m[1]}.post_attention_layernorm`, true)],
  [/^(model\.layers\.\d+\.mlp\.experts\.\d+)\.down_proj$/, (m) => role(`${m[1]}.act_fn`, true)],
  [/^(model\.layers\.\d+)\.block_sparse_moe\.experts\.\d+\.(w1|w3)$/, (m) => role(`${m[1]}.post_attention_layernorm`, true)],
  [/^(model\.layers\.\d+\.block_sparse_moe\.experts\.\d+)\.w2$/, (m) => role(`${m[1]}.act_fn`, true)],
];

/** GGUF tensor names (without `.weight`). */
const GGUF_RULES: Rule[] = [
  [/^token_embd$/, () => role('input_ids')],
  [/^output$/, () => role('output_norm')],
  [/^(blk\.\d+)\.attn_(q|k|v|qkv|q_a|kv_a_mqa)$/, (m) => role(`${m[1]}.attn_norm`)],
  [/^(blk\.\d+)\.attn_q_b$/, (m) => role(`${m[1]}.attn_q_a_norm`)],
  [/^(blk\.\d+)\.attn_kv_b$/, (m) => role(`${m[1]}.attn_kv_a_norm`)],
  [/^(blk\.\d+)\.attn_output$/, (m) => role(`${m[1]}.attn`)],
  [/^(blk\.\d+)\.ffn_(gate|up)(_shexp)?$/, (m) => role(`${m[1]}.ffn_norm`)],
  [/^(blk\.\d+)\.ffn_down(_shexp)?$/, (m) => role(`${m[1]}.ffn_act${m[2] ?? ''}`)],
  [/^(blk\.\d+)\.ffn_(gate|up)_exps$/, (m) => role(`${m[1]}.ffn_norm`, true)],
  [/^(blk\.\d+)\.ffn_down_exps$/, (m) => role(`${m[1]}.ffn_act_exps`, true)],
];

/** Routers and other small matrices that runtimes keep in the model precision: not planned. */
const KEPT: RegExp[] = [/\.mlp\.gate$/, /\.block_sparse_moe\.gate$/, /\.ffn_gate_inp(_shexp)?$/, /\.mlp\.shared_expert_gate$/];

/** The role of the module `name` (no `.weight`), undefined when no naming scheme knows it. */
export function tensorRole(name: string, layout: 'safetensors' | 'gguf'): TensorRole | undefined {
  for (const [pattern, make] of layout === 'gguf' ? GGUF_RULES : HF_RULES) {
    const match = pattern.exec(name);
    if (match) return make(match);
  }
  return undefined;
}

export function keptInModelPrecision(name: string): boolean {
  return KEPT.some((pattern) => pattern.test(name));
}
