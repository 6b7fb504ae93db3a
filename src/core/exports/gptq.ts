import type { Candidate } from '../formats/candidate.js';
import type { PlanResult } from '../plan/planResult.js';
import { hfModuleName, WIDE_FLOATS } from './hfModuleName.js';
import { exactPattern } from './namePatterns.js';
import type { UnexportableLayer } from './unexportable.js';
import { vllmFusedName } from './vllmNames.js';

interface GptqScheme {
  bits: number;
  /** -1: one scale per output channel. */
  group_size: number;
}

/** GPTQ's scheme of a candidate: 2, 3, 4 or 8-bit symmetric integer weights, 16-bit activations. Null: kept in floats. */
export function gptqScheme(candidate: Candidate): GptqScheme | null | undefined {
  const { weight: w, activation: a } = candidate;
  if (!WIDE_FLOATS.has(a.id)) return undefined;
  if (WIDE_FLOATS.has(w.id)) return null;
  if (w.kind !== 'integer' || !/^int\d(-g\d+)?$/.test(w.id) || ![2, 3, 4, 8].includes(w.elementBits)) return undefined;
  return { bits: w.elementBits, group_size: w.blockSize ?? -1 };
}

/** How to use the file; the answer carries it in the Bitplan-Usage header, the CLI on stderr. */
export const GPTQ_USAGE = 'QuantizeConfig(**json.load(open("PLAN.json"))) for GPTQModel (from gptqmodel import GPTQModel, QuantizeConfig); the saved quantize_config.json keeps the dynamic overrides, which vLLM applies';

/**
 * The plan as a GPTQModel quantize_config.json (https://github.com/ModelCloud/GPTQModel): the most
 * common scheme (by weights) as the base bits and group_size, a `+:` override per other scheme and
 * one `-:` exclusion for layers kept in floats. vLLM applies the overrides with re.match on its own
 * module names (get_dynamic_override, vllm/model_executor/layers/quantization/utils/gptq_utils.py,
 * https://github.com/vllm-project/vllm), which are the fused ones (qkv_proj, gate_up_proj,
 * experts): each pattern matches exactly its layers' names and their fused names, and nothing
 * else among the model's. desc_act is false and sym true (vLLM's Marlin kernels run 4 and 8-bit
 * symmetric weights).
 */
export function gptqQuantizeConfig(plan: PlanResult, problems: UnexportableLayer[]): string {
  const groups = new Map<string, { scheme: GptqScheme; names: string[]; params: number }>();
  const excluded: string[] = [];
  const paramsOf = new Map(plan.model.layers.map((layer) => [layer.name, layer.params]));
  for (const layer of plan.layers) {
    const params = paramsOf.get(layer.name) ?? 0;
    const scheme = gptqScheme(layer.candidate);
    const names = [hfModuleName(layer)];
    const fused = vllmFusedName(names[0]!);
    if (fused) names.push(fused);
    if (scheme === undefined) {
      problems.push({ layer, reason: 'GPTQ quantizes weights only, to 2, 3, 4 or 8-bit integers (per channel or in groups); 16/32-bit floats are excluded' });
    } else if (scheme === null) excluded.push(...names);
    else {
      const key = `${scheme.bits}/${scheme.group_size}`;
      const group = groups.get(key);
      if (group) {
        group.names.push(...names);
        group.params += params;
      } else groups.set(key, { scheme, names, params });
    }
  }
  const all = [...new Set(plan.layers.flatMap((layer) => [hfModuleName(layer), vllmFusedName(hfModuleName(layer))].filter((n): n is string => n !== undefined)))];
  const ranked = [...groups.values()].sort((a, b) => b.params - a.params);
  const base = ranked[0]?.scheme ?? { bits: 4, group_size: 128 };
  const dynamic: Record<string, Partial<GptqScheme>> = {};
  if (excluded.length > 0) dynamic[`-:${exactPattern([...new Set(excluded)], all)}`] = {};
  for (const { scheme, names } of ranked.slice(1)) dynamic[`+:${exactPattern([...new Set(names)], all)}`] = { ...scheme };
  const config = {
    bits: base.bits,
    group_size: base.group_size,
    desc_act: false,
    sym: true,
    lm_head: false,
    quant_method: 'gptq',
    checkpoint_format: 'gptq',
    ...(Object.keys(dynamic).length > 0 ? { dynamic } : {}),
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}
