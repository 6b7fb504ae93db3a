import type { FastifyInstance } from 'fastify';
import { FrontierRequest } from '../../contract/frontier.js';
import { makeFrontier } from '../../core/index.js';
import type { SeedStore } from '../../seeds/store.js';
import { negotiate } from '../negotiate.js';
import { frontierCsv } from '../render/csv.js';
import { frontierSvg } from '../render/svg.js';
import { resolveModelAndHardware } from '../resolve.js';
import { parseOrThrow } from '../validate.js';

export function frontierRoutes(app: FastifyInstance, seeds: SeedStore): void {
  app.post<{ Querystring: { format?: string } }>('/v1/frontiers', async (request, reply) => {
    const representation = negotiate(request.headers.accept, request.query.format, { 'application/json': 'json', 'text/csv': 'csv', 'image/svg+xml': 'svg' } as const);
    const body = parseOrThrow(FrontierRequest, request.body);
    const { model, modelPath, hardware } = resolveModelAndHardware(body, seeds);
    const frontier = makeFrontier(
      {
        model,
        modelPath,
        hardware,
        candidates: body.candidates,
        allowEmulated: body.allowEmulated,
        axis: body.axis,
        budgets: body.budgets,
        points: body.points,
        all: body.all,
        maxPoints: body.maxPoints,
        batchSize: body.batchSize,
        solver: body.solver,
      },
      { now: () => performance.now() },
    );
    if (representation === 'csv') return reply.type('text/csv; charset=utf-8').send(frontierCsv(frontier));
    if (representation === 'svg') {
      const title = `${model.name}: total sensitivity against ${body.axis}${hardware ? ` on ${hardware.id}` : ''}`;
      return reply.type('image/svg+xml; charset=utf-8').send(frontierSvg(frontier, title));
    }
    return frontier;
  });
}
