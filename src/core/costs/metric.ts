/**
 * The cost metrics a budget or an objective can name.
 * - sizeBytes: params x effective bits / 8 (scale overhead included).
 * - avgBits: size as mean bits per weight over the whole model.
 * - bops: MACs x weight element bits x activation element bits (HAWQ-V3, AIMET, MCT).
 * - latencyMs: the descriptor's measured per-layer table.
 */
export const COST_METRICS = ['sizeBytes', 'avgBits', 'bops', 'latencyMs'] as const;
export type CostMetric = (typeof COST_METRICS)[number];

export const METRIC_UNITS: Record<CostMetric, string> = {
  sizeBytes: 'bytes',
  avgBits: 'bits per weight',
  bops: 'bit operations per inference',
  latencyMs: 'milliseconds (the unit of the measured table)',
};
