import type { FastifyInstance } from 'fastify';
import { PROBLEM_KINDS, HttpProblem, type ProblemKind } from '../problems.js';
import type { SolverPool } from '../../worker/pool.js';
import { SERVICE_VERSION } from '../version.js';

export function serviceRoutes(app: FastifyInstance, openApiDocument: object, pool: SolverPool): void {
  app.get('/healthz', async () => ({ status: 'ok', version: SERVICE_VERSION, solves: pool.load() }));
  app.get('/openapi.json', async () => openApiDocument);
  // Problem `type` URIs resolve here, so a client can look up what a problem means.
  app.get<{ Params: { slug: string } }>('/problems/:slug', async (request) => {
    const slug = request.params.slug;
    if (!Object.hasOwn(PROBLEM_KINDS, slug)) throw new HttpProblem('not-found', `no problem type "${request.params.slug}"; known: ${Object.keys(PROBLEM_KINDS).join(', ')}`);
    return { type: `/problems/${slug}`, ...PROBLEM_KINDS[slug as ProblemKind] };
  });
}
