import { Plan } from '../../contract/plan.js';
import { PlanQuery } from '../../contract/parameters.js';
import { PlanRequest } from '../../contract/request.js';
import { planTask } from '../../service/task.js';
import { sendAnswer } from '../answer.js';
import { unlessClientGone } from '../clientGone.js';
import { negotiate } from '../negotiate.js';
import { parseParameters, type RouteSpec } from './route.js';

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
    value: { seed: 'resnet50-hawq-v3', budgets: [{ metric: 'sizeBytes', fraction: 0.5 }, { metric: 'latencyMs', fraction: 0.5 }] },
  },
  'inline-model': {
    summary: 'An inline three-layer model with an absolute size budget',
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

/** Representations a plan has by Accept (the toolkit exports only by ?format=). */
const PLAN_BY_ACCEPT = { 'application/json': 'json', 'text/csv': 'csv' } as const;

export const planRoutes: RouteSpec[] = [
  {
    method: 'POST',
    url: '/v1/plans',
    operationId: 'createPlan',
    tag: 'plans',
    summary: 'Plan the format of every layer',
    description:
      'Minimizes total sensitivity under every budget (or a cost under a sensitivity bound). Give exactly one of model and seed. The answer is verified before it is sent: one allowed candidate per layer, ties and pins hold, every budget holds. JSON by default, CSV with Accept: text/csv; ?format= overrides Accept and also offers the toolkit exports.',
    query: PlanQuery,
    body: { schema: PlanRequest, examples: PLAN_EXAMPLES },
    ok: {
      description: 'The plan, or its export with ?format=.',
      content: {
        'application/json': { schema: Plan },
        'text/x-python': { schema: { type: 'string', description: 'format=hawq: bit_config_dict["bit_config_<model>_bitplan"] = {module: bits}.' }, example: 'bit_config_dict["bit_config_resnet18_bitplan"] = {\n    "quant_init_block_convbn": 8,\n}\n' },
        'text/plain': { schema: { type: 'string', description: 'format=llama-cpp: a llama-quantize --tensor-type-file, one pattern=type line per GGUF tensor; the Bitplan-Usage header says how to run it.' }, example: '^blk\\.0\\.attn_q\\.weight$=q4_0\n^blk\\.0\\.attn_k\\.weight$=q8_0\n' },
        'application/yaml': { schema: { type: 'string', description: 'format=llm-compressor: an llm-compressor recipe (QuantizationModifier with one config group per scheme, exact re: targets).' }, example: 'quant_stage:\n  quant_modifiers:\n    QuantizationModifier:\n      config_groups:\n        group_0:\n          targets:\n            - re:model\\.layers\\.[0-9]+\\.mlp\\.down_proj$\n' },
        'text/csv': { schema: { type: 'string', description: 'format=csv or Accept: text/csv: one row per layer.' }, example: 'layer,candidate,weight,activation,pinned,sensitivity,sensitivitySource,sizeBytes\nconv1,int8/int8,int8,int8,true,0,none (pinned),9408\n' },
      },
    },
    problems: ['invalid-request', 'not-found', 'not-acceptable', 'payload-too-large', 'unsupported-media-type', 'infeasible', 'budgets-decide-nothing', 'no-solution-in-time', 'not-exportable', 'too-large-to-solve', 'overloaded'],
    handler: ({ seeds, runner, config }) => async (request, reply) => {
      const { format: asked } = parseParameters(PlanQuery, request.query);
      const format = asked ?? negotiate(request.headers.accept, PLAN_BY_ACCEPT);
      const { task, timeLimitMs, heavy } = planTask(request.body, format, config, seeds);
      const started = performance.now();
      return unlessClientGone(reply, (signal) => runner.run(task, timeLimitMs, heavy, signal), (result) => sendAnswer(reply, result, started));
    },
  },
];
