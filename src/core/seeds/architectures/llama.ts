import { architecture, type Architecture, type MatrixSpec } from './synthetic.js';

/** A Llama-family configuration (HF config.json names). */
export interface LlamaConfig {
  hiddenSize: number;
  intermediateSize: number;
  layers: number;
  heads: number;
  kvHeads: number;
  vocab: number;
}

/** Llama-2-7B and -70B (shared/reference/architectures-and-exports.md A3.1). */
export const LLAMA_2_7B: LlamaConfig = { hiddenSize: 4096, intermediateSize: 11008, layers: 32, heads: 32, kvHeads: 32, vocab: 32000 };
export const LLAMA_2_70B: LlamaConfig = { hiddenSize: 8192, intermediateSize: 28672, layers: 80, heads: 64, kvHeads: 8, vocab: 32000 };

/**
 * The attention block of a Llama-style decoder layer: q, k, v (grouped-query: k and v have
 * kvHeads x headDim rows) and o, all bias-free; q, k, v read the same normed input.
 */
export function attentionSpecs(prefix: string, hidden: number, heads: number, kvHeads: number): MatrixSpec[] {
  const headDim = hidden / heads;
  const kv = kvHeads * headDim;
  const input = [`${prefix}.input_layernorm`];
  const linear = (name: string, out: number, inF: number, kind: 'plain' | 'value', inputs: string[]): MatrixSpec => ({
    name: `${prefix}.self_attn.${name}`,
    op: 'linear',
    params: out * inF,
    macs: out * inF,
    fanIn: inF,
    kind,
    inputs,
    activationElements: inF + out,
    dotProductLength: inF,
  });
  return [
    linear('q_proj', hidden, hidden, 'plain', input),
    linear('k_proj', kv, hidden, 'plain', input),
    linear('v_proj', kv, hidden, 'value', input),
    linear('o_proj', hidden, hidden, 'value', [`${prefix}.self_attn`]),
  ];
}

/** A SwiGLU MLP (gate, up, down); `activeShare` scales MACs for experts that see only some tokens. */
export function mlpSpecs(prefix: string, hidden: number, intermediate: number, input: string, activeShare = 1): MatrixSpec[] {
  const linear = (name: string, out: number, inF: number, kind: 'plain' | 'down', inputs: string[]): MatrixSpec => ({
    name: `${prefix}.${name}`,
    op: 'linear',
    params: out * inF,
    macs: out * inF * activeShare,
    fanIn: inF,
    kind,
    inputs,
    activationElements: inF + out,
    dotProductLength: inF,
  });
  return [
    linear('gate_proj', intermediate, hidden, 'plain', [input]),
    linear('up_proj', intermediate, hidden, 'plain', [input]),
    linear('down_proj', hidden, intermediate, 'down', [`${prefix}.act_fn`]),
  ];
}

export function embeddingSpecs(vocab: number, hidden: number, lastNorm: string): MatrixSpec[] {
  return [
    { name: 'model.embed_tokens', op: 'embedding', params: vocab * hidden, macs: 0, fanIn: hidden, kind: 'edge', inputs: ['input_ids'] },
    { name: 'lm_head', op: 'linear', params: vocab * hidden, macs: vocab * hidden, fanIn: hidden, kind: 'edge', inputs: [lastNorm], activationElements: hidden + vocab, dotProductLength: hidden },
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
