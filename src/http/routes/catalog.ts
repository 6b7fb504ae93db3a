import type { FastifyInstance } from 'fastify';
import { BUILT_IN_FORMATS, BUILT_IN_HARDWARE, effectiveBits, findHardware } from '../../core/index.js';
import type { SeedStore } from '../../service/seedStore.js';
import { HttpProblem } from '../problems.js';

export function catalogRoutes(app: FastifyInstance, seeds: SeedStore): void {
  app.get('/v1/formats', async () => ({
    formats: BUILT_IN_FORMATS.map((format) => ({ ...format, effectiveBits: effectiveBits(format) })),
    customMinifloats: 'eXmY, e.g. e3m4: 1 sign, X exponent (1-8), Y mantissa (0-23) bits, bias 2^(X-1)-1, no Inf or NaN encodings (the OCP MX FP6/FP4 convention)',
  }));

  app.get('/v1/hardware', async () => ({ hardware: BUILT_IN_HARDWARE }));

  app.get<{ Params: { id: string } }>('/v1/hardware/:id', async (request) => {
    const profile = findHardware(request.params.id);
    if (!profile) {
      throw new HttpProblem('not-found', `no hardware profile "${request.params.id}"; known: ${BUILT_IN_HARDWARE.map((p) => p.id).join(', ')}`);
    }
    return profile;
  });

  app.get('/v1/seeds', async () => ({
    seeds: seeds.names().map((name) => seeds.find(name)!).map((seed) => ({
      name: seed.name,
      description: seed.description,
      layers: seed.model.layers.length,
      params: seed.model.layers.reduce((sum, layer) => sum + layer.params, 0),
      macs: seed.model.layers.reduce((sum, layer) => sum + layer.macs, 0),
      provenance: seed.provenance,
    })),
  }));

  app.get<{ Params: { name: string } }>('/v1/seeds/:name', async (request) => {
    const seed = seeds.find(request.params.name);
    if (!seed) {
      throw new HttpProblem('not-found', `no seed named "${request.params.name}"; known: ${seeds.names().join(', ')}`);
    }
    return seed;
  });
}
