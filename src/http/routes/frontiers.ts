import type { FastifyInstance } from 'fastify';
import { FrontierRequest } from '../../contract/frontier.js';
import type { RouteContext } from '../app.js';
import { checkLimits } from '../limits.js';
import { negotiate } from '../negotiate.js';
import { checkNames, isHeavy } from '../resolve.js';
import { parseOrThrow } from '../validate.js';

export function frontierRoutes(app: FastifyInstance, { seeds, pool, config }: RouteContext): void {
  app.post<{ Querystring: { format?: string } }>('/v1/frontiers', async (request, reply) => {
    const representation = negotiate(request.headers.accept, request.query.format, { 'application/json': 'json', 'text/csv': 'csv', 'image/svg+xml': 'svg' } as const);
    const body = parseOrThrow(FrontierRequest, request.body);
    checkLimits(body, config);
    checkNames(body, seeds);
    const timeLimitMs = Math.min(body.solver.timeLimitMs, config.SOLVE_TIME_CEILING_MS);
    const task = { kind: 'frontier' as const, request: { ...body, solver: { ...body.solver, timeLimitMs } }, representation };
    const result = await pool.run(task, timeLimitMs, isHeavy(body, seeds));
    return reply.type(result.contentType).send(result.body);
  });
}
