import type { Layer } from '../model/model.js';

/**
 * What a runtime sees a layer as: its linear layers are where quantization schemes apply;
 * embeddings and the output head are separate modules that LLM runtimes load unquantized
 * (vLLM's VocabParallelEmbedding and ParallelLMHead are not LinearBase, so neither the
 * compressed-tensors nor the ModelOpt reader gives them a quantized method).
 */
export type LayerKind = 'linear' | 'embedding' | 'head' | 'conv' | 'other';

export const LAYER_KINDS: readonly LayerKind[] = ['linear', 'embedding', 'head', 'conv', 'other'];

const EMBEDDING_NAME = /(^|\.)(embed_tokens|wte|wpe|word_embeddings|position_embeddings|token_type_embeddings|tok_embeddings|token_embd)$/;
const HEAD_NAME = /(^|\.)lm_head$|^output$/;

/** The kind of a layer, from its op and, for the usual Hugging Face and GGUF names, its name. */
export function layerKind(layer: Pick<Layer, 'name' | 'op'>): LayerKind {
  const op = layer.op?.toLowerCase();
  if (op === 'embedding' || EMBEDDING_NAME.test(layer.name)) return 'embedding';
  if (HEAD_NAME.test(layer.name)) return 'head';
  if (op?.startsWith('conv')) return 'conv';
  if (op === undefined || op.includes('linear') || op === 'matmul') return 'linear';
  return 'other';
}
