import type { PlanResult } from '../plan/planResult.js';
import { ggufName } from './ggufNames.js';
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
  // The ggml types themselves (formats/registry.ts GGML_FORMATS).
  q8_0: 'q8_0',
  q6_k: 'q6_k',
  q5_k: 'q5_k',
  q5_0: 'q5_0',
  q4_k: 'q4_k',
  q4_0: 'q4_0',
  q3_k: 'q3_k',
  q2_k: 'q2_k',
};

/** The ggml type the export writes for a weight format, or undefined when llama.cpp has none. */
export function ggmlTypeOf(weightId: string): string | undefined {
  return GGML_TYPE[weightId];
}

/**
 * What a tensor name may hold in the export: llama-quantize splits the file on whitespace and
 * each token at its first '=', and lower-cases the pattern; GGUF tensor names are lower-case
 * letters, digits, '.', '_' and '-'.
 */
const GGUF_TENSOR = /^[a-z0-9_.-]+$/;

/**
 * How to use the export; the answer carries it in the Bitplan-Usage header, the CLI on stderr.
 * The positional type must be a quantized one: with F16, BF16 or F32 there llama-quantize
 * ignores the whole tensor-type file without a word (checked with llama.cpp built from source).
 */
export const LLAMA_CPP_USAGE = 'llama-quantize --tensor-type-file PLAN.txt model-f16.gguf model-mixed.gguf Q8_0 (the positional type must be a quantized one such as Q8_0 or Q4_K_M: with F16, BF16 or F32 llama-quantize ignores the file)';

/** Positional types with which llama-quantize ignores a --tensor-type-file. */
export const LLAMA_CPP_UNQUANTIZED_TYPES: readonly string[] = ['F16', 'BF16', 'F32'];

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
