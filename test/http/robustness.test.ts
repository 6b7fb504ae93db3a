import { get as httpGet, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync, gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../../src/config.js';
import { randomPlanInput } from '../support/randomFamily.js';
import { Plan } from '../../src/contract/plan.js';
import { startApp } from '../support/app.js';

// A long solve: the DeepSeek-V3 seed (45,034 layers) takes seconds to prepare and solve, a
// time limit or not.
const longSolve = (timeLimitMs: number) => ({
  seed: 'deepseek-v3',
  candidates: ['int2-g128/fp16', 'int3-g128/fp16', 'int4-g128/fp16', 'fp8-e4m3/fp8-e4m3', 'int8/int8'],
  budgets: [{ metric: 'sizeBytes', fraction: 0.3 }, { metric: 'bops', fraction: 0.35 }],
  solver: { timeLimitMs },
});
const tiny = {
  model: { name: 'm', layers: [{ name: 'a', params: 10, macs: 10, sensitivity: { lossDelta: { 'int4/int4': 1, 'int8/int8': 0 } } }] },
  candidates: ['int4/int4', 'int8/int8'],
};

describe('solves run off the event loop', () => {
  let app: FastifyInstance;
  let http: Awaited<ReturnType<typeof startApp>>['http'];
  beforeAll(async () => ({ app, http } = await startApp({ config: { SOLVER_THREADS: 1, MAX_QUEUE: 1 } })));
  afterAll(() => app.close());

  it('answers /healthz while a long solve runs, and refuses a request beyond the queue with 503 and Retry-After', async () => {
    const running = http.post('/v1/plans').send(longSolve(2500)).then((r) => r);
    // Wait until the solve occupies the only thread.
    for (let i = 0; i < 200; i++) {
      const health = await http.get('/healthz').expect(200);
      if (health.body.solves.running === 1) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const during = await http.get('/healthz').expect(200);
    expect(during.body.solves).toEqual({ running: 1, waiting: 0 });
    const queued = http.post('/v1/plans').send(tiny).then((r) => r);
    for (let i = 0; i < 100 && (await http.get('/healthz')).body.solves.waiting === 0; i++) await new Promise((r) => setTimeout(r, 10));
    const refused = await http.post('/v1/plans').send(tiny).expect(503);
    expect(refused.headers['retry-after']).toBe('2');
    expect(refused.body.type).toBe('/problems/overloaded');
    expect(refused.body.detail).toMatch(/MAX_QUEUE/);
    const long = await running;
    expect(long.status).toBe(200);
    expect(['optimal', 'feasible']).toContain(long.body.status);
    expect((await queued).status).toBe(200);
  });
});

describe('limits and ceilings', () => {
  let app: FastifyInstance;
  let http: Awaited<ReturnType<typeof startApp>>['http'];
  beforeAll(
    async () =>
      ({ app, http } = await startApp({
        config: { MAX_LAYERS: 3, MAX_CANDIDATES_PER_LAYER: 2, MAX_BUDGETS: 1, MAX_FRONTIER_POINTS: 10, CORS_ORIGINS: ['https://nb.example.org'] },
      })),
  );
  afterAll(() => app.close());

  it('answers 413 naming MAX_LAYERS and 400 naming the other limits', async () => {
    const layers = Array.from({ length: 4 }, (_, i) => ({ name: `l${i}`, params: 1, macs: 1, pin: 'int8/int8' }));
    const big = await http.post('/v1/plans').send({ model: { name: 'm', layers } }).expect(413);
    expect(big.body.detail).toBe('"layers" has 4 entries; this service takes at most MAX_LAYERS=3');
    const many = await http
      .post('/v1/plans')
      .send({ ...tiny, candidates: ['int2/int2', 'int4/int4', 'int8/int8'], budgets: [{ metric: 'bops', fraction: 1 }, { metric: 'sizeBytes', fraction: 1 }] })
      .expect(400);
    const messages = many.body.errors.map((e: { message: string }) => e.message).join('\n');
    expect(messages).toMatch(/MAX_CANDIDATES_PER_LAYER=2/);
    expect(messages).toMatch(/MAX_BUDGETS=1/);
    const points = await http.post('/v1/frontiers').send({ ...tiny, axis: 'bops', points: 11 }).expect(400);
    expect(points.body.errors[0]).toMatchObject({ path: 'points' });
  });


  it('sends CORS headers to the configured origins only, and security headers to all', async () => {
    const preflight = await http.options('/v1/plans').set('origin', 'https://nb.example.org').set('access-control-request-method', 'POST').expect(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('https://nb.example.org');
    const other = await http.get('/healthz').set('origin', 'https://evil.example.com').expect(200);
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    expect(other.headers['x-content-type-options']).toBe('nosniff');
    expect(other.headers['x-frame-options']).toBe('DENY');
    expect(other.headers['content-security-policy']).toMatch(/default-src 'none'/);
    // The Swagger UI page and its files: scripts from this origin only, never framed.
    for (const path of ['/docs/', '/docs/static/swagger-initializer.js']) {
      const docs = await http.get(path).expect(200);
      expect(docs.headers['content-security-policy'], path).toMatch(/^default-src 'none'; script-src 'self'; .*frame-ancestors 'none'/);
      expect(docs.headers['content-security-policy']).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline/);
    }
  });

  it('listens on the loopback unless HOST says otherwise (the Docker image sets 0.0.0.0)', () => {
    expect(readConfig({}).HOST).toBe('127.0.0.1');
    expect(readFileSync(new URL('../../Dockerfile', import.meta.url), 'utf8')).toMatch(/^ENV .*HOST=0\.0\.0\.0/m);
  });
});

describe('the server-wide ceiling', () => {
  it('caps every solve at SOLVE_TIME_CEILING_MS', async () => {
    const { app, http } = await startApp({ config: { SOLVE_TIME_CEILING_MS: 150 } });
    try {
      // Asking for ten minutes, it stops at the ceiling with the best plan found and its gap. A
      // model that is hard to prove but quick to prepare and write (300 layers, three budgets,
      // proven in about 8 s): the overrun watchdog's grace covers what comes after the solver
      // even on a loaded machine, where DeepSeek-V3's 45,034 layers did not always fit in it.
      const { model, budgets } = randomPlanInput(300, 3, 0);
      const plan = Plan.parse((await http.post('/v1/plans').send({ model, budgets, solver: { timeLimitMs: 600_000, relativeGap: 0 } }).expect(200)).body);
      expect(plan.status).toBe('feasible');
      expect(plan.gap).toBeGreaterThan(0);
    } finally {
      await app.close();
    }
  });
});

describe('configuration', () => {
  it('rejects a bad variable at start-up, naming it', () => {
    expect(() => readConfig({ PORT: 'eighty' })).toThrow(/PORT="eighty"/);
    expect(() => readConfig({ SOLVER_THREADS: '0' })).toThrow(/SOLVER_THREADS="0"/);
    expect(() => readConfig({ CORS_ORIGINS: 'not a url' })).toThrow(/CORS_ORIGINS/);
    expect(readConfig({ CORS_ORIGINS: 'https://a.example, http://localhost:8888' }).CORS_ORIGINS).toEqual(['https://a.example', 'http://localhost:8888']);
    expect(readConfig({}).PORT).toBe(8080);
  });

  it('names a bad API_TOKENS without echoing the secrets into the log (issue #27.6)', () => {
    const secret = 'a-real-secret-token-0123456789';
    let message = '';
    try {
      readConfig({ API_TOKENS: `${secret},short` });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/API_TOKENS=\(2 tokens, 1 of them too short or with invisible characters; values not shown\)/);
    expect(message).not.toContain(secret);
    expect(message).not.toContain('short"');
  });
});

describe('compression', () => {
  let app: FastifyInstance;
  let http: Awaited<ReturnType<typeof startApp>>['http'];
  beforeAll(async () => ({ app, http } = await startApp()));
  afterAll(() => app.close());

  it('compresses a large answer for a client that accepts gzip, and only then', async () => {
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    // node:http, which (unlike fetch and supertest) leaves the body as it came.
    const raw = (path: string, encoding: string) =>
      new Promise<{ headers: IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
        httpGet({ host: '127.0.0.1', port, path, headers: { 'accept-encoding': encoding } }, (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => resolve({ headers: response.headers, body: Buffer.concat(chunks) }));
        }).on('error', reject);
      });
    const zipped = await raw('/v1/seeds/llama-2-70b', 'gzip');
    const plain = await raw('/v1/seeds/llama-2-70b', 'identity');
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(zipped.body.length).toBeLessThan(plain.body.length / 3);
    expect(gunzipSync(zipped.body).equals(plain.body)).toBe(true);
    // Small answers go as they are.
    const small = await raw('/healthz', 'gzip');
    expect(small.headers['content-encoding']).toBeUndefined();
  });

  it('still refuses a compressed request body with 415', async () => {
    const refused = await http.post('/v1/plans').set('content-type', 'application/json').set('content-encoding', 'gzip').send(gzipSync('{"seed":"resnet18-hawq-v3"}')).expect(415);
    expect(refused.body.type).toBe('/problems/unsupported-media-type');
  });
});
