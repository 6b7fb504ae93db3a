import { invalidInput } from '../errors.js';
import { namedLayers } from '../namedLayers.js';
import type { PlanResult } from '../plan/planResult.js';
import { hawqBitConfig } from './hawq.js';
import { LLAMA_CPP_USAGE, llamaCppTensorTypes } from './llamaCpp.js';
import { modelOptConfig } from './modelopt.js';
import { planCsv } from './planCsv.js';
import type { UnexportableLayer } from './unexportable.js';

/** The toolkit files a plan exports to (json, the wire Plan, is written by src/service). */
export const PLAN_EXPORTS = ['json', 'hawq', 'modelopt', 'llama-cpp', 'csv'] as const;
export type PlanExport = (typeof PLAN_EXPORTS)[number];

export interface ExportedPlan {
  contentType: string;
  body: string;
  /** How to use the file, where it cannot say so itself (the llama.cpp tensor-type file has no comments). */
  usage?: string;
}


/** The plan in the file a quantization toolkit reads; a 400 (path `format`) names each layer it cannot express. */
export function exportPlan(format: Exclude<PlanExport, 'json'>, plan: PlanResult): ExportedPlan {
  const problems: UnexportableLayer[] = [];
  const exported = ((): ExportedPlan => {
    switch (format) {
      case 'csv':
        return { contentType: 'text/csv; charset=utf-8', body: planCsv(plan) };
      case 'hawq':
        return { contentType: 'text/x-python; charset=utf-8', body: hawqBitConfig(plan, problems) };
      case 'modelopt':
        return { contentType: 'application/json; charset=utf-8', body: modelOptConfig(plan, problems) };
      case 'llama-cpp':
        return { contentType: 'text/plain; charset=utf-8', body: llamaCppTensorTypes(plan, problems), usage: LLAMA_CPP_USAGE };
    }
  })();
  if (problems.length > 0) {
    // One entry per reason, naming its layers (a fp8 plan of a 226-layer model is one problem, not 226).
    const byReason = new Map<string, string[]>();
    for (const p of problems) {
      const layers = byReason.get(p.reason);
      const named = `${p.layer.name} at ${p.layer.candidate.id}`;
      if (layers) layers.push(named);
      else byReason.set(p.reason, [named]);
    }
    throw invalidInput(
      [...byReason].map(([reason, layers]) => ({
        path: 'format',
        message: `${namedLayers(layers)}: ${reason}`,
      })),
    );
  }
  return exported;
}
