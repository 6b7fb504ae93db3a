import type { PlanResult } from '../plan/planResult.js';
import { COST_METRICS } from '../costs/metric.js';
import { csvRecord } from './text.js';

/** The plan as CSV, one row per layer: name, candidate, weight and activation formats, sensitivity and costs. */
export function planCsv(plan: PlanResult): string {
  const metrics = COST_METRICS.filter((metric) => plan.layers.some((layer) => layer.costs[metric] !== undefined));
  const header = ['layer', 'candidate', 'weight', 'activation', 'pinned', 'sensitivity', 'sensitivitySource', ...metrics];
  const rows = plan.layers.map((layer) => {
    const { id, weight, activation } = layer.candidate;
    return csvRecord([layer.name, id, weight.id, activation.id, layer.pinned, layer.sensitivity, layer.sensitivitySource, ...metrics.map((m) => layer.costs[m] ?? '')]);
  });
  return `${[csvRecord(header), ...rows].join('\n')}\n`;
}
