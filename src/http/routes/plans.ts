import type { FastifyInstance } from 'fastify';
import { PlanRequest } from '../../contract/request.js';
import type { RouteContext } from '../app.js';
import { checkLimits } from '../limits.js';
import { checkNames, isHeavy } from '../resolve.js';
import { parseOrThrow } from '../validate.js';

export function planRoutes(app: FastifyInstance, { seeds, pool, config }: RouteContext): void {
  app.post('/v1/plans', async (request, reply) => {
    const body = parseOrThrow(PlanRequest, request.body);
    checkLimits(body, config);
    checkNames(body, seeds);
    // The server-wide ceiling caps every solve's own limit.
    const timeLimitMs = Math.min(body.solver.timeLimitMs, config.SOLVE_TIME_CEILING_MS);
    const result = await pool.run({ kind: 'plan', request: { ...body, solver: { ...body.solver, timeLimitMs } } }, timeLimitMs, isHeavy(body, seeds));
    return reply.type(result.contentType).send(result.body);
  });
}
