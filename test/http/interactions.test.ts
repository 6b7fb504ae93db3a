import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProblemDetails } from '../../src/contract/catalog.js';
import { Frontier } from '../../src/contract/frontier.js';
import { Plan } from '../../src/contract/plan.js';
import { startApp } from '../support/app.js';

/**
 * Three equal layers, weight-only int2/int4/int8, a budget of 4 average bits. Alone, a and b are
 * the cheapest to drop to int2 (0.1 each, c at int8: 0.2); together they hurt far more (+0.5),
 * so with the interaction the plan takes int4 everywhere (0.24) instead.
 */
const lossDelta = (int2: number) => ({ int2, int4: 0.08, int8: 0 });
const layer = (name: string, int2: number) => ({ name, params: 1000, sensitivity: { lossDelta: lossDelta(int2) } });
const model = (interactions: unknown[] = []) => ({ name: 'm', layers: [layer('a', 0.1), layer('b', 0.1), layer('c', 0.3)], interactions });
const request = (extra: Record<string, unknown> = {}, interactions: unknown[] = [{ layers: ['a', 'b'], delta: { 'int2|int2': 0.5 } }]) => ({
  model: model(interactions),
  candidates: ['int2', 'int4', 'int8'],
  budgets: [{ metric: 'avgBits', max: 4 }],
  ...extra,
});
const chosen = (plan: { layers: { name: string; candidate: string }[] }) => Object.fromEntries(plan.layers.map((l) => [l.name, l.candidate]));

describe('interactions and alternatives over HTTP', () => {
  let app: FastifyInstance;
  let http: Awaited<ReturnType<typeof startApp>>['http'];
  beforeAll(async () => ({ app, http } = await startApp()));
  afterAll(() => app.close());

  const plan = async (body: unknown) => Plan.parse((await http.post('/v1/plans').send(body as object).expect(200)).body);
  const problem = async (body: unknown, url = '/v1/plans') => ProblemDetails.parse((await http.post(url).send(body as object).expect(400)).body);

  it('plans with the pair term, and reports the two parts of the predicted sensitivity', async () => {
    const additive = await plan(request({}, []));
    expect(chosen(additive)).toEqual({ a: 'int2', b: 'int2', c: 'int8' });
    expect(additive.sensitivityParts).toBeUndefined();
    expect(additive.objective.sensitivity).toBeCloseTo(0.2, 12);
    const paired = await plan(request());
    expect(chosen(paired)).toEqual({ a: 'int4', b: 'int4', c: 'int4' });
    expect(paired.sensitivityParts).toEqual({ layers: expect.closeTo(0.24, 12), interactions: 0 });
    expect(paired.objective.sensitivity).toBeCloseTo(0.24, 12);
    expect(paired.totals.sensitivity).toBeCloseTo(0.24, 12);
  });

  it('caps negative terms by default, clips or keeps them on request, and warns when a plan leans on unsupported ones', async () => {
    // A measured -0.3 for a and b at int2 together: kept, the pair looks almost free.
    const negative = [{ layers: ['a', 'b'], delta: { 'int2|int2': -0.3 } }];
    const kept = await plan(request({ interactions: { negative: 'keep' } }, negative));
    expect(chosen(kept)).toMatchObject({ a: 'int2', b: 'int2' });
    expect(kept.sensitivityParts!.interactions).toBeCloseTo(-0.3, 12);
    expect(kept.warnings).toContainEqual(expect.stringMatching(/relies on 1 negative interaction term \(together -0.300\).*measure this plan, or plan with interactions.negative "clip"/));
    const capped = await plan(request({}, negative));
    expect(capped.sensitivityParts!.interactions).toBeCloseTo(-0.1, 12); // -min(s_a, s_b) at int2
    const clipped = await plan(request({ interactions: { negative: 'clip' } }, negative));
    expect(clipped.sensitivityParts!.interactions).toBe(0);
    const supported = await plan(request({ interactions: { negative: 'keep' } }, [{ ...negative[0], stdErr: { 'int2|int2': 0.4 } }]));
    expect(supported.warnings.filter((w) => /negative interaction/.test(w))).toEqual([]);
  });

  it('adds robust.z standard errors to the terms', async () => {
    const body = request({ robust: { z: 2 } }, [{ layers: ['a', 'c'], delta: { 'int2|int2': 0.05 }, stdErr: { 'int2|int2': 0.1 } }]);
    const pinned = { ...body.model, layers: body.model.layers.map((l) => (l.name === 'b' ? l : { ...l, pin: 'int2' })) };
    const p = await plan({ ...body, model: pinned });
    expect(chosen(p)).toMatchObject({ a: 'int2', c: 'int2' });
    expect(p.sensitivityParts!.interactions).toBeCloseTo(0.25, 12);
  });

  it('names what is wrong in an interaction', async () => {
    const bad = await problem(request({}, [
      { layers: ['a', 'nope'], delta: {} },
      { layers: ['a', 'a'], delta: {} },
      { layers: ['b', 'c'], delta: { 'int2-int2': 1, 'int9|int2': 1 }, stdErr: { 'int4|int4': 0.1 } },
      { layers: ['c', 'b'], delta: {} },
    ]));
    expect(bad.errors).toEqual(expect.arrayContaining([
      { path: 'model.interactions[0].layers[1]', message: expect.stringMatching(/unknown layer "nope"/) },
      { path: 'model.interactions[1].layers', message: expect.stringMatching(/two different layers/) },
      { path: 'model.interactions[2].delta["int2-int2"]', message: expect.stringMatching(/is not "<candidate of b>\|<candidate of c>"/) },
      { path: 'model.interactions[2].delta["int9|int2"]', message: expect.any(String) },
      { path: 'model.interactions[2].stdErr["int4|int4"]', message: expect.stringMatching(/which delta does not give/) },
      { path: 'model.interactions[3].layers', message: expect.stringMatching(/already interact in interactions\[2\]/) },
    ]));
    const cost = await problem(request({ objective: { minimize: 'sizeBytes', maxSensitivity: 1 } }));
    expect(cost.errors![0]).toMatchObject({ path: 'objective.minimize', message: expect.stringMatching(/with model.interactions minimize sensitivity/) });
    const lp = await problem(request({ solver: { backend: 'lp-solver' } }));
    expect(lp.errors![0]).toMatchObject({ path: 'solver.backend', message: expect.stringMatching(/need the mckp backend/) });
  });

  it('answers the k best distinct plans, best first, the first being the plan', async () => {
    const p = await plan(request({ alternatives: 4 }));
    expect(p.status).toBe('optimal');
    expect(p.alternatives!.map((a) => a.rank)).toEqual([1, 2, 3, 4]);
    expect(chosen(p.alternatives![0]!)).toEqual(chosen(p));
    const objectives = p.alternatives!.map((a) => a.objective);
    expect([...objectives].sort((x, y) => x - y)).toEqual(objectives);
    expect(new Set(p.alternatives!.map((a) => JSON.stringify(chosen(a)))).size).toBe(4);
    for (const alternative of p.alternatives!) expect(alternative.totals.avgBits!).toBeLessThanOrEqual(4 + 1e-12);
    const lp = await problem({ ...request({}, []), alternatives: 3, solver: { backend: 'lp-solver' } });
    expect(lp.errors![0]).toMatchObject({ path: 'solver.backend', message: expect.stringMatching(/alternatives need the mckp backend/) });
    const tooMany = await problem(request({ alternatives: 21 }));
    expect(tooMany.errors![0]!.path).toBe('alternatives');
  });

  it('draws frontiers with interactions from exact plans at each budget; the all-points frontier refuses them', async () => {
    const body = { model: model([{ layers: ['a', 'b'], delta: { 'int2|int2': 0.5 } }]), candidates: ['int2', 'int4', 'int8'], axis: 'avgBits', points: 7 };
    const frontier = Frontier.parse((await http.post('/v1/frontiers').send(body).expect(200)).body);
    expect(frontier.points.every((point) => point.source === 'budget')).toBe(true);
    // Each point is the exact plan at its budget, interactions included.
    expect(frontier.points.length).toBeGreaterThan(2);
    for (const point of frontier.points) {
      const atBudget = await plan({ ...body, axis: undefined, points: undefined, budgets: [{ metric: 'avgBits', max: point.cost }] });
      expect(atBudget.objective.sensitivity).toBeCloseTo(point.sensitivity, 12);
    }
    const all = await problem({ ...body, all: true }, '/v1/frontiers');
    expect(all.errors![0]).toMatchObject({ path: 'all', message: expect.stringMatching(/with model.interactions ask for points/) });
  });
});
