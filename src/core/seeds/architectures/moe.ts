import { attentionSpecs, embeddingSpecs, mlpSpecs } from './llama.js';
import { architecture, linearSpec, type Architecture, type MatrixSpec } from './synthetic.js';

/**
 * Mixtral-8x7B-v0.1 (HF config: hidden 4096, intermediate 14336 per expert, 32 layers, 32 heads,
 * 8 KV heads, 8 experts, top-2, vocab 32000; https://huggingface.co/mistralai/Mixtral-8x7B-Instruct-v0.1).
 * Each expert's gate (w1), up (w3) and down (w2) is its own layer, with MACs per token scaled
 * by its expected share of tokens, top_k / experts = 2/8. The router (8 x 4096) and the norms
 * count in the totals only.
 */
export function mixtral8x7b(): Architecture {
  const hidden = 4096;
  const experts = 8;
  const specs: MatrixSpec[] = [];
  let other = 4096;
  for (let n = 0; n < 32; n++) {
    const prefix = `model.layers.${n}`;
    specs.push(...attentionSpecs(prefix, hidden, 32, 8));
    for (let e = 0; e < experts; e++) {
      const [gate, up, down] = mlpSpecs(`${prefix}.block_sparse_moe.experts.${e}`, hidden, 14336, `${prefix}.post_attention_layernorm`, 2 / experts);
      specs.push({ ...gate!, name: `${prefix}.block_sparse_moe.experts.${e}.w1` }, { ...down!, name: `${prefix}.block_sparse_moe.experts.${e}.w2` }, { ...up!, name: `${prefix}.block_sparse_moe.experts.${e}.w3` });
    }
    other += experts * hidden + 2 * hidden;
  }
  specs.unshift(...embeddingSpecs(32000, hidden, 'model.norm'));
  return architecture(specs, other);
}

/**
 * DeepSeek-V3 (671B; inference/configs/config_671B.json: dim 7168, 61 layers, the first 3 dense
 * with inter_dim 18432, then MoE with 256 routed experts of moe_inter_dim 2048, 1 shared expert,
 * 8 active; MLA with q_lora_rank 1536, kv_lora_rank 512, 128 heads, qk_nope 128, qk_rope 64,
 * v_head 128; vocab 129280; https://github.com/deepseek-ai/DeepSeek-V3 inference/configs/config_671B.json). Each routed
 * expert's gate, up and down is its own layer, MACs per token scaled by 8/256. Norms, the
 * router (256 x 7168) and its bias count in the totals only; the MTP module is not part of
 * the main model and is left out.
 */
export function deepseekV3(): Architecture {
  const hidden = 7168;
  const heads = 128;
  const specs: MatrixSpec[] = [];
  let other = hidden;
  for (let n = 0; n < 61; n++) {
    const p = `model.layers.${n}`;
    specs.push(
      linearSpec(`${p}.self_attn.q_a_proj`, 1536, hidden, [`${p}.input_layernorm`]),
      linearSpec(`${p}.self_attn.q_b_proj`, heads * (128 + 64), 1536, [`${p}.self_attn.q_a_layernorm`]),
      linearSpec(`${p}.self_attn.kv_a_proj_with_mqa`, 512 + 64, hidden, [`${p}.input_layernorm`]),
      linearSpec(`${p}.self_attn.kv_b_proj`, heads * (128 + 128), 512, [`${p}.self_attn.kv_a_layernorm`], 'value'),
      linearSpec(`${p}.self_attn.o_proj`, hidden, heads * 128, [`${p}.self_attn`], 'value'),
    );
    other += 1536 + 512 + 2 * hidden;
    if (n < 3) {
      specs.push(...mlpSpecs(`${p}.mlp`, hidden, 18432, `${p}.post_attention_layernorm`));
      continue;
    }
    for (let e = 0; e < 256; e++) specs.push(...mlpSpecs(`${p}.mlp.experts.${e}`, hidden, 2048, `${p}.post_attention_layernorm`, 8 / 256));
    specs.push(...mlpSpecs(`${p}.mlp.shared_experts`, hidden, 2048, `${p}.post_attention_layernorm`));
    other += 256 * hidden + 256;
  }
  specs.unshift(...embeddingSpecs(129280, hidden, 'model.norm'));
  return architecture(specs, other);
}
