import type { ModelDescriptor } from '../../contract/model.js';
import type { Plan } from '../../contract/plan.js';
import { invalidInput } from '../errors.js';
import { hawqBitConfig } from './hawq.js';
import { LLAMA_CPP_USAGE, llamaCppTensorTypes } from './llamaCpp.js';
import { modelOptConfig } from './modelopt.js';
import { planCsv } from './planCsv.js';

export const PLAN_EXPORTS = ['json', 'hawq', 'modelopt', 'llama-cpp', 'csv'] as const;
export type PlanExport = (typeof PLAN_EXPORTS)[number];

export interface ExportedPlan {
  contentType: string;
  body: string;
  /** How to use the file, where it cannot say so itself (the llama.cpp tensor-type file has no comments). */
  usage?: string;
}

/** A layer the target toolkit cannot express, for the 400 that says so. */
export interface UnexportableLayer {
  layer: string;
  candidate: string;
  reason: string;
}

/** The plan in the format a quantization toolkit reads; a 400 (path `format`) names each layer it cannot express. */
export function exportPlan(format: PlanExport, plan: Plan, model: ModelDescriptor): ExportedPlan {
  const aliases = new Map(model.layers.map((layer) => [layer.name, layer.aliases ?? {}]));
  const problems: UnexportableLayer[] = [];
  let exported: ExportedPlan;
  switch (format) {
    case 'json':
      return { contentType: 'application/json; charset=utf-8', body: JSON.stringify(plan) };
    case 'csv':
      return { contentType: 'text/csv; charset=utf-8', body: planCsv(plan) };
    case 'hawq':
      exported = { contentType: 'text/x-python; charset=utf-8', body: hawqBitConfig(plan, model.name, aliases, problems) };
      break;
    case 'modelopt':
      exported = { contentType: 'application/json; charset=utf-8', body: modelOptConfig(plan, aliases, problems) };
      break;
    case 'llama-cpp':
      exported = { contentType: 'text/plain; charset=utf-8', body: llamaCppTensorTypes(plan, aliases, problems), usage: LLAMA_CPP_USAGE };
      break;
  }
  if (problems.length > 0) {
    throw invalidInput(problems.slice(0, 50).map((p) => ({ path: 'format', message: `layer ${p.layer} at ${p.candidate}: ${p.reason}` })));
  }
  return exported;
}

export type Aliases = Map<string, NonNullable<ModelDescriptor['layers'][number]['aliases']>>;
