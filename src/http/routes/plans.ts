import type { FastifyInstance } from 'fastify';
import { PlanRequest } from '../../contract/request.js';
import { findHardware, makePlan } from '../../core/index.js';
import type { SeedStore } from '../../seeds/store.js';
import { HttpProblem } from '../problems.js';
import { parseOrThrow } from '../validate.js';

export function planRoutes(app: FastifyInstance, seeds: SeedStore): void {
  app.post('/v1/plans', async (request) => {
    const body = parseOrThrow(PlanRequest, request.body);
    let model = body.model;
    if (body.seed !== undefined) {
      const seed = seeds.find(body.seed);
      if (!seed) throw new HttpProblem('not-found', `no seed named "${body.seed}"; GET /v1/seeds lists them (${seeds.names().join(', ')})`);
      model = seed.model;
    }
    let hardware = typeof body.hardware === 'object' ? body.hardware : undefined;
    if (typeof body.hardware === 'string') {
      hardware = findHardware(body.hardware);
      if (!hardware) throw new HttpProblem('not-found', `no hardware profile "${body.hardware}"; GET /v1/hardware lists them, or pass an inline HardwareProfile`);
    }
    return makePlan(
      {
        model: model!,
        modelPath: body.seed !== undefined ? `seed(${body.seed})` : 'model',
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
