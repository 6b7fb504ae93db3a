/** The files a plan exports to (json, the wire Plan, is written by src/service). */
export const PLAN_EXPORTS = ['json', 'hawq', 'modelopt', 'llama-cpp', 'llm-compressor', 'gptq', 'autoround', 'csv'] as const;
export type PlanExport = (typeof PLAN_EXPORTS)[number];
