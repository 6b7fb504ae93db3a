import { Frontier, FrontierRequest } from '../../contract/frontier.js';
import { FrontierQuery } from '../../contract/parameters.js';
import { frontierCsv } from '../../service/render/csv.js';
import { frontierSvg } from '../../service/render/svg.js';
import { frontierTask } from '../../service/task.js';
import { sendAnswer } from '../answer.js';
import { unlessClientGone } from '../clientGone.js';
import { negotiate } from '../negotiate.js';
import { parseParameters, type RouteSpec } from './route.js';

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

/** A small frontier as the service answers it, for the examples of the CSV and SVG answers. */
const SAMPLE: Frontier = {
  axis: 'sizeBytes',
  unit: 'bytes',
  layers: ['conv1', 'conv2', 'fc'],
  candidates: ['int4/int4', 'int8/int8'],
  points: [
    { cost: 3.1e6, sensitivity: 2.4, status: 'optimal', gap: 0, source: 'supported', assignment: [0, 0, 0] },
    { cost: 3.6e6, sensitivity: 0.9, status: 'optimal', gap: 0, source: 'supported', assignment: [1, 0, 0] },
    { cost: 4.4e6, sensitivity: 0.35, status: 'optimal', gap: 0, source: 'budget', assignment: [1, 1, 0] },
    { cost: 6.2e6, sensitivity: 0.12, status: 'optimal', gap: 0, source: 'supported', assignment: [1, 1, 1] },
  ],
  knee: 2,
  baselines: [
    { candidate: 'int4/int4', cost: 3.1e6, sensitivity: 2.4, meetsBudgets: true },
    { candidate: 'int8/int8', cost: 6.2e6, sensitivity: 0.12, meetsBudgets: true },
  ],
  supportedPoints: 3,
  solver: { timeMs: 3.2, solves: 4 },
  warnings: [],
};

const FRONTIER_BY_ACCEPT = { 'application/json': 'json', 'text/csv': 'csv', 'image/svg+xml': 'svg' } as const;

export const frontierRoutes: RouteSpec[] = [
  {
    method: 'POST',
    url: '/v1/frontiers',
    operationId: 'createFrontier',
    tag: 'plans',
    summary: 'The Pareto frontier of sensitivity against one cost',
    description:
      'Exact supported points (the lower convex hull) merged with the exact optimum at `points` evenly spaced budgets of the axis metric, other budgets held; or every Pareto-optimal point with `all`. Each point is verified like a plan; dominated points are dropped. Answers JSON, CSV (Accept: text/csv) or an SVG chart (Accept: image/svg+xml); `?format=json|csv|svg` overrides Accept, handy in a browser.',
    query: FrontierQuery,
    body: { schema: FrontierRequest, examples: FRONTIER_EXAMPLES },
    ok: {
      description: 'The frontier.',
      content: {
        'application/json': { schema: Frontier },
        'text/csv': { schema: { type: 'string', description: 'One row per point and baseline.' }, example: frontierCsv(SAMPLE) },
        'image/svg+xml': { schema: { type: 'string', description: 'A chart of the frontier, the baselines and the knee.' }, example: frontierSvg(SAMPLE, 'tiny: total sensitivity against model size') },
      },
    },
    problems: ['invalid-request', 'not-found', 'not-acceptable', 'payload-too-large', 'unsupported-media-type', 'infeasible', 'frontier-too-large', 'too-large-to-solve', 'overloaded'],
    handler: ({ seeds, runner, config }) => async (request, reply) => {
      const { format } = parseParameters(FrontierQuery, request.query);
      const representation = format ?? negotiate(request.headers.accept, FRONTIER_BY_ACCEPT);
      const { task, timeLimitMs, heavy } = frontierTask(request.body, representation, config, seeds);
      const started = performance.now();
      return unlessClientGone(reply, (signal) => runner.run(task, timeLimitMs, heavy, signal), (result) => sendAnswer(reply, result, started));
    },
  },
];
