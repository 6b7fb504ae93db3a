import type { Plan } from '../../contract/plan.js';
import { COST_METRICS } from '../costs/metric.js';
import { csvRecord } from './text.js';

/** The plan as CSV, one row per layer: name, candidate, weight and activation formats, sensitivity and costs. */
export function planCsv(plan: Plan): string {
  const metrics = COST_METRICS.filter((metric) => plan.layers.some((layer) => layer.costs[metric] !== undefined));
  const header = ['layer', 'candidate', 'weight', 'activation', 'pinned', 'sensitivity', 'sensitivitySource', ...metrics];
  const rows = plan.layers.map((layer) => {
    const [weight, activation] = layer.candidate.split('/');
    return csvRecord([layer.name, layer.candidate, weight!, activation!, layer.pinned, layer.sensitivity, layer.sensitivitySource, ...metrics.map((m) => layer.costs[m] ?? '')]);
  });
  return `${[csvRecord(header), ...rows].join('\n')}\n`;
}
