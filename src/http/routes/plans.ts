import type { FastifyInstance } from 'fastify';
import { PlanRequest } from '../../contract/request.js';
import { PLAN_EXPORTS, type PlanExport } from '../../core/index.js';
import type { RouteContext } from '../app.js';
import { invalidRequest } from '../problems.js';
import { checkLimits } from '../limits.js';
import { checkNames, isHeavy } from '../resolve.js';
import { parseOrThrow } from '../validate.js';

export function planRoutes(app: FastifyInstance, { seeds, pool, config }: RouteContext): void {
  app.post<{ Querystring: { format?: string } }>('/v1/plans', async (request, reply) => {
    const format = request.query.format ?? 'json';
    if (!(PLAN_EXPORTS as readonly string[]).includes(format)) {
      throw invalidRequest([{ path: 'format', message: `unknown format "${format}"; expected one of ${PLAN_EXPORTS.join(', ')}` }]);
    }
    const body = parseOrThrow(PlanRequest, request.body);
    checkLimits(body, config);
    checkNames(body, seeds);
    // The server-wide ceiling caps every solve's own limit.
    const timeLimitMs = Math.min(body.solver.timeLimitMs, config.SOLVE_TIME_CEILING_MS);
    const task = { kind: 'plan' as const, request: { ...body, solver: { ...body.solver, timeLimitMs } }, format: format as PlanExport };
    const result = await pool.run(task, timeLimitMs, isHeavy(body, seeds));
    return reply.type(result.contentType).send(result.body);
  });
}
