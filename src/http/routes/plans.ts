import type { FastifyInstance } from 'fastify';
import { PlanRequest } from '../../contract/request.js';
import { makePlan } from '../../core/index.js';
import type { SeedStore } from '../../seeds/store.js';
import { resolveModelAndHardware } from '../resolve.js';
import { parseOrThrow } from '../validate.js';

export function planRoutes(app: FastifyInstance, seeds: SeedStore): void {
  app.post('/v1/plans', async (request) => {
    const body = parseOrThrow(PlanRequest, request.body);
    const { model, modelPath, hardware } = resolveModelAndHardware(body, seeds);
    return makePlan(
      {
        model,
        modelPath,
        hardware,
        candidates: body.candidates,
        budgets: body.budgets,
        objective: body.objective,
        batchSize: body.batchSize,
        allowEmulated: body.allowEmulated,
        solver: body.solver,
      },
      { now: () => performance.now() },
    );
  });
}
