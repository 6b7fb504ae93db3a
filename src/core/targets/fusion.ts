import type { Layer, ModelDescriptor } from '../model/model.js';
import { ggufName } from '../exports/ggufNames.js';
import { layerKind } from './layerKind.js';

/**
 * Layers a runtime fuses into one kernel, and so must share one format:
 * - projections: linear layers of one parent module that read the same input (`inputs`), or
 *   whose names are the projections a runtime packs together (q/k/v_proj into qkv_proj and
 *   gate/up_proj into gate_up_proj in vLLM's packed_modules_mapping; BERT's query/key/value;
 *   DeepSeek's q_a_proj and kv_a_proj_with_mqa into fused_qkv_a_proj);
 * - experts: every projection of every routed expert of one mixture-of-experts layer (vLLM's
 *   FusedMoE takes one scheme for all of them: "All MoE projections need to have same
 *   quantization scheme", compressed_tensors_moe.py);
 * - gguf-tensors: layers that GGUF stores as one tensor (llama.cpp merges the experts of one
 *   layer into blk.N.ffn_gate_exps and the like, and a tensor has one type).
 */
export type FusionRule = 'projections' | 'experts' | 'gguf-tensors';

export interface FusionGroup {
  rule: FusionRule;
  layers: string[];
}

/** Leaf names a runtime packs into one module when they are siblings. */
const PACKED_SIBLINGS: readonly (readonly string[])[] = [
  ['q_proj', 'k_proj', 'v_proj'],
  ['gate_proj', 'up_proj'],
  ['query', 'key', 'value'],
  ['q_a_proj', 'kv_a_proj_with_mqa'],
  ['w1', 'w3'],
];

const ROUTED_EXPERT = /^(.*)\.experts\.\d+\.[^.]+$/;

const parentOf = (name: string) => {
  const at = name.lastIndexOf('.');
  return at < 0 ? '' : name.slice(0, at);
};
const leafOf = (name: string) => name.slice(name.lastIndexOf('.') + 1);

/** The fusion groups of a model under these rules, each of two layers or more, in model order. */
export function fusionGroups(model: ModelDescriptor, rules: readonly FusionRule[]): FusionGroup[] {
  const out: FusionGroup[] = [];
  const grouped = (rule: FusionRule, keyOf: (layer: Layer) => string | undefined) => {
    const byKey = new Map<string, string[]>();
    for (const layer of model.layers) {
      const key = keyOf(layer);
      if (key === undefined) continue;
      const members = byKey.get(key);
      if (members) members.push(layer.name);
      else byKey.set(key, [layer.name]);
    }
    for (const layers of byKey.values()) if (layers.length > 1) out.push({ rule, layers });
  };
  if (rules.includes('experts')) grouped('experts', (layer) => ROUTED_EXPERT.exec(layer.name)?.[1]);
  if (rules.includes('projections')) {
    const inExperts = rules.includes('experts');
    grouped('projections', (layer) => {
      if (layerKind(layer) !== 'linear' || (inExperts && ROUTED_EXPERT.test(layer.name))) return undefined;
      const leaf = leafOf(layer.name);
      const packed = PACKED_SIBLINGS.findIndex((set) => set.includes(leaf));
      if (packed >= 0) return `${parentOf(layer.name)}|packed ${packed}`;
      if (layer.inputs?.length) return `${parentOf(layer.name)}|reads ${[...layer.inputs].sort().join(',')}`;
      return undefined;
    });
  }
  if (rules.includes('gguf-tensors')) grouped('gguf-tensors', (layer) => layer.aliases?.gguf ?? ggufName(layer.name));
  return out;
}
