import type { Frontier } from '../../contract/frontier.js';

function field(value: string | number | boolean): string {
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * A frontier as CSV: one row per point (kind point) and per baseline (kind baseline); `knee` marks
 * the knee; `assignment` holds one candidate index per layer, space-separated, indexing the
 * `# candidates` comment line (layer order in the `# layers` line).
 */
export function frontierCsv(frontier: Frontier): string {
  const lines = [
    `# axis: ${frontier.axis} (${frontier.unit})`,
    `# candidates: ${frontier.candidates.join(' ')}`,
    `# layers: ${frontier.layers.join(' ')}`,
    'kind,cost,sensitivity,status,gap,source,knee,candidate,assignment',
  ];
  frontier.points.forEach((point, i) => {
    lines.push([
      'point', point.cost, point.sensitivity, point.status, point.gap, point.source, i === frontier.knee, '', point.assignment.join(' '),
    ].map(field).join(','));
  });
  for (const baseline of frontier.baselines) {
    lines.push(['baseline', baseline.cost, baseline.sensitivity, baseline.meetsBudgets ? 'meets budgets' : 'over budget', '', '', false, baseline.candidate, ''].map(field).join(','));
  }
  return `${lines.join('\n')}\n`;
}
