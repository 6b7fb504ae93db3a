import { z } from 'zod';
import { COST_METRICS } from '../core/costs/metric.js';
import { SOLVER_BACKENDS } from '../core/solvers/backend.js';
import { component, describes, doc, name, nonNegative } from './doc.js';
import type * as core from '../core/index.js';
import { HardwareProfile } from './hardware.js';
import { ModelDescriptor } from './model.js';
import { Target } from './target.js';

export const CostMetric = component(
  'CostMetric',
  z.enum(COST_METRICS),
  'A cost metric, per layer and candidate, summed over layers. sizeBytes = params x (element bits + scale bits per element) / 8 (int4-g128 = 4.125 bits, mxfp4 = 4.25, nvfp4 = 4.5). avgBits = total bits / total params. bops = MACs x weight element bits x activation element bits (per sample). latencyMs = the layer\'s measured table entry, else the hardware roofline at batchSize: max(2 x MACs x batch / peak(compute format), (params x weight bits / 8 + batch x activationElements x activation bits / 8) / bandwidth), where the compute format is what the pair runs in on that chip (the wider of the two when native, e.g. int4/int8 on int8 tensor cores). energyJ = MACs x batch x pJ per MAC(compute format) + bytes moved x pJ per DRAM byte, x 1e-12 (the profile\'s energy model; built-in profiles use Horowitz, ISSCC 2014, 45 nm). macLuts (FPGA profiles) = macUnits x (multiplier LUTs = product of significand widths + accumulator width: b_w + b_a + ceil(log2 n) + 1 for integers, 2^e_w + m_w + 2^e_a + m_a + ceil(log2 n) - 1 with a minifloat), after Aggarwal et al., arXiv:2311.12359.',
  'sizeBytes',
);

/**
 * A fraction out of 0..1 is most often an absolute limit given as a fraction (avgBits: 4 meaning
 * 4 bits): the message gives the absolute form with the metric and value given.
 */
export function fractionHint(metric: string, value: number): string {
  return `a fraction is relative, from 0 (the cheapest plan) to 1 (the most expensive); for an absolute limit of ${value} give max instead: {"metric": "${metric}", "max": ${value}} (CLI: --budget ${metric}<=${value})`;
}

export const Budget = describes<core.Budget>()(component(
  'Budget',
  z
    .strictObject({
      metric: CostMetric,
      max: doc(nonNegative().optional(), 'Absolute limit in the unit of the metric. Give max or fraction, not both.', 6.5e6),
      fraction: doc(
        // The range is checked below, where the metric is known for the hint; the schema still says 0..1.
        z.number().meta({ minimum: 0, maximum: 1 }).optional(),
        'Relative limit: cheapest + fraction x (most expensive - cheapest) over the allowed candidates, as HAWQ-V3 states its limits.',
        0.5,
      ),
    })
    .superRefine((budget, ctx) => {
      if (budget.fraction !== undefined && !(budget.fraction >= 0 && budget.fraction <= 1)) {
        ctx.addIssue({ code: 'custom', path: ['fraction'], message: fractionHint(budget.metric, budget.fraction) });
      }
      if ((budget.max === undefined) === (budget.fraction === undefined)) {
        ctx.addIssue({ code: 'custom', message: 'give exactly one of max (absolute) or fraction (0..1, relative)' });
      }
    }),
  'An upper limit on one cost metric of the whole plan.',
  { metric: 'sizeBytes', fraction: 0.5 },
));
export type Budget = z.infer<typeof Budget>;

export const Objective = describes<core.Objective>()(component(
  'Objective',
  z
    .strictObject({
      minimize: doc(
        z.enum(['sensitivity', ...COST_METRICS]),
        'What to minimize: total sensitivity (the default), or a cost metric under maxSensitivity.',
        'sensitivity',
      ),
      maxSensitivity: doc(
        nonNegative().optional(),
        'Upper bound on total sensitivity; required when minimizing a cost metric, not allowed otherwise.',
        0.5,
      ),
    })
    .superRefine((objective, ctx) => {
      const needsBound = objective.minimize !== 'sensitivity';
      if (needsBound !== (objective.maxSensitivity !== undefined)) {
        ctx.addIssue({
          code: 'custom',
          path: ['maxSensitivity'],
          message: needsBound
            ? `minimizing ${objective.minimize} needs maxSensitivity, the largest total sensitivity you accept`
            : 'maxSensitivity applies only when minimizing a cost metric; remove it or set minimize to a metric',
        });
      }
    }),
  'The objective: minimize total sensitivity under the budgets, or minimize one cost under a sensitivity bound.',
  { minimize: 'sensitivity' },
));
export type Objective = z.infer<typeof Objective>;

export const SolverOptions = describes<core.SolverOptions>()(component(
  'SolverOptions',
  z.strictObject({
    backend: doc(
      z.enum(SOLVER_BACKENDS).default('auto'),
      'Solver backend. auto (the default) picks mckp, bitplan\'s own exact multiple-choice knapsack solver (Lagrangian bound, greedy primal, core dynamic program); lp-solver is javascript-lp-solver on the binary program (rows scaled to order one), kept as the reference formulation and practical only for small models.',
      'auto',
    ),
    timeLimitMs: doc(
      z.number().int().min(1).max(600000).default(10000),
      'Wall-clock limit of the solve in milliseconds.',
      10000,
    ),
    relativeGap: doc(
      z.number().min(0).max(1).default(0),
      'Accepted relative gap between the answer and the proven bound; 0 asks for a proven optimum (to 1e-12). A larger gap answers sooner on very large models.',
      0,
    ),
  }),
  'How to solve.',
  { backend: 'auto', timeLimitMs: 10000, relativeGap: 0 },
));
export type SolverOptions = z.infer<typeof SolverOptions>;

export const EvidenceOptions = component(
  'EvidenceOptions',
  z.strictObject({
    lossDelta: doc(
      z.enum(['isotonic', 'raw']).default('isotonic'),
      'Measured loss changes that grow with precision (a wider format of the same family measured worse) or lie below 0 are noise: isotonic (default) projects each layer\'s onto the nearest values that never grow with precision and are at least 0, weighted by 1/lossDeltaStdErr^2; raw keeps them as sent. Either way the plan warns.',
      'isotonic',
    ),
    negativeTrace: doc(
      z.enum(['refuse', 'zero']).default('refuse'),
      'A hessianTrace below 0 by more than 3 standard errors (an indefinite Hessian: a model away from a minimum) is a 400 (refuse, default), or is planned as 0 with a warning naming the layers (zero). Traces within 3 standard errors of 0 are always taken as 0. Measured loss changes (lossDelta) do not have this problem.',
      'refuse',
    ),
  }),
  'How measured evidence is treated before planning.',
  { lossDelta: 'isotonic', negativeTrace: 'refuse' },
);

export const RobustOptions = component(
  'RobustOptions',
  z.strictObject({
    z: doc(
      z.number().min(0).max(10),
      'Standard errors added to every measured value that has one (hessianTraceStdErr, lossDeltaStdErr) before planning: the plan is made on the pessimistic side of the evidence, so that noise cannot buy a format. 1 is a common choice; 0 plans on the values as measured.',
      1,
    ),
  }),
  'Plan on value + z x standard error.',
  { z: 1 },
);

export const InteractionOptions = component(
  'InteractionOptions',
  z.strictObject({
    negative: doc(
      z.enum(['keep', 'clip', 'cap']).default('cap'),
      'What a negative interaction term (a pair measured to hurt less together than apart) may do: keep it as measured; clip it to 0; or cap it (default) so that a pair never costs less than the worse of its two layers alone, t >= -min(s_a, s_b). An exact optimizer bets on every negative term, and measured ones are mostly noise: on a digits CNN, plans keeping them left budget unused and lost 0.2-0.4 test-accuracy points against capping (docs/evidence.md in the bitplan repository, "Pairwise interactions, measured").',
      'cap',
    ),
  }),
  'How model.interactions are used.',
  { negative: 'cap' },
);

export const PlanRequest = component(
  'PlanRequest',
  z
    .strictObject({
      model: ModelDescriptor.optional(),
      seed: doc(name().optional(), 'Name of a built-in seed model (GET /v1/seeds) to plan instead of model.', 'resnet18-hawq-v3'),
      hardware: doc(
        z.union([name(), HardwareProfile]).optional(),
        'A built-in hardware id (GET /v1/hardware) or an inline HardwareProfile. Optional: without it every format is allowed.',
        'nvidia-t4',
      ),
      target: Target.optional(),
      candidates: doc(
        z.array(name()).min(1).optional(),
        'Candidates `<weight format>/<activation format>` (or aliases like w4a8) every layer may take, intersected with each layer\'s own list. Default: the hardware profile\'s default candidates, else each layer\'s list.',
        ['int4/int4', 'int8/int8'],
      ),
      allowEmulated: doc(
        z.boolean().default(false),
        'Allow candidates the hardware cannot run natively; they are costed in the fastest native format that holds both operands, and the plan warns. Default false: such a candidate is a 400.',
        false,
      ),
      budgets: doc(z.array(Budget).max(64).default([]), 'Upper limits the plan must meet, all at once.', [
        { metric: 'sizeBytes', fraction: 0.5 },
      ]),
      objective: Objective.default({ minimize: 'sensitivity' }),
      evidence: EvidenceOptions.default({ lossDelta: 'isotonic', negativeTrace: 'refuse' }),
      robust: RobustOptions.optional(),
      interactions: InteractionOptions.default({ negative: 'cap' }),
      alternatives: doc(
        z.number().int().min(1).max(20).default(1),
        'How many of the best distinct plans to return (1-20): the plan is the best, and `alternatives` lists it with the next best, ordered by predicted objective, each exact (the k-th best is proven when status is optimal). Measure a few and keep the best.',
        5,
      ),
      batchSize: doc(z.number().int().min(1).max(65536).default(1), 'Batch size the costs are stated for.', 8),
      solver: SolverOptions.default({ backend: 'auto', timeLimitMs: 10000, relativeGap: 0 }),
    })
    .superRefine((request, ctx) => {
      if ((request.model === undefined) === (request.seed === undefined)) {
        ctx.addIssue({ code: 'custom', message: 'give exactly one of model (a ModelDescriptor) or seed (a name from GET /v1/seeds)' });
      }
    }),
  'A request for the optimal format of every layer.',
  {
    seed: 'resnet18-hawq-v3',
    candidates: ['int4/int4', 'int8/int8'],
    budgets: [{ metric: 'sizeBytes', fraction: 0.5 }],
    objective: { minimize: 'sensitivity' },
    solver: { backend: 'auto', timeLimitMs: 10000, relativeGap: 0 },
  },
);
export type PlanRequest = z.infer<typeof PlanRequest>;
