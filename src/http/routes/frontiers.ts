import type { FastifyInstance } from 'fastify';
import { FrontierRequest } from '../../contract/frontier.js';
import type { RouteContext } from '../app.js';
import { checkLimits } from '../limits.js';
import { negotiate } from '../negotiate.js';
import { frontierCsv } from '../render/csv.js';
import { frontierSvg } from '../render/svg.js';
import { checkNames } from '../resolve.js';
import { parseOrThrow } from '../validate.js';

export function frontierRoutes(app: FastifyInstance, { seeds, pool, config }: RouteContext): void {
  app.post<{ Querystring: { format?: string } }>('/v1/frontiers', async (request, reply) => {
    const representation = negotiate(request.headers.accept, request.query.format, { 'application/json': 'json', 'text/csv': 'csv', 'image/svg+xml': 'svg' } as const);
    const body = parseOrThrow(FrontierRequest, request.body);
    checkLimits(body, config);
    checkNames(body, seeds);
    const timeLimitMs = Math.min(body.solver.timeLimitMs, config.SOLVE_TIME_CEILING_MS);
    const result = await pool.run({ kind: 'frontier', request: { ...body, solver: { ...body.solver, timeLimitMs } } }, timeLimitMs);
    if (result.kind !== 'frontier') throw new Error('solver thread answered a frontier request with a plan');
    const { frontier } = result;
    if (representation === 'csv') return reply.type('text/csv; charset=utf-8').send(frontierCsv(frontier));
    if (representation === 'svg') {
      const title = `${result.modelName}: total sensitivity against ${body.axis}${result.hardwareId ? ` on ${result.hardwareId}` : ''}`;
      return reply.type('image/svg+xml; charset=utf-8').send(frontierSvg(frontier, title));
    }
    return frontier;
  });
}
