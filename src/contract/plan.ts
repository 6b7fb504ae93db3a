import { z } from 'zod';
import { COST_METRICS } from '../core/costs/metric.js';
import { SENSITIVITY_SOURCES } from '../core/sensitivity/source.js';
import { component, doc } from './doc.js';
import { PlannedTarget } from './target.js';
import { CostMetric } from './request.js';

const metricValues = (description: string, example: unknown) =>
  doc(z.partialRecord(z.enum(['sensitivity', ...COST_METRICS]), z.number()), description, example);


export const PlannedLayer = component(
  'PlannedLayer',
  z.strictObject({
    name: doc(z.string(), 'Layer name.', 'stage1.unit1.convbn1'),
    candidate: doc(z.string(), 'The chosen candidate `<weight format>/<activation format>`.', 'int8/int8'),
    sensitivity: doc(z.number(), 'Sensitivity of the layer at the chosen candidate.', 0.0016),
    sensitivitySource: doc(
      z.enum(SENSITIVITY_SOURCES),
      'Which evidence the sensitivity score came from (estimates also appear in warnings).',
      'hessianTrace x perturbation',
    ),
    pinned: doc(z.boolean(), 'Whether the layer was pinned by the descriptor.', false),
    computesIn: doc(
      z.string().optional(),
      'With a hardware profile: the format the layer\'s multiply-accumulates run in on that chip (with " (emulated)" when the chip does not run the candidate natively).',
      'int8',
    ),
    costs: metricValues(
      'Costs of the layer at the chosen candidate: sizeBytes, bops, latencyMs, energyJ and macLuts where computable, and avgBits = the layer\'s own bits per weight.',
      { sizeBytes: 36864, avgBits: 8, bops: 7.4e9, latencyMs: 0.36 },
    ),
  }),
  'The chosen candidate of one layer and what it costs.',
  {
    name: 'stage1.unit1.convbn1',
    candidate: 'int8/int8',
    sensitivity: 0.0016,
    sensitivitySource: 'hessianTrace x perturbation',
    pinned: false,
    costs: { sizeBytes: 36864, avgBits: 8, bops: 7.4e9, latencyMs: 0.36 },
  },
);

export const BudgetUse = component(
  'BudgetUse',
  z.strictObject({
    metric: z.union([CostMetric, z.literal('sensitivity')]).meta({
      description: 'The budgeted metric (sensitivity when the objective bounds it).',
      example: 'sizeBytes',
    }),
    limit: doc(z.number(), 'The limit in the metric\'s unit (a fraction budget resolved to its absolute value).', 6.5e6),
    used: doc(z.number(), 'What the plan uses.', 6.1e6),
    slack: doc(z.number(), 'limit - used.', 4.0e5),
    slackFraction: doc(z.number(), 'slack / limit: the share of the budget left (0 when the limit is 0).', 0.0615),
    binding: doc(
      z.boolean(),
      'True when this budget blocks at least one single-layer change that would improve the objective: no layer can move to a candidate of lower sensitivity within this budget. A budget can bind with slack left (the cheapest such change needs more than the slack); slackFraction says how much is left.',
      false,
    ),
  }),
  'How the plan uses one budget.',
  { metric: 'sizeBytes', limit: 6.5e6, used: 6.1e6, slack: 4.0e5, slackFraction: 0.0615, binding: false },
);

export const SolverReport = component(
  'SolverReport',
  z.strictObject({
    backend: doc(z.enum(['mckp', 'lp-solver']), 'The backend that produced the assignment.', 'mckp'),
    timeMs: doc(z.number(), 'Wall time of the solve in milliseconds.', 0.8),
    nodes: doc(z.number().int(), 'Search effort: for mckp, Lagrangian evaluations plus core-program states and branch-and-bound nodes; for lp-solver, branch-and-cut iterations.', 3),
    stoppedBy: doc(
      z.enum(['time-limit', 'memory-limit', 'node-limit']).optional(),
      'Only on a feasible plan: what stopped the search before it proved the plan optimal. time-limit: solver.timeLimitMs (capped by the server) ran out; memory-limit or node-limit: the search reached its memory or node limit. The warnings then give the proven gap.',
      'time-limit',
    ),
  }),
  'Which solver answered, how long it took and how much search it did.',
  { backend: 'mckp', timeMs: 0.8, nodes: 3 },
);

export const SensitivityParts = component(
  'SensitivityParts',
  z.strictObject({
    layers: doc(z.number(), 'The sum of the layers\' own sensitivities at their candidates.', 0.91),
    interactions: doc(z.number(), 'The sum of the interaction terms of the chosen pairs (model.interactions, after robust.z and interactions.negative).', 0.12),
  }),
  'A predicted sensitivity with interactions, in its two parts (their sum is the total).',
  { layers: 0.91, interactions: 0.12 },
);

export const PlanAlternative = component(
  'PlanAlternative',
  z.strictObject({
    rank: doc(z.number().int().min(1), '1 for the best plan, 2 for the next, ...', 2),
    objective: doc(z.number(), 'Its predicted objective (total sensitivity, interactions included).', 1.2391),
    sensitivityParts: SensitivityParts.optional(),
    totals: metricValues('Its totals, as the plan\'s.', { sensitivity: 1.2391, sizeBytes: 6.1e6 }),
    layers: doc(
      z.array(z.strictObject({ name: doc(z.string(), 'Layer name.', 'conv1'), candidate: doc(z.string(), 'Its candidate in this plan.', 'int8/int8') })),
      'Every layer with its candidate, in descriptor order.',
      [{ name: 'conv1', candidate: 'int8/int8' }],
    ),
  }),
  'One of the k best plans (alternatives): a plan to measure beside the others.',
  { rank: 2, objective: 1.2391, totals: { sensitivity: 1.2391 }, layers: [{ name: 'conv1', candidate: 'int8/int8' }] },
);

export const Plan = component(
  'Plan',
  z.strictObject({
    status: doc(
      z.enum(['optimal', 'feasible']),
      'optimal: proven within solver.relativeGap; feasible: the search stopped before the proof, solver.stoppedBy says why, bound and gap say how far from proven, and a warning repeats it.',
      'optimal',
    ),
    objective: metricValues('The minimized quantity and its value.', { sensitivity: 1.2345 }),
    bound: doc(z.number(), 'Proven lower bound on the objective.', 1.2345),
    gap: doc(z.number(), 'Relative gap (objective - bound) / |objective|.', 0),
    totals: metricValues(
      'Totals of the plan: total sensitivity and every cost metric the descriptor allows computing.',
      { sensitivity: 1.2345, sizeBytes: 6.1e6, avgBits: 4.4, bops: 3.4e10, latencyMs: 2.7 },
    ),
    sensitivityParts: SensitivityParts.optional().meta({ description: 'With model.interactions: the predicted sensitivity split into the layers\' own and the pairs\' terms.' }),
    budgets: doc(z.array(BudgetUse), 'Each budget (and the sensitivity bound, if any) with its use.', [
      { metric: 'sizeBytes', limit: 6.5e6, used: 6.1e6, slack: 4.0e5, slackFraction: 0.0615, binding: false },
    ]),
    layers: doc(z.array(PlannedLayer), 'Every layer, in descriptor order, with its chosen candidate.', []),
    alternatives: doc(
      z.array(PlanAlternative).optional(),
      'With alternatives k > 1 in the request: the k best distinct plans within the budgets, best first (rank 1 is this plan). When status is optimal they are exactly the k best (the k-th proven); fewer when fewer plans meet the budgets.',
      [],
    ),
    solver: SolverReport,
    target: PlannedTarget.optional().meta({ description: 'With target in the request: the runtime, its checkpoint and the fusion groups tied.' }),
    warnings: doc(z.array(z.string()), 'Estimates and assumptions the plan rests on.', [
      'layer conv2: perturbation for int2 extrapolated from int4 by the uniform-noise law',
    ]),
  }),
  'The optimal (or best found) format for every layer, verified against every budget.',
  {
    status: 'optimal',
    objective: { sensitivity: 1.2345 },
    bound: 1.2345,
    gap: 0,
    totals: { sensitivity: 1.2345, sizeBytes: 6.1e6, avgBits: 4.4, bops: 3.4e10, latencyMs: 2.7 },
    budgets: [{ metric: 'sizeBytes', limit: 6.5e6, used: 6.1e6, slack: 4.0e5, slackFraction: 0.0615, binding: false }],
    layers: [],
    solver: { backend: 'mckp', timeMs: 0.8, nodes: 3 },
    warnings: [],
  },
);
export type Plan = z.infer<typeof Plan>;
export type PlannedLayer = z.infer<typeof PlannedLayer>;
export type BudgetUse = z.infer<typeof BudgetUse>;
