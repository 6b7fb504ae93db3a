import type { Candidate } from '../formats/candidate.js';
import type { PlanResult } from '../plan/planResult.js';
import { hfModuleName, WIDE_FLOATS } from './hfModuleName.js';
import type { UnexportableLayer } from './unexportable.js';

type AutoRoundEntry = Record<string, string | number | boolean>;

/** What AutoRound's ignore_layers writes for a layer kept in floats (resolver.py, step 1). */
const FLOAT: AutoRoundEntry = { bits: 16, act_bits: 16, data_type: 'float', act_data_type: 'float' };

/**
 * A candidate as an AutoRound layer_config entry, the fields of its QuantizationScheme and presets
 * (auto_round/schemes.py, https://github.com/intel/auto-round): integer weights symmetric with
 * group_size -1 for per channel; MXFP4, NVFP4 and FP8 as their presets. Undefined when AutoRound
 * has no such scheme.
 */
export function autoRoundEntry(candidate: Candidate): AutoRoundEntry | undefined {
  const { weight: w, activation: a } = candidate;
  const weightOnly = WIDE_FLOATS.has(a.id);
  if (WIDE_FLOATS.has(w.id)) return weightOnly ? FLOAT : undefined;
  if (w.kind === 'integer' && /^int\d(-g\d+)?$/.test(w.id)) return weightOnly ? { bits: w.elementBits, group_size: w.blockSize ?? -1, sym: true, data_type: 'int', act_bits: 16 } : undefined;
  if (w.id === 'mxfp4') {
    if (weightOnly) return { bits: 4, group_size: 32, data_type: 'mx_fp', act_bits: 16 };
    if (a.id === 'mxfp4') return { bits: 4, group_size: 32, data_type: 'mx_fp', act_bits: 4, act_data_type: 'mx_fp', act_group_size: 32, act_sym: true, act_dynamic: true };
  }
  if (w.id === 'nvfp4') {
    if (weightOnly) return { bits: 4, group_size: 16, data_type: 'nv_fp', act_bits: 16 };
    if (a.id === 'nvfp4') return { bits: 4, group_size: 16, data_type: 'nv_fp', act_bits: 4, act_data_type: 'nv_fp4_with_static_gs', act_group_size: 16, act_sym: true, act_dynamic: true };
  }
  if (w.id === 'fp8-e4m3') {
    if (weightOnly) return { bits: 8, group_size: 0, data_type: 'fp', act_bits: 16, act_data_type: 'fp' };
    if (a.id === 'fp8-e4m3') return { bits: 8, group_size: -1, data_type: 'fp', act_bits: 8, act_group_size: 0, act_data_type: 'fp', act_dynamic: false };
  }
  return undefined;
}

/** How to use the file; the answer carries it in the Bitplan-Usage header, the CLI on stderr. */
export const AUTOROUND_USAGE = 'AutoRound(model, tokenizer, layer_config=json.load(open("PLAN.json"))).quantize_and_save(output_dir) (from auto_round import AutoRound)';

/**
 * The plan as AutoRound's layer_config: one entry per layer under its exact Hugging Face module
 * name (AutoRound takes names it finds among the model's supported layers as they are, and treats
 * any other key as a regex searched in every name), layers kept in floats as ignore_layers writes
 * them. JSON, since the file is loaded with json.load.
 */
export function autoRoundLayerConfig(plan: PlanResult, problems: UnexportableLayer[]): string {
  const config: Record<string, AutoRoundEntry> = {};
  for (const layer of plan.layers) {
    const entry = autoRoundEntry(layer.candidate);
    if (entry) config[hfModuleName(layer)] = entry;
    else {
      problems.push({
        layer,
        reason: 'AutoRound has no such scheme here; it takes weight-only integers (int2-int8, per channel or in groups), mxfp4 and nvfp4 (weight-only or with their own activations), fp8-e4m3 (weight-only or fp8/fp8) or 16/32-bit floats',
      });
    }
  }
  return `${JSON.stringify(config, null, 2)}\n`;
}
