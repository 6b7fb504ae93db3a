import type { BudgetUse, Plan } from '../../contract/plan.js';
import { COST_METRICS } from '../costs/metric.js';
import { itemValue, optionValue, type Quantity } from '../problem/rows.js';
import { withinCapacity } from '../solvers/instance.js';
import type { PreparedProblem } from './makePlan.js';
import type { VerifiedAssignment } from './verify.js';

export interface SolveSummary {
  status: Plan['status'];
  bound: number;
  solver: Plan['solver'];
}

/** The plan a client reads: per-layer choices, totals, how each budget is used. */
export function describePlan(problem: PreparedProblem, verified: VerifiedAssignment, summary: SolveSummary): Plan {
  const { layers, limits, objective } = problem;
  const chosen = layers.map((plannable, i) => plannable.options[verified.options[i]!]!);
  const totals: Plan['totals'] = {};
  for (const quantity of ['sensitivity', ...COST_METRICS] as Quantity[]) {
    const values = chosen.map((option) => optionValue(option, quantity));
    if (values.every((value) => value !== undefined)) totals[quantity] = values.reduce((a, b) => a! + b!, 0);
  }
  const blocked = blockingLimits(problem, verified);
  const budgets: BudgetUse[] = limits.map((limit, k) => ({
    metric: limit.quantity,
    limit: limit.limit,
    used: verified.used[k]!,
    slack: limit.limit - verified.used[k]!,
    binding: blocked[k]!,
  }));
  const scale = Math.max(Math.abs(verified.objective), Number.MIN_VALUE);
  return {
    status: summary.status,
    objective: { [objective]: verified.objective },
    bound: summary.bound,
    gap: Math.max(0, (verified.objective - summary.bound) / scale),
    totals,
    budgets,
    layers: layers.map((plannable, i) => {
      const option = chosen[i]!;
      const { avgBits: _share, ...costs } = option.costs;
      return {
        name: plannable.layer.name,
        candidate: option.candidate.id,
        sensitivity: option.score.value,
        sensitivitySource: option.score.source,
        pinned: plannable.pinned,
        ...(option.compute ? { computesIn: option.compute.format.id + (option.compute.native ? '' : ' (emulated)') } : {}),
        costs: {
          ...Object.fromEntries(Object.entries(costs).filter(([, value]) => value !== undefined)),
          avgBits: plannable.layer.params > 0 ? (costs.sizeBytes * 8) / plannable.layer.params : 0,
        },
      };
    }),
    solver: summary.solver,
    warnings: problem.warnings,
  };
}

/**
 * For each limit: does it block at least one single-item change (one layer, or one tied group)
 * that would lower the objective?
 */
function blockingLimits(problem: PreparedProblem, verified: VerifiedAssignment): boolean[] {
  const { items, layers, limits, objective } = problem;
  const blocked = limits.map(() => false);
  for (const item of items) {
    const first = item.members[0]!;
    const current = item.choices.findIndex((choice) => choice[0] === verified.options[first]);
    const currentCost = itemValue(item, layers, current, objective);
    item.candidateIds.forEach((_, j) => {
      if (j === current || itemValue(item, layers, j, objective) >= currentCost) return;
      limits.forEach((limit, k) => {
        const delta = itemValue(item, layers, j, limit.quantity) - itemValue(item, layers, current, limit.quantity);
        if (!withinCapacity(verified.used[k]! + delta, limit.limit)) blocked[k] = true;
      });
    });
  }
  return blocked;
}
