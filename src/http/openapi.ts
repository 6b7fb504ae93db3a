import { z } from 'zod';
import { contractRegistry } from '../contract/doc.js';
// Importing the contract registers every component schema.
import '../contract/catalog.js';
import '../contract/frontier.js';
import '../contract/hardware.js';
import '../contract/plan.js';
import '../contract/request.js';
import { PROBLEM_KINDS, type ProblemKind } from './problems.js';
import { SERVICE_VERSION } from './version.js';

const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });
const json = (id: string) => ({ 'application/json': { schema: ref(id) } });

function problemResponses(...kinds: ProblemKind[]) {
  return Object.fromEntries(
    kinds.map((kind) => [
      String(PROBLEM_KINDS[kind].status),
      {
        description: `${PROBLEM_KINDS[kind].title}: ${PROBLEM_KINDS[kind].about}`,
        content: { 'application/problem+json': { schema: ref('ProblemDetails') } },
      },
    ]),
  );
}

function componentSchemas(): Record<string, unknown> {
  const { schemas } = z.toJSONSchema(contractRegistry, {
    target: 'openapi-3.0',
    io: 'input',
    uri: (id) => `#/components/schemas/${id}`,
  }) as { schemas: Record<string, Record<string, unknown>> };
  return Object.fromEntries(
    Object.entries(schemas).map(([id, schema]) => {
      const { $schema: _s, $id: _i, ...rest } = schema;
      return [id, rest];
    }),
  );
}

const PLAN_EXAMPLES = {
  'resnet18-size-half': {
    summary: 'ResNet18 (HAWQ-V3 seed) at half the int4-to-int8 size range',
    value: { seed: 'resnet18-hawq-v3', budgets: [{ metric: 'sizeBytes', fraction: 0.5 }] },
  },
  'resnet18-bops-quarter': {
    summary: 'ResNet18 at a quarter of the BOPs range (HAWQ-V3 bops_0.25)',
    value: { seed: 'resnet18-hawq-v3', budgets: [{ metric: 'bops', fraction: 0.25 }] },
  },
  'resnet50-two-budgets': {
    summary: 'ResNet50 under a size and a latency budget at once',
    value: {
      seed: 'resnet50-hawq-v3',
      budgets: [
        { metric: 'sizeBytes', fraction: 0.5 },
        { metric: 'latencyMs', fraction: 0.5 },
      ],
    },
  },
  'inline-model': {
    summary: 'An inline two-layer model with an absolute size budget',
    value: {
      model: {
        name: 'tiny',
        layers: [
          { name: 'conv1', params: 9408, macs: 118013952, pin: 'int8/int8' },
          { name: 'conv2', params: 36864, macs: 115605504, sensitivity: { hessianTrace: 0.0686, perturbation: { int4: 6.743, int8: 0.0235 } } },
          { name: 'fc', params: 512000, macs: 512000, sensitivity: { hessianTrace: 0.0012, perturbation: { int4: 9.1, int8: 0.031 } } },
        ],
      },
      candidates: ['int4/int4', 'int8/int8'],
      budgets: [{ metric: 'sizeBytes', max: 300000 }],
    },
  },
};

const FRONTIER_EXAMPLES = {
  'resnet18-size': {
    summary: 'ResNet18 (HAWQ-V3 seed): sensitivity against model size, 20 budgets',
    value: { seed: 'resnet18-hawq-v3', axis: 'sizeBytes', points: 20 },
  },
  'llama-2-7b-h100': {
    summary: 'Llama-2-7B on an H100: sensitivity against size, every Pareto point',
    value: { seed: 'llama-2-7b', hardware: 'nvidia-h100', axis: 'sizeBytes', all: true },
  },
  'resnet50-latency-under-size': {
    summary: 'ResNet50: sensitivity against T4 latency with the size held to half its range',
    value: { seed: 'resnet50-hawq-v3', axis: 'latencyMs', budgets: [{ metric: 'sizeBytes', fraction: 0.5 }], points: 30 },
  },
};

/** The OpenAPI 3.0 document, generated from the same zod schemas that validate requests. */
export function buildOpenApiDocument() {
  return {
    openapi: '3.0.3',
    info: {
      title: 'bitplan',
      version: SERVICE_VERSION,
      description:
        'Mixed-precision bit-allocation planner. Send a model\'s layers with sensitivity scores and budgets; get the optimal format for every layer (the integer program of HAWQ-V3 and Hubara et al.), verified against every budget. Try POST /v1/plans with the example "resnet18-size-half".',
    },
    tags: [
      { name: 'plans', description: 'Solve for the optimal format per layer.' },
      { name: 'catalog', description: 'Formats, hardware profiles and seed models.' },
      { name: 'service', description: 'Health and the API document.' },
    ],
    paths: {
      '/v1/plans': {
        post: {
          tags: ['plans'],
          operationId: 'createPlan',
          summary: 'Plan the format of every layer',
          description:
            'Minimizes total sensitivity under every budget (or a cost under a sensitivity bound). Give exactly one of model and seed. The answer is verified before it is sent: one allowed candidate per layer, ties and pins hold, every budget holds.',
          parameters: [
            {
              name: 'format',
              in: 'query',
              required: false,
              description:
                'json (the Plan, default); hawq: a bit_config.py entry for HAWQ quant_train.py; modelopt: a ModelOpt MIXED_PRECISION hf_quant_config.json; llama-cpp: llama-quantize --tensor-type overrides; csv: one row per layer. A layer the toolkit cannot express is a 400 naming it.',
              schema: { type: 'string', enum: ['json', 'hawq', 'modelopt', 'llama-cpp', 'csv'], example: 'hawq' },
              example: 'json',
            },
          ],
          requestBody: { required: true, content: { 'application/json': { schema: ref('PlanRequest'), examples: PLAN_EXAMPLES } } },
          responses: {
            '200': {
              description: 'The plan, or its export with ?format=.',
              content: {
                'application/json': { schema: ref('Plan') },
                'text/x-python': { schema: { type: 'string', description: 'format=hawq: bit_config_dict["bit_config_<model>_bitplan"] = {module: bits}.', example: 'bit_config_dict["bit_config_resnet18_bitplan"] = {"quant_init_block_convbn": 8}' } },
                'text/plain': { schema: { type: 'string', description: 'format=llama-cpp: one --tensor-type flag per GGUF tensor.', example: "--tensor-type '^blk\\.0\\.attn_q\\.weight$=q4_0'" } },
                'text/csv': { schema: { type: 'string', description: 'format=csv: one row per layer.', example: 'layer,candidate,weight,activation,pinned,sensitivity,sensitivitySource,sizeBytes' } },
              },
            },
            ...problemResponses('invalid-request', 'not-found', 'payload-too-large', 'unsupported-media-type', 'infeasible', 'internal'),
          },
        },
      },
      '/v1/frontiers': {
        post: {
          tags: ['plans'],
          operationId: 'createFrontier',
          summary: 'The Pareto frontier of sensitivity against one cost',
          description:
            'Exact supported points (the lower convex hull) merged with the exact optimum at `points` evenly spaced budgets of the axis metric, other budgets held; or every Pareto-optimal point with `all`. Each point is verified like a plan; dominated points are dropped. Answers JSON, CSV (Accept: text/csv) or an SVG chart (Accept: image/svg+xml); `?format=json|csv|svg` overrides Accept, handy in a browser.',
          parameters: [
            { name: 'format', in: 'query', required: false, description: 'json, csv or svg; overrides the Accept header.', schema: { type: 'string', enum: ['json', 'csv', 'svg'], example: 'svg' }, example: 'svg' },
          ],
          requestBody: { required: true, content: { 'application/json': { schema: ref('FrontierRequest'), examples: FRONTIER_EXAMPLES } } },
          responses: {
            '200': {
              description: 'The frontier.',
              content: {
                'application/json': { schema: ref('Frontier') },
                'text/csv': { schema: { type: 'string', description: 'One row per point and baseline.', example: 'kind,cost,sensitivity,status,gap,source,knee,candidate,assignment' } },
                'image/svg+xml': { schema: { type: 'string', format: 'binary', description: 'A chart of the frontier, the baselines and the knee.', example: '<svg xmlns="http://www.w3.org/2000/svg">...</svg>' } },
              },
            },
            ...problemResponses('invalid-request', 'not-found', 'not-acceptable', 'payload-too-large', 'unsupported-media-type', 'infeasible', 'frontier-too-large', 'internal'),
          },
        },
      },
      '/v1/formats': {
        get: {
          tags: ['catalog'],
          operationId: 'listFormats',
          summary: 'Numeric formats and their cost per element',
          responses: { '200': { description: 'Every built-in format.', content: json('FormatList') } },
        },
      },
      '/v1/hardware': {
        get: {
          tags: ['catalog'],
          operationId: 'listHardware',
          summary: 'Built-in hardware profiles',
          responses: { '200': { description: 'Every built-in profile.', content: json('HardwareList') } },
        },
      },
      '/v1/hardware/{id}': {
        get: {
          tags: ['catalog'],
          operationId: 'getHardware',
          summary: 'One hardware profile',
          parameters: [{ name: 'id', in: 'path', required: true, description: 'Profile id.', schema: { type: 'string', example: 'nvidia-t4' }, example: 'nvidia-t4' }],
          responses: { '200': { description: 'The profile.', content: json('HardwareProfile') }, ...problemResponses('not-found') },
        },
      },
      '/v1/seeds': {
        get: {
          tags: ['catalog'],
          operationId: 'listSeeds',
          summary: 'Built-in seed models',
          responses: { '200': { description: 'Every seed, without its layers.', content: json('SeedList') } },
        },
      },
      '/v1/seeds/{name}': {
        get: {
          tags: ['catalog'],
          operationId: 'getSeed',
          summary: 'One seed model with its descriptor',
          parameters: [{ name: 'name', in: 'path', required: true, description: 'Seed name.', schema: { type: 'string', example: 'resnet18-hawq-v3' }, example: 'resnet18-hawq-v3' }],
          responses: { '200': { description: 'The seed.', content: json('Seed') }, ...problemResponses('not-found') },
        },
      },
      '/healthz': {
        get: {
          tags: ['service'],
          operationId: 'health',
          summary: 'Liveness',
          responses: { '200': { description: 'The service is up.', content: json('Health') } },
        },
      },
    },
    components: { schemas: componentSchemas() },
  };
}
