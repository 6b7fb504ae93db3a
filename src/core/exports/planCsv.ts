import type { Plan } from '../../contract/plan.js';
import { COST_METRICS } from '../costs/metric.js';

/** The plan as CSV, one row per layer: name, candidate, weight and activation formats, sensitivity and costs. */
export function planCsv(plan: Plan): string {
  const metrics = COST_METRICS.filter((metric) => plan.layers.some((layer) => layer.costs[metric] !== undefined));
  const header = ['layer', 'candidate', 'weight', 'activation', 'pinned', 'sensitivity', 'sensitivitySource', ...metrics];
  const rows = plan.layers.map((layer) => {
    const [weight, activation] = layer.candidate.split('/');
    return [layer.name, layer.candidate, weight, activation, layer.pinned, layer.sensitivity, layer.sensitivitySource, ...metrics.map((m) => layer.costs[m] ?? '')]
      .map((value) => (/[",\n]/.test(String(value)) ? `"${String(value).replace(/"/g, '""')}"` : String(value)))
      .join(',');
  });
  return `${[header.join(','), ...rows].join('\n')}\n`;
}
