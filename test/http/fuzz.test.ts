import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../support/app.js';

// Hostile and malformed requests: every answer must be a 2xx or a 4xx problem+json, never a 5xx,
// and the service must stay healthy. Requests go through app.inject (no sockets).
const valid = {
  model: {
    name: 'fuzz',
    layers: [
      { name: 'a', params: 100, macs: 1000, sensitivity: { hessianTrace: 0.1, perturbation: { int4: 2, int8: 0.01 } }, candidates: ['int4/int4', 'int8/int8'] },
      { name: 'b', params: 200, macs: 500, sensitivity: { lossDelta: { 'int4/int4': 0.3, 'int8/int8': 0.01 } }, latencyMs: { 'int4/int4': 1, 'int8/int8': 2 } },
      { name: 'c', params: 50, macs: 50, pin: 'int8/int8' },
    ],
    groups: [['a', 'b']],
  },
  candidates: ['int4/int4', 'int8/int8'],
  budgets: [{ metric: 'sizeBytes', fraction: 0.5 }],
  solver: { timeLimitMs: 2000 },
};

/** Paths into the valid request, to overwrite with hostile values. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [prefix];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return [prefix, ...entries.flatMap(([k, v]) => paths(v, [...prefix, k]))];
}
const ALL_PATHS = paths(valid).filter((p) => p.length > 0);

function setPath(root: unknown, path: (string | number)[], value: unknown): unknown {
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path.at(-1)!] = value;
  return copy;
}

const hostileValue = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.constantFrom(-1, 0, 1e308, -1e308, 2 ** 53 + 1, 1e-320, '', 'NaN', 'Infinity', '__proto__', 'constructor', null, [], {}, true),
  fc.string({ maxLength: 40 }),
  fc.array(fc.constantFrom('a', 'b', 'c', 'zz'), { maxLength: 5 }),
);

describe('fuzzing the API', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildApp({ config: { BODY_LIMIT_BYTES: 4 * 1024 * 1024 } });
    await app.ready();
  });
  afterAll(() => app.close());

  async function post(url: string, payload: string | object, contentType = 'application/json') {
    const response = await app.inject({ method: 'POST', url, payload: typeof payload === 'string' ? payload : JSON.stringify(payload), headers: { 'content-type': contentType } });
    expect(response.statusCode, response.body.slice(0, 300)).toBeLessThan(500);
    if (response.statusCode >= 400) {
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      const problem = JSON.parse(response.body);
      expect(problem.status).toBe(response.statusCode);
      expect(typeof problem.detail).toBe('string');
    }
    return response;
  }

  it('answers a mutated request with a plan or a 4xx problem, never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ALL_PATHS), hostileValue, async (path, value) => {
        await post('/v1/plans', setPath(valid, path, value) as object);
      }),
      { seed: 42, numRuns: 400 },
    );
  });

  it('answers the same for frontiers', async () => {
    const frontier = { ...valid, axis: 'bops', points: 5 };
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...paths(frontier).filter((p) => p.length > 0)), hostileValue, async (path, value) => {
        await post('/v1/frontiers', setPath(frontier, path, value) as object);
      }),
      { seed: 43, numRuns: 200 },
    );
  });

  it('answers any JSON value as a body with a 4xx problem', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 6 }), async (value) => {
        const response = await post('/v1/plans', JSON.stringify(value));
        expect(response.statusCode).toBeGreaterThanOrEqual(400);
      }),
      { seed: 44, numRuns: 200 },
    );
  });

  it.each([
    ['NaN and Infinity tokens', '{"model":{"name":"m","layers":[{"name":"a","params":NaN,"macs":Infinity}]}}'],
    ['a number that overflows to Infinity', '{"model":{"name":"m","layers":[{"name":"a","params":1,"macs":1e400}]},"candidates":["int4/int4"]}'],
    ['a truncated body', '{"seed":"resnet18-hawq-v3","budgets":[{"metric":'],
    ['an empty body', ''],
    ['deeply nested arrays', `${'['.repeat(100_000)}${']'.repeat(100_000)}`],
    ['deeply nested objects', `${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}`],
    ['a prototype-polluting key', '{"__proto__":{"polluted":true},"seed":"resnet18-hawq-v3"}'],
  ])('answers %s with a 4xx problem', async (_what, raw) => {
    const response = await post('/v1/plans', raw);
    expect(response.statusCode).toBeGreaterThanOrEqual(400);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('plans cyclic groups (a-b, b-c, c-a tie all three) and refuses contradictory ones', async () => {
    const layers = ['a', 'b', 'c'].map((name) => ({ name, params: 10, macs: 10, sensitivity: { lossDelta: { 'int4/int4': 1, 'int8/int8': 0 } } }));
    const cyclic = await post('/v1/plans', { model: { name: 'm', layers, groups: [['a', 'b'], ['b', 'c'], ['c', 'a']] }, candidates: ['int4/int4', 'int8/int8'], budgets: [{ metric: 'sizeBytes', fraction: 0.5 }] });
    expect(cyclic.statusCode).toBe(200);
    expect(new Set(JSON.parse(cyclic.body).layers.map((l: { candidate: string }) => l.candidate)).size).toBe(1);
    const pinned = layers.map((l, i) => ({ ...l, pin: i === 0 ? 'int4/int4' : 'int8/int8' }));
    const contradictory = await post('/v1/plans', { model: { name: 'm', layers: pinned, groups: [['a', 'b', 'c']] } });
    expect(contradictory.statusCode).toBe(400);
    expect(contradictory.body).toMatch(/no candidate in common/);
  });

  it('answers a huge request of garbage layers with a small 400: 1000 fields counted, each kind of mistake said once', async () => {
    const layers = Array.from({ length: 20_000 }, (_, i) => ({ name: i % 3 ? `l${i}` : 7, params: -i, macs: 'many' }));
    const response = await post('/v1/plans', { model: { name: 'm', layers } });
    expect(response.statusCode).toBe(400);
    const problem = JSON.parse(response.body);
    // Three kinds of mistake, each said once with how many fields share it.
    expect(problem.errors).toHaveLength(3);
    expect(problem.errors.every((e: { message: string }) => /\(the same at \d+ more: /.test(e.message))).toBe(true);
    expect(problem.errorsTotal).toBe(1000);
    expect(problem.detail).toMatch(/^at least 1000 fields are invalid \(validation stops there\) \(3 distinct problems\); first: model\.layers\[0\]\.name: /);
    expect(response.body.length).toBeLessThan(20_000);
  });

  it('stays healthy afterwards', async () => {
    const health = await app.inject({ method: 'GET', url: '/healthz' });
    expect(health.statusCode).toBe(200);
    const plan = await post('/v1/plans', valid);
    expect(plan.statusCode).toBe(200);
  });
});
