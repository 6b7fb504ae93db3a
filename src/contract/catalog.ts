import { z } from 'zod';
import { component, describes, doc } from './doc.js';
import type * as core from '../core/index.js';
import { ModelDescriptor } from './model.js';

export const NumericFormatInfo = describes<core.NumericFormat & { effectiveBits: number }>()(component(
  'NumericFormat',
  z.strictObject({
    id: doc(z.string(), 'Format id used in candidates.', 'int4-g128'),
    kind: doc(z.enum(['integer', 'float']), 'Integer or floating point elements.', 'integer'),
    elementBits: doc(z.number(), 'Bits of one stored element before any shared scale.', 4),
    exponentBits: doc(z.number().nullable(), 'Exponent bits of a floating-point element (null for integers).', null),
    mantissaBits: doc(z.number().nullable(), 'Mantissa bits of a floating-point element (null for integers).', null),
    blockSize: doc(z.number().nullable(), 'Elements sharing one scale (null: per tensor, overhead not counted).', 128),
    scaleFormat: doc(z.string().nullable(), 'Format of the shared scale.', 'fp16'),
    scaleBitsPerElement: doc(z.number(), 'Scale bits amortised over each element (scale bits / block size).', 0.125),
    effectiveBits: doc(z.number(), 'elementBits + scaleBitsPerElement: what one element costs in memory.', 4.125),
    largestFinite: doc(z.number(), 'Largest finite element magnitude before scaling.', 7),
    description: doc(z.string(), 'What the format is.', '4-bit symmetric integer with one fp16 scale per 128 elements'),
    source: doc(z.string(), 'Public source of the figures (specification, paper or implementation, with its URL).', 'group-wise weights with one fp16 scale per group, the GPTQ/AWQ layout without its zero points (AutoGPTQ qlinear, https://github.com/AutoGPTQ/AutoGPTQ): b + 16/g bits, 4.125 for int4-g128'),
  }),
  'A numeric format and what it costs per element.',
  {
    id: 'int4-g128',
    kind: 'integer',
    elementBits: 4,
    exponentBits: null,
    mantissaBits: null,
    blockSize: 128,
    scaleFormat: 'fp16',
    scaleBitsPerElement: 0.125,
    effectiveBits: 4.125,
    largestFinite: 7,
    description: '4-bit symmetric integer with one fp16 scale per 128 elements',
    source: 'group-wise weights with one fp16 scale per group, the GPTQ/AWQ layout without its zero points (AutoGPTQ qlinear, https://github.com/AutoGPTQ/AutoGPTQ): b + 16/g bits, 4.125 for int4-g128',
  },
));

export const FormatList = component(
  'FormatList',
  z.strictObject({
    formats: doc(z.array(NumericFormatInfo), 'The built-in formats.', []),
    customMinifloats: doc(
      z.string(),
      'How to name a custom minifloat that is not in the list.',
      'eXmY, e.g. e3m4: 1 sign, X exponent, Y mantissa bits, bias 2^(X-1)-1, no Inf or NaN',
    ),
  }),
  'Every built-in numeric format.',
  { formats: [], customMinifloats: 'eXmY' },
);

export const SeedProvenance = describes<core.SeedProvenance>()(component(
  'SeedProvenance',
  z.strictObject({
    source: doc(z.string(), 'Where the figures come from.', 'HAWQ-V3 public repository (MIT license)'),
    synthetic: doc(z.boolean(), 'True when the sensitivities were made up by a stated rule, not measured.', false),
    notes: doc(z.string(), 'How the seed was built from the source.', 'first conv and last fc pinned to int8/int8'),
  }),
  'Where a seed model comes from.',
  { source: 'HAWQ-V3', synthetic: false, notes: '' },
));

export const SeedSummary = component(
  'SeedSummary',
  z.strictObject({
    name: doc(z.string(), 'Seed name, usable as `"seed": name` in a request.', 'resnet18-hawq-v3'),
    description: doc(z.string(), 'What the seed is.', 'ResNet18 with HAWQ-V3 Hessian traces'),
    layers: doc(z.number().int(), 'Number of layers.', 21),
    params: doc(z.number(), 'Total weight elements of the layers.', 11678912),
    macs: doc(z.number(), 'Total MACs of the layers per sample (per token for language models).', 1814073344),
    provenance: SeedProvenance,
  }),
  'A built-in seed model.',
  { name: 'resnet18-hawq-v3', description: 'ResNet18', layers: 21, params: 11678912, macs: 1814073344, provenance: { source: 'HAWQ-V3', synthetic: false, notes: '' } },
);

export const SeedList = component(
  'SeedList',
  z.strictObject({ seeds: doc(z.array(SeedSummary), 'The built-in seeds.', []) }),
  'Every built-in seed model.',
  { seeds: [] },
);

export const Seed = describes<core.Seed>()(component(
  'Seed',
  z.strictObject({
    name: doc(z.string(), 'Seed name.', 'resnet18-hawq-v3'),
    description: doc(z.string(), 'What the seed is.', 'ResNet18 with HAWQ-V3 Hessian traces'),
    provenance: SeedProvenance,
    model: ModelDescriptor,
  }),
  'A seed model with its descriptor.',
  {
    name: 'resnet18-hawq-v3',
    description: 'ResNet18',
    provenance: { source: 'HAWQ-V3', synthetic: false, notes: '' },
    model: { name: 'resnet18', layers: [{ name: 'conv1', params: 9408, macs: 118013952, pin: 'int8/int8' }] },
  },
));
export type Seed = z.infer<typeof Seed>;

export const Health = component(
  'Health',
  z.strictObject({
    status: doc(z.literal('ok'), 'Always ok when the service answers.', 'ok'),
    version: doc(z.string(), 'Service version.', '0.1.0'),
    solves: doc(
      z.strictObject({
        running: doc(z.number().int(), 'Solves running on the solver threads.', 1),
        waiting: doc(z.number().int(), 'Solves waiting for a thread.', 0),
      }),
      'Load of the solver threads.',
      { running: 1, waiting: 0 },
    ),
  }),
  'Liveness of the service; answered on the event loop, never behind a solve.',
  { status: 'ok', version: '0.1.0', solves: { running: 1, waiting: 0 } },
);

export const FieldError = component(
  'FieldError',
  z.strictObject({
    path: doc(z.string(), 'Path of the field in the request body.', 'budgets[0].fraction'),
    message: doc(z.string(), 'What is wrong with it and what is allowed.', 'a fraction is relative, from 0 (the cheapest plan) to 1 (the most expensive); for an absolute limit of 4 give max instead: {"metric": "avgBits", "max": 4} (CLI: --budget avgBits<=4)'),
  }),
  'One invalid field of a request.',
  { path: 'budgets[0].fraction', message: 'a fraction is relative, from 0 (the cheapest plan) to 1 (the most expensive); for an absolute limit of 4 give max instead: {"metric": "avgBits", "max": 4} (CLI: --budget avgBits<=4)' },
);

export const UnreachableBudget = component(
  'UnreachableBudget',
  z.strictObject({
    metric: doc(z.string(), 'The budgeted metric.', 'sizeBytes'),
    limit: doc(z.number(), 'The limit asked for.', 1e6),
    leastReachable: doc(z.number(), 'The least value any assignment reaches on this metric alone.', 5.8e6),
  }),
  'A budget of an infeasible request and the least value it could reach.',
  { metric: 'sizeBytes', limit: 1e6, leastReachable: 5.8e6 },
);

export const ProblemType = component(
  'ProblemType',
  z.strictObject({
    type: doc(z.string(), 'The type URI problems of this kind carry.', '/problems/infeasible'),
    status: doc(z.number().int(), 'HTTP status of this kind.', 422),
    title: doc(z.string(), 'Short summary of the kind.', 'Infeasible'),
    about: doc(z.string(), 'What it means and what to do.', 'No assignment meets every budget; budgets lists each limit and the least value it could reach.'),
    example: doc(z.string(), 'An example detail.', 'no assignment meets every budget: sizeBytes limit 1000000 is below the least reachable 6100160'),
  }),
  'A kind of problem: what a problem `type` means.',
  {
    type: '/problems/infeasible',
    status: 422,
    title: 'Infeasible',
    about: 'No assignment meets every budget; budgets lists each limit and the least value it could reach.',
    example: 'no assignment meets every budget: sizeBytes limit 1000000 is below the least reachable 6100160',
  },
);

export const ProblemDetails = component(
  'ProblemDetails',
  z.strictObject({
    type: doc(z.string(), 'A relative URI naming the kind of problem; GET it for what the kind means.', '/problems/invalid-request'),
    title: doc(z.string(), 'Short summary of the kind of problem.', 'Invalid request'),
    status: doc(z.number().int(), 'HTTP status code.', 400),
    detail: doc(z.string(), 'What went wrong in this request and what to do.', '2 fields are invalid'),
    instance: doc(z.string().optional(), 'The request path.', '/v1/plans'),
    requestId: doc(z.string().optional(), 'Request id, also in the x-request-id header and the logs.', 'req-1'),
    errors: doc(
      z.array(FieldError).optional(),
      'Each invalid field: its path in the request and what is wrong with it.',
      [{ path: 'budgets[0].fraction', message: 'a fraction is relative, from 0 (the cheapest plan) to 1 (the most expensive); for an absolute limit of 4 give max instead: {"metric": "avgBits", "max": 4} (CLI: --budget avgBits<=4)' }],
    ),
    errorsTotal: doc(
      z.number().int().optional(),
      'How many invalid fields were found; errors lists the first 100. Validation stops after 1000, so 1000 means at least that many.',
      1,
    ),
    budgets: doc(
      z.array(UnreachableBudget).optional(),
      'For infeasible: every budget, its limit and the least value any assignment could reach on it alone.',
      [{ metric: 'sizeBytes', limit: 1e6, leastReachable: 5.8e6 }],
    ),
  }),
  'An RFC 9457 problem details body (application/problem+json).',
  { type: '/problems/invalid-request', title: 'Invalid request', status: 400, detail: '1 field is invalid' },
);
export type ProblemDetails = z.infer<typeof ProblemDetails>;
