import { z } from 'zod';
import { component, describes, doc, name } from './doc.js';
import type * as core from '../core/index.js';
import { HardwareProfile } from './hardware.js';
import { ModelDescriptor } from './model.js';
import { PlannedTarget, Target } from './target.js';
import { Budget, CostMetric, EvidenceOptions, InteractionOptions, RobustOptions } from './request.js';

export const FrontierRequest = component(
  'FrontierRequest',
  z
    .strictObject({
      model: ModelDescriptor.optional(),
      seed: doc(name().optional(), 'Name of a built-in seed model to use instead of model.', 'llama-2-7b'),
      hardware: doc(z.union([name(), HardwareProfile]).optional(), 'A built-in hardware id or an inline HardwareProfile.', 'nvidia-h100'),
      target: Target.optional(),
      candidates: doc(
        z.array(name()).min(1).optional(),
        'Candidates every layer may take (intersected with each layer\'s list); default: the hardware\'s, else each layer\'s.',
        ['int4-g128/fp16', 'fp8-e4m3/fp8-e4m3', 'bf16/bf16'],
      ),
      allowEmulated: doc(z.boolean().default(false), 'Allow candidates the hardware does not run natively (costed emulated).', false),
      axis: CostMetric,
      budgets: doc(z.array(Budget).max(64).default([]), 'Other budgets every point must meet (not on the axis metric).', []),
      points: doc(
        z.number().int().min(2).max(1000).default(50),
        'Number of axis budgets, evenly spaced from the cheapest to the most expensive assignment, at which the exact optimum is solved. Neighbouring budgets often share their optimum and dominated plans are dropped, so fewer distinct points may come back (merged with the supported points); solver.solves counts the budgets solved, and a warning says how many plans they gave.',
        50,
      ),
      all: doc(
        z.boolean().default(false),
        'Enumerate every Pareto-optimal point instead (a dynamic program over per-layer frontiers); only without other budgets.',
        false,
      ),
      maxPoints: doc(
        z.number().int().min(1).max(100000).default(10000),
        'Cap on the points of an `all` frontier (and on the supported points listed); an `all` frontier larger than this is a 422 saying so.',
        10000,
      ),
      evidence: EvidenceOptions.default({ lossDelta: 'isotonic', negativeTrace: 'refuse' }),
      robust: RobustOptions.optional(),
      interactions: InteractionOptions.default({ negative: 'cap' }),
      batchSize: doc(z.number().int().min(1).max(65536).default(1), 'Batch size the costs are stated for.', 1),
      solver: doc(
        z
          .strictObject({
            timeLimitMs: doc(z.number().int().min(1).max(600000).default(30000), 'Wall-clock limit of the whole frontier, shared by its points.', 30000),
            relativeGap: doc(z.number().min(0).max(1).default(0), 'Accepted relative gap of each budget point.', 0),
          })
          .default({ timeLimitMs: 30000, relativeGap: 0 }),
        'How to solve each budget point (always with the mckp backend).',
        { timeLimitMs: 30000, relativeGap: 0 },
      ),
    })
    .superRefine((request, ctx) => {
      if ((request.model === undefined) === (request.seed === undefined)) {
        ctx.addIssue({ code: 'custom', message: 'give exactly one of model (a ModelDescriptor) or seed (a name from GET /v1/seeds)' });
      }
      request.budgets.forEach((budget, k) => {
        if (budget.metric === request.axis) {
          ctx.addIssue({ code: 'custom', path: ['budgets', k, 'metric'], message: `${budget.metric} is the frontier's axis; budgets hold the other metrics` });
        }
      });
      if (request.all && request.budgets.length > 0) {
        ctx.addIssue({ code: 'custom', path: ['all'], message: 'all enumerates a single-axis frontier: remove the other budgets or set all to false' });
      }
    }),
  'A request for the Pareto frontier of total sensitivity against one cost metric.',
  { seed: 'resnet18-hawq-v3', axis: 'sizeBytes', points: 20 },
);
export type FrontierRequest = z.infer<typeof FrontierRequest>;

export const FrontierPoint = describes<core.FrontierPoint>()(component(
  'FrontierPoint',
  z.strictObject({
    cost: doc(z.number(), 'Total of the axis metric, in its unit.', 5.8e6),
    sensitivity: doc(z.number(), 'Total sensitivity of the assignment.', 3.1),
    status: doc(z.enum(['optimal', 'feasible']), 'optimal: proven optimal at this cost (within relativeGap); feasible: the frontier\'s time limit (or a search limit) stopped the proof of this point; gap says how far from proven.', 'optimal'),
    gap: doc(z.number(), 'Proven relative gap of this point.', 0),
    source: doc(
      z.enum(['supported', 'budget', 'pareto']),
      'supported: a vertex of the lower convex hull (its LP relaxation is integral); budget: the optimum at one of the evenly spaced budgets; pareto: from the exact enumeration of `all`.',
      'budget',
    ),
    assignment: doc(z.array(z.number().int()), 'One index into `candidates` per layer, in the order of `layers`.', [1, 0, 0, 1]),
  }),
  'One point of the frontier.',
  { cost: 5.8e6, sensitivity: 3.1, status: 'optimal', gap: 0, source: 'budget', assignment: [1, 0, 0, 1] },
));
export type FrontierPoint = z.infer<typeof FrontierPoint>;

export const BaselinePoint = component(
  'BaselinePoint',
  z.strictObject({
    candidate: doc(z.string(), 'Every unpinned layer at this candidate (pinned layers keep their pin).', 'int8/int8'),
    cost: doc(z.number(), 'Total of the axis metric.', 1.17e7),
    sensitivity: doc(z.number(), 'Total sensitivity.', 0.04),
    meetsBudgets: doc(z.boolean(), 'Whether it meets the other budgets of the request.', true),
  }),
  'A uniform baseline beside the frontier.',
  { candidate: 'int8/int8', cost: 1.17e7, sensitivity: 0.04, meetsBudgets: true },
);

export const Frontier = component(
  'Frontier',
  z.strictObject({
    axis: CostMetric,
    unit: doc(z.string(), 'Unit of the axis.', 'bytes'),
    layers: doc(z.array(z.string()), 'Layer names, the order of every assignment.', ['conv1', 'conv2']),
    candidates: doc(z.array(z.string()), 'Candidate ids that assignments index.', ['int4/int4', 'int8/int8']),
    points: doc(z.array(FrontierPoint), 'Non-dominated points ordered by cost (sensitivity strictly falls as cost rises).', []),
    knee: doc(
      z.number().int().nullable(),
      'Index in points of the knee: the point farthest below the chord from the cheapest to the most expensive point (both axes normalized); null with fewer than three points.',
      7,
    ),
    baselines: doc(z.array(BaselinePoint), 'Uniform assignments, one per candidate every unpinned layer allows.', []),
    supportedPoints: doc(z.number().int(), 'How many vertices the lower convex hull has (all exact); at most maxPoints of them are listed.', 42),
    solver: doc(
      z.strictObject({
        timeMs: doc(z.number(), 'Wall time of the whole frontier in milliseconds.', 120),
        solves: doc(z.number().int(), 'Axis budgets solved (points, fewer when the time limit stopped the sweep; 0 for `all`).', 50),
      }),
      'Effort.',
      { timeMs: 120, solves: 50 },
    ),
    target: PlannedTarget.optional().meta({ description: 'With target in the request: the runtime, its checkpoint and the fusion groups every point ties.' }),
    warnings: doc(z.array(z.string()), 'Estimates and assumptions the frontier rests on.', []),
  }),
  'The Pareto frontier of total sensitivity against one cost metric, other budgets held.',
  {
    axis: 'sizeBytes',
    unit: 'bytes',
    layers: ['conv1', 'conv2'],
    candidates: ['int4/int4', 'int8/int8'],
    points: [{ cost: 5.8e6, sensitivity: 3.1, status: 'optimal', gap: 0, source: 'supported', assignment: [1, 0] }],
    knee: null,
    baselines: [],
    supportedPoints: 1,
    solver: { timeMs: 120, solves: 50 },
    warnings: [],
  },
);
export type Frontier = z.infer<typeof Frontier>;

