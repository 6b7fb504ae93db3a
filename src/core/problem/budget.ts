import type { CostMetric } from '../costs/metric.js';

/** An upper limit on one cost metric of the whole plan: absolute (max) or relative (fraction). */
export interface Budget {
  metric: CostMetric;
  max?: number;
  /** cheapest + fraction x (most expensive - cheapest), as HAWQ-V3 states its limits. */
  fraction?: number;
}

/** Minimize total sensitivity, or a cost metric under a bound on total sensitivity. */
export interface Objective {
  minimize: 'sensitivity' | CostMetric;
  maxSensitivity?: number;
}
