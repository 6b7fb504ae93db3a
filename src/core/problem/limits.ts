import type { Budget, Objective } from './budget.js';
import { quantityRange, type ItemValues } from './itemValues.js';
import type { ResolvedLimit } from './rows.js';

/**
 * Resolves each budget (and the objective's sensitivity bound) to an absolute limit.
 * A fraction f means least + f x (most - least), the least and most reachable over the items.
 */
export function resolveLimits(budgets: Budget[], objective: Objective, values: ItemValues): ResolvedLimit[] {
  const limits = budgets.map((budget): ResolvedLimit => {
    const { least, most } = quantityRange(values, budget.metric);
    const limit = budget.max ?? least + budget.fraction! * (most - least);
    return { quantity: budget.metric, limit, leastReachable: least };
  });
  if (objective.minimize !== 'sensitivity') {
    limits.push({ quantity: 'sensitivity', limit: objective.maxSensitivity!, leastReachable: quantityRange(values, 'sensitivity').least });
  }
  return limits;
}
