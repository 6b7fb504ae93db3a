import type { FastifyInstance } from 'fastify';
import { frontierTask } from '../../service/task.js';
import type { RouteContext } from '../app.js';
import { negotiate } from '../negotiate.js';

export function frontierRoutes(app: FastifyInstance, { seeds, pool, config }: RouteContext): void {
  app.post<{ Querystring: { format?: string } }>('/v1/frontiers', async (request, reply) => {
    const representation = negotiate(request.headers.accept, request.query.format, { 'application/json': 'json', 'text/csv': 'csv', 'image/svg+xml': 'svg' } as const);
    const { task, timeLimitMs, heavy } = frontierTask(request.body, representation, config, seeds);
    const result = await pool.run(task, timeLimitMs, heavy);
    return reply.type(result.contentType).send(result.body);
  });
}
