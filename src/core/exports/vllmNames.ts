/**
 * The module a layer becomes in vLLM, where vLLM fuses it with its siblings (packed_modules_mapping
 * of its Llama, Mixtral, Qwen and DeepSeek models, https://github.com/vllm-project/vllm/tree/main/vllm/model_executor/models):
 * q/k/v_proj into qkv_proj, gate/up_proj into gate_up_proj, DeepSeek's q_a_proj and
 * kv_a_proj_with_mqa into fused_qkv_a_proj, and the experts of a MoE layer into one FusedMoE
 * module named `<parent>.experts`. Undefined for a layer vLLM keeps as it is. vLLM looks up a
 * GPTQ `dynamic` override by this name.
 */
export function vllmFusedName(name: string): string | undefined {
  const expert = /^(.*\.experts)\.\d+\.[^.]+$/.exec(name);
  if (expert) return expert[1];
  const projection = /^(.*\.)(q_proj|k_proj|v_proj|gate_proj|up_proj|q_a_proj|kv_a_proj_with_mqa)$/.exec(name);
  if (!projection) return undefined;
  const fused = { q_proj: 'qkv_proj', k_proj: 'qkv_proj', v_proj: 'qkv_proj', gate_proj: 'gate_up_proj', up_proj: 'gate_up_proj', q_a_proj: 'fused_qkv_a_proj', kv_a_proj_with_mqa: 'fused_qkv_a_proj' }[projection[2]!];
  return `${projection[1]}${fused}`;
}
