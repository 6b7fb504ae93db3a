import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Frontier } from '../../src/contract/frontier.js';
import { Plan } from '../../src/contract/plan.js';
import { startApp } from '../support/app.js';

/**
 * Every warning says what the plan did (issue #28.7): each kind of warning is raised here and
 * what it says is checked against the plan or frontier it came with, not only its wording.
 */
describe('warnings say what the plan they accompany did', () => {
  let app: FastifyInstance;
  let http: Awaited<ReturnType<typeof startApp>>['http'];
  beforeAll(async () => ({ app, http } = await startApp()));
  afterAll(() => app.close());

  const plan = async (body: object) => Plan.parse((await http.post('/v1/plans').send(body).expect(200)).body);
  const warning = (warnings: string[], start: RegExp) => {
    const found = warnings.find((w) => start.test(w));
    expect(found, `a warning matching ${start} among ${JSON.stringify(warnings)}`).toBeDefined();
    return found!;
  };
  const deltas = { a: { 'int4/int8': 0.3, 'int6/int8': 0.1, 'int8/int8': 0.02 }, b: { 'int4/int8': 0.05, 'int6/int8': 0.2, 'int8/int8': 0.01 }, c: { 'int4/int8': 0, 'int6/int8': 0.004, 'int8/int8': 0.001 } };
  const layers = Object.entries(deltas).map(([name, lossDelta]) => ({ name, params: 4096, macs: 4096 * 16, sensitivity: { lossDelta } }));
  const candidates = ['int4/int8', 'int6/int8', 'int8/int8'];

  it('no budgets: every layer takes its least sensitive candidate', async () => {
    const free = await plan({ model: { name: 'm', layers }, candidates, budgets: [], evidence: { lossDelta: 'raw' } });
    warning(free.warnings, /^no budgets: nothing limits this plan, so every layer takes its least sensitive/);
    for (const layer of free.layers) {
      const least = Math.min(...Object.values(deltas[layer.name as keyof typeof deltas]));
      expect(layer.sensitivity, layer.name).toBe(least);
    }
  });

  it('candidates left out: the plan gives no layer one of them', async () => {
    const narrowed = await plan({ seed: 'resnet18-hawq-v3', candidates: ['int8/int8'], budgets: [{ metric: 'sizeBytes', max: 1e9 }] });
    const text = warning(narrowed.warnings, /^candidates the model's layers allow were left out/);
    const leftOut = [...text.matchAll(/(int\d\/int\d) \(\d+ layers?\)/g)].map((match) => match[1]!);
    expect(leftOut).toContain('int4/int4');
    for (const layer of narrowed.layers) expect(leftOut).not.toContain(layer.candidate);
  });

  it('a budget of no width beside one that decides: it holds at its one value, whatever the plan', async () => {
    // int4/int4 and int4/int8 store the same weights: sizeBytes has no width, bops has.
    const same = Object.keys(deltas).map((name) => ({ name, params: 4096, macs: 4096 * 16, sensitivity: { lossDelta: { 'int4/int4': 0.2, 'int4/int8': 0.01 } } }));
    const answer = await plan({ model: { name: 'm', layers: same }, candidates: ['int4/int4', 'int4/int8'], budgets: [{ metric: 'sizeBytes', fraction: 0.5 }, { metric: 'bops', fraction: 0.5 }] });
    const text = warning(answer.warnings, /^budget sizeBytes fraction 0\.5: every allowed assignment has sizeBytes /);
    const stated = Number(/has sizeBytes ([\d.e+]+)/.exec(text)![1]);
    const size = answer.budgets.find((b) => b.metric === 'sizeBytes')!;
    expect(size.used).toBe(stated);
    expect(size.limit).toBe(stated);
    expect(answer.totals.sizeBytes).toBe(stated);
  });

  it('a BOPs budget over layers without MACs does not count them', async () => {
    const withSilent = [...layers.slice(0, 2), { ...layers[2]!, macs: 0, op: 'linear' }];
    const answer = await plan({ model: { name: 'm', layers: withSilent }, candidates, budgets: [{ metric: 'bops', fraction: 0.5 }] });
    const text = warning(answer.warnings, /^budget bops: no MACs \(0 or not given\) on layer c, so the budget does not count them/);
    expect(text).toMatch(/layer c\b/);
    const c = answer.layers.find((l) => l.name === 'c')!;
    expect(c.costs.bops).toBe(0);
    const counted = answer.layers.reduce((sum, l) => sum + (l.costs.bops ?? 0), 0);
    expect(answer.budgets.find((b) => b.metric === 'bops')!.used).toBeCloseTo(counted, 6);
  });

  it('a pinned layer without a latency entry counts as 0 in latency limits and totals', async () => {
    const timed = layers.map((layer, i) => (i === 0 ? { name: layer.name, params: layer.params, pin: 'int8/int8' } : { ...layer, latencyMs: { 'int4/int8': 0.2, 'int6/int8': 0.3, 'int8/int8': 0.4 } }));
    const answer = await plan({ model: { name: 'm', layers: timed }, candidates, budgets: [{ metric: 'latencyMs', fraction: 0.5 }] });
    warning(answer.warnings, /^layer a is pinned to int8\/int8 and has no latencyMs entry; it counts as 0 in latencyMs limits and totals/);
    expect(answer.layers[0]!.costs.latencyMs ?? 0).toBe(0);
    const others = answer.layers.slice(1).reduce((sum, l) => sum + l.costs.latencyMs!, 0);
    expect(answer.totals.latencyMs).toBeCloseTo(others, 12);
    expect(answer.budgets[0]!.used).toBeCloseTo(others, 12);
  });

  it('parameters the descriptor does not plan are not in sizeBytes', async () => {
    const answer = await plan({ model: { name: 'm', layers, unplanned: { params: 1234, tensors: ['norm.weight', 'head.bias'] } }, candidates, budgets: [{ metric: 'sizeBytes', fraction: 0.5 }] });
    warning(answer.warnings, /^1234 parameters in 2 tensors the descriptor does not plan .* are not in sizeBytes or avgBits/);
    expect(answer.totals.sizeBytes).toBeCloseTo(answer.layers.reduce((sum, l) => sum + l.costs.sizeBytes!, 0), 6);
  });

  it('perturbations estimated from weightStats: the layers named are scored by estimated perturbations', async () => {
    const stats = (name: string) => ({ name, params: 4096, macs: 4096 * 16, sensitivity: { hessianTrace: 0.01, weightStats: { absMax: 0.5, rms: 0.05 } } });
    const answer = await plan({ model: { name: 'm', layers: [stats('a'), stats('b')] }, candidates: ['int4/int8', 'int8/int8'], budgets: [{ metric: 'sizeBytes', fraction: 0.5 }] });
    warning(answer.warnings, /^weight perturbation for int\d estimated from weightStats: 2 layers \(a, b\)/);
    const estimated = answer.warnings.map((w) => /^weight perturbation for (\S+) estimated from weightStats: 2 layers \(a, b\)/.exec(w)?.[1]).filter(Boolean);
    const checked = answer.layers.filter((l) => estimated.includes(l.candidate.split('/')[0]));
    expect(checked.length).toBeGreaterThan(0);
    for (const layer of checked) expect(layer.sensitivitySource).toBe('hessianTrace x estimated perturbation');
  });

  it('a frontier with fewer plans than points asked counts the plans it has', async () => {
    const answer = Frontier.parse((await http.post('/v1/frontiers').send({ model: { name: 'm', layers }, candidates, axis: 'sizeBytes', points: 30 }).expect(200)).body);
    const text = warning(answer.warnings, /^30 points asked, \d+ axis budgets solved/);
    const [, solved, plans] = /^30 points asked, (\d+) axis budgets solved.*gave (\d+) distinct non-dominated plans/.exec(text)!;
    expect(Number(plans)).toBe(answer.points.length);
    expect(Number(solved)).toBe(answer.solver.solves);
  });
});
