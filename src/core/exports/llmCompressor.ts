import { stringify } from 'yaml';
import type { Candidate } from '../formats/candidate.js';
import type { PlanResult } from '../plan/planResult.js';
import { hfModuleName, WIDE_FLOATS } from './hfModuleName.js';
import { exactPattern } from './namePatterns.js';
import type { UnexportableLayer } from './unexportable.js';

/** compressed-tensors QuantizationArgs as a recipe writes them (quant_args.py). */
type QuantizationArgs = Record<string, string | number | boolean>;

interface Scheme {
  weights: QuantizationArgs;
  input_activations?: QuantizationArgs;
}

const SOURCE = 'https://github.com/vllm-project/compressed-tensors/blob/main/src/compressed_tensors/quantization/quant_scheme.py';

/** The weights of an integer format: symmetric, static, per output channel or in groups (the W4A16/W8A16 presets). */
function integerWeights(bits: number, blockSize: number | null): QuantizationArgs {
  return blockSize === null
    ? { num_bits: bits, type: 'int', symmetric: true, strategy: 'channel', dynamic: false }
    : { num_bits: bits, type: 'int', symmetric: true, strategy: 'group', group_size: blockSize, dynamic: false };
}

const FP8_CHANNEL: QuantizationArgs = { num_bits: 8, type: 'float', symmetric: true, strategy: 'channel', dynamic: false };
const FP8_TOKEN: QuantizationArgs = { num_bits: 8, type: 'float', symmetric: true, strategy: 'token', dynamic: true };
const NVFP4_WEIGHTS: QuantizationArgs = { num_bits: 4, type: 'float', symmetric: true, strategy: 'tensor_group', group_size: 16, dynamic: false, scale_dtype: 'float8_e4m3fn' };
const NVFP4_INPUTS: QuantizationArgs = { num_bits: 4, type: 'float', symmetric: true, strategy: 'tensor_group', group_size: 16, dynamic: 'local', observer: 'static_minmax', scale_dtype: 'float8_e4m3fn' };
const mx = (bits: number, dynamic: boolean): QuantizationArgs => ({ num_bits: bits, type: 'float', symmetric: true, strategy: 'group', group_size: 32, dynamic, scale_dtype: 'uint8' });

/**
 * The compressed-tensors scheme of a candidate, following the library's presets ({@link SOURCE}):
 * integer weights symmetric per channel or group; integer and fp8 activations dynamic per token
 * (INT8_W8A8, FP8_DYNAMIC, W4AFP8); NVFP4, NVFP4A16, MXFP4(A16) and MXFP8 as their presets.
 * Undefined when compressed-tensors has no such scheme; null for a layer left in 16/32-bit floats.
 */
export function compressedTensorsScheme(candidate: Candidate): Scheme | null | undefined {
  const { weight: w, activation: a } = candidate;
  const floatActivations = WIDE_FLOATS.has(a.id);
  if (WIDE_FLOATS.has(w.id)) return floatActivations ? null : undefined;
  let weights: QuantizationArgs | undefined;
  if (w.kind === 'integer' && /^int\d(-g\d+)?$/.test(w.id)) weights = integerWeights(w.elementBits, w.blockSize);
  else if (w.id === 'fp8-e4m3') weights = FP8_CHANNEL;
  else if (w.id === 'nvfp4') weights = NVFP4_WEIGHTS;
  else if (w.id === 'mxfp4') weights = mx(4, false);
  else if (w.id === 'mxfp8') weights = mx(8, false);
  if (!weights) return undefined;
  if (floatActivations) return { weights };
  let inputs: QuantizationArgs | undefined;
  if (a.kind === 'integer' && /^int\d$/.test(a.id)) inputs = { num_bits: a.elementBits, type: 'int', symmetric: true, strategy: 'token', dynamic: true };
  else if (a.id === 'fp8-e4m3') inputs = FP8_TOKEN;
  else if (a.id === 'nvfp4' && w.id === 'nvfp4') inputs = NVFP4_INPUTS;
  else if ((a.id === 'mxfp4' && w.id === 'mxfp4') || (a.id === 'mxfp8' && w.id === 'mxfp8')) inputs = mx(a.elementBits, true);
  return inputs && { weights, input_activations: inputs };
}

/** How to run the recipe; the answer carries it in the Bitplan-Usage header, the CLI on stderr. */
export const LLM_COMPRESSOR_USAGE = 'oneshot(model=model, recipe="PLAN.yaml", dataset=..., output_dir=...) (from llmcompressor import oneshot), then vllm serve the output directory';

/**
 * The plan as an llm-compressor recipe (https://github.com/vllm-project/llm-compressor): one
 * QuantizationModifier whose config_groups hold one group per distinct scheme, each targeting its
 * layers by `re:` patterns that match exactly those module names among the model's
 * (namePatterns.ts), and layers left in 16/32-bit floats in `ignore`. oneshot writes a
 * compressed-tensors checkpoint with the same groups, which vLLM reads
 * (CompressedTensorsConfig). Group keys are zero-padded so that their sorted order is their
 * written order, and the patterns are disjoint, so no reader's precedence rule changes a layer's
 * scheme. Keys are the layers' Hugging Face module names (hfModuleName.ts).
 */
export function llmCompressorRecipe(plan: PlanResult, problems: UnexportableLayer[]): string {
  const groups = new Map<string, { scheme: Scheme; names: string[] }>();
  const ignored: string[] = [];
  for (const layer of plan.layers) {
    const scheme = compressedTensorsScheme(layer.candidate);
    const name = hfModuleName(layer);
    if (scheme === undefined) {
      problems.push({
        layer,
        reason: 'compressed-tensors has no such scheme; it takes integer weights (int2-int8, per channel or in groups) with 16-bit or integer/fp8 activations, fp8-e4m3 (16-bit or fp8 activations), nvfp4, mxfp4 and mxfp8 (16-bit or their own activations), or 16/32-bit floats (ignored)',
      });
    } else if (scheme === null) ignored.push(name);
    else {
      const key = JSON.stringify(scheme);
      const group = groups.get(key);
      if (group) group.names.push(name);
      else groups.set(key, { scheme, names: [name] });
    }
  }
  const allNames = plan.layers.map(hfModuleName);
  const width = String(Math.max(0, groups.size - 1)).length;
  const configGroups: Record<string, unknown> = {};
  [...groups.values()].forEach(({ scheme, names }, i) => {
    configGroups[`group_${String(i).padStart(width, '0')}`] = { targets: [`re:${exactPattern(names, allNames)}`], ...scheme };
  });
  const recipe = {
    quant_stage: {
      quant_modifiers: {
        QuantizationModifier: {
          ...(ignored.length > 0 ? { ignore: [`re:${exactPattern(ignored, allNames)}`] } : {}),
          config_groups: configGroups,
        },
      },
    },
  };
  const header = [
    `# bitplan plan for ${plan.modelName}: an llm-compressor recipe (QuantizationModifier, one config group per scheme).`,
    `# Run: ${LLM_COMPRESSOR_USAGE}`,
    '# Each re: target matches exactly its group\'s module names (Python re.match); layers not targeted stay unquantized.',
  ];
  return `${header.map((line) => line.replace(/[^\x20-\x7e]/g, '?')).join('\n')}\n${stringify(recipe, { lineWidth: 0 })}`;
}
