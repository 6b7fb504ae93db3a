/**
 * Jointly tight budgets (issue #26.2): each budget alone is easy to meet, together they leave
 * few plans. Over randomModel: bops 0.1-2% above its least, latencyMs 0.1-2% above its least
 * under that bops budget, sizeBytes `sizeSlack` (relative) above its least under both. A
 * negative sizeSlack makes the budgets jointly infeasible while each alone stays reachable.
 */
import { makePlan, type PlanInput } from '../../src/core/index.js';
import type { Budget } from '../../src/core/problem/budget.js';
import { mulberry32 } from '../../src/core/random.js';
import { randomModel } from './randomFamily.js';

const wallClock = { now: () => performance.now() };

export function jointlyTightInput(layers: number, seed: number, sizeSlack = 1e-6, timeLimitMs = 10_000): PlanInput {
  const model = randomModel(layers, seed);
  const next = mulberry32(seed * 31 + 7);
  const least = (metric: 'bops' | 'latencyMs' | 'sizeBytes', budgets: Budget[]) =>
    makePlan({ model, modelPath: 'model', batchSize: 1, budgets, objective: { minimize: metric, maxSensitivity: 1e9 }, solver: { backend: 'mckp', timeLimitMs: 60_000, relativeGap: 0 } }, wallClock).totals[metric]!;
  const bops = least('bops', [{ metric: 'bops', fraction: 1 }]) * (1 + 0.001 + 0.019 * next());
  const latencyMs = least('latencyMs', [{ metric: 'bops', max: bops }]) * (1 + 0.001 + 0.019 * next());
  const sizeBytes = least('sizeBytes', [{ metric: 'bops', max: bops }, { metric: 'latencyMs', max: latencyMs }]) * (1 + sizeSlack);
  return {
    model,
    modelPath: 'model',
    batchSize: 1,
    budgets: [{ metric: 'sizeBytes', max: sizeBytes }, { metric: 'bops', max: bops }, { metric: 'latencyMs', max: latencyMs }],
    objective: { minimize: 'sensitivity' },
    solver: { backend: 'mckp', timeLimitMs, relativeGap: 0 },
  };
}
