import type { FastifyInstance } from 'fastify';
import { PLAN_EXPORTS, type PlanExport } from '../../core/index.js';
import { planTask } from '../../service/task.js';
import type { RouteContext } from '../app.js';
import { invalidRequest } from '../problems.js';

export function planRoutes(app: FastifyInstance, { seeds, pool, config }: RouteContext): void {
  app.post<{ Querystring: { format?: string } }>('/v1/plans', async (request, reply) => {
    const format = request.query.format ?? 'json';
    if (!(PLAN_EXPORTS as readonly string[]).includes(format)) {
      throw invalidRequest([{ path: 'format', message: `unknown format "${format.slice(0, 40)}"; expected one of ${PLAN_EXPORTS.join(', ')}` }]);
    }
    const { task, timeLimitMs, heavy } = planTask(request.body, format as PlanExport, config, seeds);
    const result = await pool.run(task, timeLimitMs, heavy);
    if (result.usage) reply.header('bitplan-usage', result.usage);
    return reply.type(result.contentType).send(result.body);
  });
}
