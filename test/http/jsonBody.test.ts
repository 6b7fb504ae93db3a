import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Plan } from '../../src/contract/plan.js';
import { INLINE_JSON_BYTES } from '../../src/service/intake.js';
import { startApp } from '../support/app.js';

const layer = (i: number, extra: object = {}) => ({
  name: `block${i}.linear`,
  params: 4096 * (1 + (i % 7)),
  macs: 4096 * (1 + (i % 5)),
  sensitivity: { hessianTrace: 1 / (1 + i), perturbation: { int4: 2 + (i % 3), int8: 0.01 } },
  ...extra,
});
const request = (layers: object[]) => ({ model: { name: 'big', layers }, candidates: ['int4/int4', 'int8/int8'], budgets: [{ metric: 'sizeBytes', fraction: 0.5 }] });

describe('request bodies', () => {
  let app: FastifyInstance;
  let http: Awaited<ReturnType<typeof startApp>>['http'];
  beforeAll(async () => ({ app, http } = await startApp()));
  afterAll(() => app.close());

  it('plans a body larger than INLINE_JSON_BYTES, parsed and admitted on a solver thread', async () => {
    const body = request(Array.from({ length: 2000 }, (_, i) => layer(i)));
    expect(JSON.stringify(body).length).toBeGreaterThan(INLINE_JSON_BYTES);
    const plan = Plan.parse((await http.post('/v1/plans').send(body).expect(200)).body);
    expect(plan.status).toBe('optimal');
    expect(plan.layers).toHaveLength(2000);
  });

  it('answers a large invalid body from the solver thread: 400 with paths, 404 for an unknown seed', async () => {
    const layers = Array.from({ length: 2000 }, (_, i) => layer(i, i === 1500 ? { params: -1 } : {}));
    const invalid = await http.post('/v1/plans').send(request(layers)).expect(400);
    expect(invalid.body.errors).toEqual([{ path: 'model.layers[1500].params', message: expect.stringMatching(/>=0/) }]);
    expect(invalid.body.errorsTotal).toBe(1);
    // A large body naming a seed that does not exist: the thread answers 404 like the event loop would.
    const sources = Object.fromEntries(Array.from({ length: 80 }, (_, i) => [`figure${i}`, 'x'.repeat(4000)]));
    const hardware = { id: 'big-sources', name: 'chip', memoryBandwidthGBps: 1, peakTeraOpsPerSecond: { int8: 1 }, nativeFormats: ['int8'], defaultCandidates: ['int8/int8'], sources };
    const unknown = await http.post('/v1/plans').send({ seed: 'no-such-seed', hardware }).expect(404);
    expect(unknown.body.type).toBe('/problems/not-found');
  });

  it('refuses a million empty layers with a small 413 before parsing them', async () => {
    const raw = `{"model":{"name":"m","layers":[${'{},'.repeat(999_999)}{}]},"seed":"x"}`;
    const response = await http.post('/v1/plans').set('content-type', 'application/json').send(raw).expect(413);
    expect(response.body.detail).toBe('"layers" has 1000000 entries; this service takes at most MAX_LAYERS=100000');
    expect(response.text.length).toBeLessThan(1000);
    await http.get('/healthz').expect(200);
  });

  it('refuses a compressed body with 415', async () => {
    const response = await http.post('/v1/plans').set('content-type', 'application/json').set('content-encoding', 'gzip').send('{}').expect(415);
    expect(response.body.detail).toMatch(/Content-Encoding: gzip is not supported/);
  });

  it('refuses numbers that would overflow a cost, naming the field (never NaN)', async () => {
    const huge = await http.post('/v1/plans').send(request([layer(0, { macs: 1e308 })])).expect(400);
    expect(huge.body.errors[0]).toMatchObject({ path: 'model.layers[0].macs' });
    const trace = await http.post('/v1/plans').send(request([layer(0, { sensitivity: { hessianTrace: 1e308, perturbation: { int4: 10, int8: 1 } } })])).expect(400);
    expect(trace.body.errors[0]).toMatchObject({ path: 'model.layers[0].sensitivity', message: expect.stringMatching(/Infinity, too large to add up/) });
    expect(JSON.stringify(trace.body)).not.toMatch(/null|NaN/);
  });
});

describe('a solve that needs more memory than a solver thread has', () => {
  it('fails alone with 422 too-large-to-solve; the service answers the next request', async () => {
    const { app, http } = await startApp({ config: { SOLVER_THREADS: 1, SOLVER_THREAD_MEMORY_MB: 96 } });
    try {
      const response = await http.post('/v1/plans').send({ seed: 'deepseek-v3', candidates: ['int4-g128/fp16', 'int8/int8'], budgets: [{ metric: 'sizeBytes', fraction: 0.5 }] }).expect(422);
      expect(response.body.type).toBe('/problems/too-large-to-solve');
      expect(response.body.detail).toMatch(/SOLVER_THREAD_MEMORY_MB=96/);
      await http.post('/v1/plans').send({ seed: 'resnet18-hawq-v3', budgets: [{ metric: 'sizeBytes', fraction: 0.5 }] }).expect(200);
    } finally {
      await app.close();
    }
  });
});
