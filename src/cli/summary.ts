import type { Frontier } from '../contract/frontier.js';
import type { Plan } from '../contract/plan.js';
import { compactNumber } from '../service/render/svg.js';

/** Layers shown one per row; larger plans show how many layers took each candidate. */
const LAYER_ROWS = 60;

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => rows.reduce((widest, r) => Math.max(widest, r[c]!.length), 0));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ')).join('\n');
}

const number = (value: number | undefined) => (value === undefined ? '-' : Math.abs(value) >= 1000 ? compactNumber(value) : Number(value.toPrecision(4)).toString());

/** The status as a person reads it: a proven optimum needs no gap of 1e-12 beside it. */
function statusText(plan: Plan): string {
  const gap = `${Number((100 * plan.gap).toPrecision(2))}%`;
  if (plan.status === 'optimal') return plan.gap <= 1e-9 ? 'optimal (proven)' : `optimal within the accepted gap (${gap})`;
  return `feasible, not proven (gap ${gap}${plan.solver.stoppedBy ? `, stopped by the ${plan.solver.stoppedBy.replace('-', ' ')}` : ''})`;
}

/** A plan for people: status, budgets, totals, then the layers (or counts per candidate). */
export function planSummary(plan: Plan, modelName: string): string {
  const out = [
    `bitplan: ${modelName}: ${statusText(plan)}, ${plan.layers.length} layers, ${plan.solver.backend} in ${plan.solver.timeMs.toFixed(1)} ms`,
    '',
  ];
  if (plan.budgets.length > 0) {
    out.push(table([['budget', 'limit', 'used', 'slack', 'slack %', 'binding'], ...plan.budgets.map((b) => [b.metric, number(b.limit), number(b.used), number(b.slack), (100 * b.slackFraction).toFixed(1), b.binding ? 'yes' : 'no'])]), '');
  }
  out.push(`totals: ${Object.entries(plan.totals).map(([k, v]) => `${k} ${number(v)}`).join(', ')}`, '');
  if (plan.layers.length <= LAYER_ROWS) {
    out.push(table([['layer', 'candidate', 'sensitivity', 'sizeBytes'], ...plan.layers.map((l) => [l.name + (l.pinned ? ' (pinned)' : ''), l.candidate, number(l.sensitivity), number(l.costs.sizeBytes)])]));
  } else {
    const counts = new Map<string, number>();
    for (const layer of plan.layers) counts.set(layer.candidate, (counts.get(layer.candidate) ?? 0) + 1);
    out.push(table([['candidate', 'layers'], ...[...counts.entries()].sort((a, b) => b[1] - a[1]).map(([c, n]) => [c, String(n)])]));
  }
  if (plan.sensitivityParts) out.push('', `sensitivity: layers ${number(plan.sensitivityParts.layers)} + interactions ${number(plan.sensitivityParts.interactions)}`);
  if (plan.alternatives && plan.alternatives.length > 1) {
    // Each alternative as the layers where it differs from the best plan.
    const best = new Map(plan.layers.map((l) => [l.name, l.candidate]));
    out.push('', `the ${plan.alternatives.length} best plans (objective, and where each differs from the first):`);
    for (const a of plan.alternatives) {
      const changes = a.layers.filter((l) => best.get(l.name) !== l.candidate).map((l) => `${l.name} ${l.candidate}`);
      const shown = changes.length === 0 ? '' : `  ${changes.slice(0, 4).join(', ')}${changes.length > 4 ? ` and ${changes.length - 4} more` : ''}`;
      out.push(`  ${String(a.rank).padStart(2)}. ${number(a.objective)}${shown}`);
    }
  }
  if (plan.warnings.length > 0) out.push('', 'warnings:', ...plan.warnings.map((w) => `  ${w}`));
  return out.join('\n');
}

export function frontierSummary(frontier: Frontier): string {
  const rows = frontier.points.map((p, i) => [String(i) + (i === frontier.knee ? ' (knee)' : ''), number(p.cost), number(p.sensitivity), p.status, p.source]);
  const shown = rows.length > LAYER_ROWS ? [...rows.slice(0, LAYER_ROWS / 2), ['...', '', '', '', ''], ...rows.slice(-LAYER_ROWS / 2)] : rows;
  return [
    `bitplan frontier: ${frontier.points.length} points of sensitivity against ${frontier.axis} (${frontier.unit}), ${frontier.solver.solves} solves in ${frontier.solver.timeMs.toFixed(0)} ms`,
    '',
    table([['point', frontier.axis, 'sensitivity', 'status', 'source'], ...shown]),
    '',
    `baselines: ${frontier.baselines.map((b) => `all ${b.candidate}: ${number(b.cost)} / ${number(b.sensitivity)}`).join('; ')}`,
  ].join('\n');
}
