import type { Frontier } from '../../contract/frontier.js';
import { csvRecord } from '../../core/index.js';

/**
 * A frontier as CSV: one row per point (kind point) and per baseline (kind baseline); `knee` marks
 * the knee; `assignment` holds one candidate index per layer, space-separated, indexing the
 * `# candidates` comment line (layer order in the `# layers` line, its names CSV fields).
 */
export function frontierCsv(frontier: Frontier): string {
  const lines = [
    `# axis: ${frontier.axis} (${frontier.unit})`,
    `# candidates: ${frontier.candidates.join(' ')}`,
    `# layers: ${csvRecord(frontier.layers)}`,
    'kind,cost,sensitivity,status,gap,source,knee,candidate,assignment',
  ];
  frontier.points.forEach((point, i) => {
    lines.push(csvRecord(['point', point.cost, point.sensitivity, point.status, point.gap, point.source, i === frontier.knee, '', point.assignment.join(' ')]));
  });
  for (const baseline of frontier.baselines) {
    lines.push(csvRecord(['baseline', baseline.cost, baseline.sensitivity, baseline.meetsBudgets ? 'meets budgets' : 'over budget', '', '', false, baseline.candidate, '']));
  }
  return `${lines.join('\n')}\n`;
}
