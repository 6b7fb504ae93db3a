import { architecture, linearSpec, type Architecture, type MatrixSpec } from './synthetic.js';

/** A Llama-family configuration (HF config.json names). */
export interface LlamaConfig {
  hiddenSize: number;
  intermediateSize: number;
  layers: number;
  heads: number;
  kvHeads: number;
  vocab: number;
}

/** Llama-2-7B and -70B (configs of https://huggingface.co/meta-llama/Llama-2-7b-hf and -70b-hf). */
export const LLAMA_2_7B: LlamaConfig = { hiddenSize: 4096, intermediateSize: 11008, layers: 32, heads: 32, kvHeads: 32, vocab: 32000 };
export const LLAMA_2_70B: LlamaConfig = { hiddenSize: 8192, intermediateSize: 28672, layers: 80, heads: 64, kvHeads: 8, vocab: 32000 };

/**
 * The attention block of a Llama-style decoder layer: q, k, v (grouped-query: k and v have
 * kvHeads x headDim rows) and o, all bias-free; q, k, v read the same normed input.
 */
export function attentionSpecs(prefix: string, hidden: number, heads: number, kvHeads: number): MatrixSpec[] {
  const kv = kvHeads * (hidden / heads);
  const input = [`${prefix}.input_layernorm`];
  return [
    linearSpec(`${prefix}.self_attn.q_proj`, hidden, hidden, input),
    linearSpec(`${prefix}.self_attn.k_proj`, kv, hidden, input),
    linearSpec(`${prefix}.self_attn.v_proj`, kv, hidden, input, 'value'),
    linearSpec(`${prefix}.self_attn.o_proj`, hidden, hidden, [`${prefix}.self_attn`], 'value'),
  ];
}

/** A SwiGLU MLP (gate, up, down); `activeShare` scales MACs for experts that see only some tokens. */
export function mlpSpecs(prefix: string, hidden: number, intermediate: number, input: string, activeShare = 1): MatrixSpec[] {
  return [
    linearSpec(`${prefix}.gate_proj`, intermediate, hidden, [input], 'plain', activeShare),
    linearSpec(`${prefix}.up_proj`, intermediate, hidden, [input], 'plain', activeShare),
    linearSpec(`${prefix}.down_proj`, hidden, intermediate, [`${prefix}.act_fn`], 'down', activeShare),
  ];
}

export function embeddingSpecs(vocab: number, hidden: number, lastNorm: string): MatrixSpec[] {
  return [
    { name: 'model.embed_tokens', op: 'embedding', params: vocab * hidden, macs: 0, fanIn: hidden, kind: 'edge', inputs: ['input_ids'] },
    linearSpec('lm_head', vocab, hidden, [lastNorm], 'edge'),
  ];
}

/**
 * A Llama-2 model: embed_tokens, per layer q/k/v/o and gate/up/down, lm_head (untied); the
 * RMSNorm weights (2 per layer, 1 final) count in the totals only. MACs per token.
 */
export function llama(config: LlamaConfig): Architecture {
  const { hiddenSize: hidden, intermediateSize, layers, heads, kvHeads, vocab } = config;
  const specs: MatrixSpec[] = [];
  for (let n = 0; n < layers; n++) {
    const prefix = `model.layers.${n}`;
    specs.push(...attentionSpecs(prefix, hidden, heads, kvHeads));
    specs.push(...mlpSpecs(`${prefix}.mlp`, hidden, intermediateSize, `${prefix}.post_attention_layernorm`));
  }
  specs.unshift(...embeddingSpecs(vocab, hidden, 'model.norm'));
  return architecture(specs, layers * 2 * hidden + hidden);
}
