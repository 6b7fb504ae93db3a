import { Health, ProblemType } from '../../contract/catalog.js';
import { ProblemSlugParams } from '../../contract/parameters.js';
import { httpProblem, PROBLEM_KINDS, type ProblemKind } from '../problems.js';
import { serviceError } from '../../service/errors.js';
import { SERVICE_VERSION } from '../version.js';
import { parseParameters, type RouteSpec } from './route.js';

export const serviceRoutes: RouteSpec[] = [
  {
    method: 'GET',
    url: '/healthz',
    operationId: 'health',
    tag: 'service',
    summary: 'Liveness',
    ok: { description: 'The service is up.', content: { 'application/json': { schema: Health } } },
    problems: [],
    handler: ({ runner }) => async () => ({ status: 'ok', version: SERVICE_VERSION, solves: runner.load() }),
  },
  {
    method: 'GET',
    url: '/readyz',
    operationId: 'readiness',
    tag: 'service',
    summary: 'Readiness',
    description: 'Ready once every solver thread has made its start-up plans (SOLVER_WARM_UP), so that the first large request is as fast as the rest; 503 until then. For an orchestrator\'s readiness probe; /healthz is liveness.',
    ok: { description: 'The solver threads are warm.', content: { 'application/json': { schema: Health } } },
    problems: ['overloaded'],
    handler: ({ runner }) => async () => {
      if (!runner.ready()) throw serviceError('BITPLAN_ERR_WARMING_UP');
      return { status: 'ok', version: SERVICE_VERSION, solves: runner.load() };
    },
  },
  {
    method: 'GET',
    url: '/openapi.json',
    operationId: 'openApiDocument',
    tag: 'service',
    summary: 'This API described (OpenAPI 3.0)',
    ok: { description: 'The OpenAPI document.', content: { 'application/json': { schema: { type: 'object', description: 'An OpenAPI 3.0.3 document.' } } } },
    problems: [],
    handler: ({ openApiDocument }) => async () => openApiDocument,
  },
  {
    method: 'GET',
    url: '/problems/:slug',
    operationId: 'getProblemType',
    tag: 'service',
    summary: 'What a problem type means',
    description: 'Every problem answer carries `type: /problems/<slug>`; this is what it resolves to.',
    params: ProblemSlugParams,
    ok: { description: 'The kind of problem.', content: { 'application/json': { schema: ProblemType } } },
    problems: ['not-found'],
    handler: () => async (request) => {
      const { slug } = parseParameters(ProblemSlugParams, request.params);
      if (!Object.hasOwn(PROBLEM_KINDS, slug)) throw httpProblem('BITPLAN_ERR_UNKNOWN_PROBLEM', [slug.slice(0, 64), Object.keys(PROBLEM_KINDS).join(', ')]);
      return { type: `/problems/${slug}`, ...PROBLEM_KINDS[slug as ProblemKind] };
    },
  },
];
