import { coreError } from '../errors.js';
import { namedLayers } from '../namedLayers.js';
import type { PlanResult } from '../plan/planResult.js';
import { AUTOROUND_USAGE, autoRoundLayerConfig } from './autoround.js';
import { GPTQ_USAGE, gptqQuantizeConfig } from './gptq.js';
import { hawqBitConfig } from './hawq.js';
import { LLAMA_CPP_USAGE, llamaCppTensorTypes } from './llamaCpp.js';
import { LLM_COMPRESSOR_USAGE, llmCompressorRecipe } from './llmCompressor.js';
import { modelOptConfig } from './modelopt.js';
import { planCsv } from './planCsv.js';
import type { PlanExport } from './planExports.js';
import { checkReaders } from './readerCheck.js';
import type { UnexportableLayer } from './unexportable.js';

export { PLAN_EXPORTS, type PlanExport } from './planExports.js';

export interface ExportedPlan {
  contentType: string;
  body: string;
  /** How to use the file, where it cannot say so itself (the llama.cpp tensor-type file has no comments). */
  usage?: string;
  /** What the file's readers will run otherwise than planned (the answer's Bitplan-Warning headers). */
  warnings?: string[];
}

const JSON_TYPE = 'application/json; charset=utf-8';

function write(format: Exclude<PlanExport, 'json'>, plan: PlanResult, problems: UnexportableLayer[]): ExportedPlan {
  switch (format) {
    case 'csv':
      return { contentType: 'text/csv; charset=utf-8', body: planCsv(plan) };
    case 'hawq':
      return { contentType: 'text/x-python; charset=utf-8', body: hawqBitConfig(plan, problems) };
    case 'modelopt':
      return { contentType: JSON_TYPE, body: modelOptConfig(plan, problems) };
    case 'llama-cpp':
      return { contentType: 'text/plain; charset=utf-8', body: llamaCppTensorTypes(plan, problems), usage: LLAMA_CPP_USAGE };
    case 'llm-compressor':
      return { contentType: 'application/yaml; charset=utf-8', body: llmCompressorRecipe(plan, problems), usage: LLM_COMPRESSOR_USAGE };
    case 'gptq':
      return { contentType: JSON_TYPE, body: gptqQuantizeConfig(plan, problems), usage: GPTQ_USAGE };
    case 'autoround':
      return { contentType: JSON_TYPE, body: autoRoundLayerConfig(plan, problems), usage: AUTOROUND_USAGE };
  }
}

/**
 * The plan in the file a quantization toolkit reads, checked against the runtimes that read it
 * (readerCheck.ts). A 422 not-exportable (path `format`) names each layer the file cannot express
 * or its reader would refuse; what a reader would run otherwise than planned comes back as warnings.
 */
export function exportPlan(format: Exclude<PlanExport, 'json'>, plan: PlanResult): ExportedPlan {
  const check = checkReaders(format, plan);
  const problems: UnexportableLayer[] = [];
  const exported = check.refusals.length > 0 ? undefined : write(format, plan, problems);
  const issues = check.refusals.map((message) => ({ path: 'format', message }));
  if (problems.length > 0) {
    // One entry per reason, naming its layers (a fp8 plan of a 226-layer model is one problem, not 226).
    const byReason = new Map<string, string[]>();
    for (const p of problems) {
      const layers = byReason.get(p.reason);
      const named = `${p.layer.name} at ${p.layer.candidate.id}`;
      if (layers) layers.push(named);
      else byReason.set(p.reason, [named]);
    }
    issues.push(...[...byReason].map(([reason, layers]) => ({ path: 'format', message: `${namedLayers(layers)}: ${reason}` })));
  }
  if (issues.length > 0 || !exported) {
    // Refused: what the readers would also run otherwise than planned belongs to the same answer.
    issues.push(...check.warnings.map((message) => ({ path: 'format', message })));
    const first = issues[0]!.message;
    throw coreError('BITPLAN_ERR_NOT_EXPORTABLE', [format, issues.length === 1 ? first : `${issues.length} problems; first: ${first}`, check.hint ? `; ${check.hint}` : ''], { issues });
  }
  const warnings = [...check.warnings, ...(check.hint && check.warnings.length > 0 ? [check.hint] : [])];
  return warnings.length > 0 ? { ...exported, warnings } : exported;
}
