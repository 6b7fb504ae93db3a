import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Plan } from '../../src/contract/plan.js';
import { ProblemDetails } from '../../src/contract/catalog.js';
import { startApp } from '../support/app.js';

/** Two layers of equal size; a size budget of 0.75 of int8 lets exactly one of them keep int8. */
const perturbation = { int4: 1, int8: 0.004 };
const layer = (name: string, sensitivity: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ name, params: 1000, macs: 100_000, sensitivity, ...extra });
const request = (layers: unknown[], extra: Record<string, unknown> = {}) => ({
  model: { name: 'm', layers },
  candidates: ['int4/int8', 'int8/int8'],
  budgets: [{ metric: 'sizeBytes', fraction: 0.75 }],
  ...extra,
});

describe('evidence users can trust', () => {
  let app: FastifyInstance;
  let http: Awaited<ReturnType<typeof startApp>>['http'];
  beforeAll(async () => ({ app, http } = await startApp()));
  afterAll(() => app.close());

  const plan = async (body: unknown) => Plan.parse((await http.post('/v1/plans').send(body as object).expect(200)).body);
  const problem = async (body: unknown) => ProblemDetails.parse((await http.post('/v1/plans').send(body as object).expect(400)).body);
  const chosen = (p: Plan) => Object.fromEntries(p.layers.map((l) => [l.name, l.candidate]));

  describe('Hessian traces', () => {
    it('accepts a negative trace within 3 standard errors as 0, with a warning naming the layer', async () => {
      const p = await plan(request([layer('small', { hessianTrace: -0.02, hessianTraceStdErr: 0.01, perturbation }), layer('big', { hessianTrace: 1, perturbation })]));
      expect(p.layers.find((l) => l.name === 'small')!.sensitivity).toBe(0);
      expect(p.warnings).toContainEqual(expect.stringMatching(/negative Hessian trace within 3 standard errors of 0 taken as 0.*small/));
      expect(p.warnings).toContainEqual(expect.stringMatching(/indistinguishable from zero on 1 layer \(small\)/));
    });

    it('refuses a trace more than 3 standard errors below 0, or negative without one', async () => {
      const beyond = await problem(request([layer('small', { hessianTrace: -0.05, hessianTraceStdErr: 0.01, perturbation }), layer('big', { hessianTrace: 1, perturbation })]));
      expect(beyond.errors).toContainEqual({ path: 'model.layers[0].sensitivity', message: expect.stringMatching(/layer "small" has a negative Hessian trace \(-0.0500\), 5.0 standard errors below 0/) });
      const bare = await problem(request([layer('small', { hessianTrace: -0.05, perturbation }), layer('big', { hessianTrace: 1, perturbation })]));
      expect(bare.errors![0]!.message).toMatch(/without a standard error/);
      // More samples cannot help an indefinite Hessian: the message names the ways out.
      expect(bare.errors![0]!.message).toMatch(/measure loss changes instead .* or set evidence\.negativeTrace to "zero"/);
    });

    it('plans a trace beyond its noise as 0 when asked (evidence.negativeTrace "zero"), naming the layer', async () => {
      const body = request([layer('small', { hessianTrace: -0.05, hessianTraceStdErr: 0.01, perturbation }), layer('big', { hessianTrace: 1, perturbation })]) as Record<string, unknown>;
      const p = await plan({ ...body, evidence: { negativeTrace: 'zero' } });
      expect(p.layers.find((l) => l.name === 'small')!.sensitivity).toBe(0);
      expect(p.warnings).toContainEqual(expect.stringMatching(/negative Hessian trace 5\.0 standard errors below 0 taken as 0 \(evidence\.negativeTrace "zero"\).*small/));
    });

    it('plans the same from hessianTraceSum (Tr H, as PyHessian reports it) as from hessianTrace (Tr H / params)', async () => {
      const mean = await plan(request([layer('a', { hessianTrace: 0.3, perturbation }), layer('b', { hessianTrace: 0.7, perturbation })]));
      const sum = await plan(request([layer('a', { hessianTraceSum: 300, perturbation }), layer('b', { hessianTraceSum: 700, perturbation })]));
      expect(chosen(sum)).toEqual(chosen(mean));
      expect(sum.objective.sensitivity).toBeCloseTo(mean.objective.sensitivity!, 12);
      const both = await problem(request([layer('a', { hessianTrace: 0.3, hessianTraceSum: 300, perturbation }), layer('b', { hessianTrace: 0.7, perturbation })]));
      expect(both.errors![0]).toMatchObject({ path: 'model.layers[0].sensitivity', message: expect.stringMatching(/give one/) });
    });

    it('warns about a layer whose evidence is zero, naming what the plan gave it', async () => {
      const p = await plan(request([layer('zero', { hessianTrace: 0, perturbation }), layer('b', { hessianTrace: 1, perturbation })]));
      expect(chosen(p).zero).toBe('int4/int8');
      expect(p.warnings).toContainEqual(expect.stringMatching(/evidence indistinguishable from zero on 1 layer \(zero\).*this plan gives zero int4\/int8; measure them more precisely or pin them/));
      const clear = await plan(request([layer('a', { hessianTrace: 0.5, hessianTraceStdErr: 0.2, perturbation }), layer('b', { hessianTrace: 1, perturbation })]));
      expect(clear.warnings.filter((w) => /indistinguishable/.test(w))).toEqual([]);
    });

    it('says what the plan gave a layer of noise-level evidence, not the cheapest candidate it did not get (issue #28)', async () => {
      // Scores far inside their standard errors, but ordered: with room in the budget the plan
      // gives the layer its (nominally) least sensitive candidate, int8.
      const noisy = layer('noisy', { lossDelta: { 'int4/int8': 0.002, 'int8/int8': 0.001 }, lossDeltaStdErr: { 'int4/int8': 0.01, 'int8/int8': 0.01 } });
      const other = layer('b', { lossDelta: { 'int4/int8': 0.5, 'int8/int8': 0.01 } });
      const p = await plan({ ...request([noisy, other]), budgets: [{ metric: 'sizeBytes', fraction: 1 }] });
      expect(chosen(p).noisy).toBe('int8/int8');
      const warning = p.warnings.find((w) => /indistinguishable from zero/.test(w))!;
      expect(warning).toMatch(/this plan gives noisy int8\/int8/);
      expect(warning).not.toMatch(/cheapest/);
    });
  });

  describe('measured loss changes', () => {
    // Layer a measured worse at int8 than at int4: noise. Raw, it is free to drop to int4.
    const noisy = layer('a', { lossDelta: { 'int8/int8': 0.05, 'int4/int8': 0.03 } });
    const steady = layer('b', { lossDelta: { 'int8/int8': 0, 'int4/int8': 0.02 } });

    it('projects non-monotone deltas by default (isotonic) and warns', async () => {
      const p = await plan(request([noisy, steady]));
      const a = p.layers.find((l) => l.name === 'a')!;
      expect(a.sensitivity).toBeCloseTo(0.04, 12);
      expect(p.warnings).toContainEqual(expect.stringMatching(/projected onto the nearest .*isotonic.*\ba\b/));
    });

    it('keeps them raw on request, with a warning that the plan may pay for precision that does not help', async () => {
      const p = await plan(request([noisy, steady], { evidence: { lossDelta: 'raw' } }));
      expect(chosen(p)).toEqual({ a: 'int4/int8', b: 'int8/int8' });
      expect(p.layers.find((l) => l.name === 'a')!.sensitivity).toBe(0.03);
      expect(p.warnings).toContainEqual(expect.stringMatching(/grow with precision or lie below 0 on 1 layer \(a\), kept raw/));
    });

    it('warns when layers are scored by evidence of different kinds', async () => {
      const p = await plan(request([steady, layer('h', { hessianTrace: 1, perturbation })]));
      expect(p.warnings).toContainEqual(expect.stringMatching(/evidence of two kinds is summed: 1 layers are scored by measured loss changes \(lossDelta\), 1 by Hessian/));
    });

    it('robust z plans on the pessimistic side: a noisy small delta no longer buys the cheaper format', async () => {
      // a: 0.10 +- 0.001 at int4; b: 0.09 +- 0.05. As measured, b is cheaper to drop; one error up, a is.
      const a = layer('a', { lossDelta: { 'int8/int8': 0, 'int4/int8': 0.1 }, lossDeltaStdErr: { 'int8/int8': 0, 'int4/int8': 0.001 } });
      const b = layer('b', { lossDelta: { 'int8/int8': 0, 'int4/int8': 0.09 }, lossDeltaStdErr: { 'int8/int8': 0, 'int4/int8': 0.05 } });
      expect(chosen(await plan(request([a, b])))).toEqual({ a: 'int8/int8', b: 'int4/int8' });
      const robust = await plan(request([a, b], { robust: { z: 1 } }));
      expect(chosen(robust)).toEqual({ a: 'int4/int8', b: 'int8/int8' });
      expect(robust.objective.sensitivity).toBeCloseTo(0.101, 12);
    });
  });

  describe('weight-only candidates and optional macs', () => {
    it('a bare weight format quantizes weights and leaves activations in the model precision', async () => {
      const body = { model: { name: 'm', layers: [layer('a', { hessianTrace: 1, perturbation }), layer('b', { hessianTrace: 2, perturbation })] }, candidates: ['int4', 'int8'], budgets: [{ metric: 'bops', fraction: 0.75 }] };
      const p = await plan(body);
      expect(p.layers.map((l) => l.candidate).sort()).toEqual(['int4', 'int8']);
      const int4 = p.layers.find((l) => l.candidate === 'int4')!;
      expect(int4.costs.bops).toBe(100_000 * 4 * 16);
      const bf16 = await plan({ ...body, model: { ...body.model, precision: 'bf16' } });
      expect(bf16.layers.find((l) => l.candidate === 'int4')!.costs.bops).toBe(100_000 * 4 * 16);
      const unknown = await problem({ ...body, model: { ...body.model, precision: 'fp17' } });
      expect(unknown.errors).toContainEqual({ path: 'model.precision', message: expect.stringMatching(/unknown format "fp17"/) });
    });

    it('keys lossDelta by the same weight-only ids', async () => {
      const p = await plan({ model: { name: 'm', layers: [layer('a', { lossDelta: { int4: 0.2, 'int8-g128': 0.01 } }), layer('b', { lossDelta: { int4: 0.1, 'int8-g128': 0 } })] }, candidates: ['int4', 'int8-g128'], budgets: [{ metric: 'sizeBytes', fraction: 0.8 }] });
      expect(chosen(p)).toEqual({ a: 'int8-g128', b: 'int4' });
    });

    it('plans a size budget without macs, and names macs when a budget counts operations', async () => {
      const noMacs = (name: string, trace: number) => ({ name, params: 1000, sensitivity: { hessianTrace: trace, perturbation } });
      const p = await plan(request([noMacs('a', 1), noMacs('b', 2)]));
      expect(chosen(p)).toEqual({ a: 'int4/int8', b: 'int8/int8' });
      expect(p.totals.bops).toBeUndefined();
      const bops = await problem(request([noMacs('a', 1), noMacs('b', 2)], { budgets: [{ metric: 'bops', fraction: 0.5 }] }));
      expect(bops.errors).toContainEqual({ path: 'budgets[0].metric', message: 'bops counts operations, so it needs macs on every unpinned layer; missing on a, b' });
    });
  });

  describe('tied layers', () => {
    it('a layer tied to one with evidence may carry none of its own (a shared weight used twice)', async () => {
      const embed = layer('embed', { hessianTrace: 1, perturbation });
      const head = { name: 'head', params: 0, macs: 100_000 };
      const body = request([embed, head, layer('b', { hessianTrace: 2, perturbation })]);
      const p = await plan({ ...body, model: { ...body.model, groups: [['embed', 'head']] } });
      expect(p.layers.find((l) => l.name === 'head')).toMatchObject({ sensitivity: 0, sensitivitySource: 'none (tied)', candidate: p.layers.find((l) => l.name === 'embed')!.candidate });
      expect(p.warnings.filter((w) => /indistinguishable|two kinds/.test(w))).toEqual([]);
      const untied = await problem(request([embed, head]));
      expect(untied.errors![0]!.message).toMatch(/layer "head" has no sensitivity.*or tie it \(model.groups\) to a layer that has evidence/);
    });
  });

  describe('weight statistics', () => {
    it('estimates per-channel integer scales from each channel\'s expected maximum, below the per-tensor estimate', async () => {
      const stats = { absMax: 1, rms: 0.05 };
      // Layer a pinned to int4 weights: its reported sensitivity is the estimate times the trace.
      const pinned = { pin: 'int4/int8' };
      const perTensor = await plan(request([layer('a', { hessianTrace: 1, weightStats: stats }, pinned), layer('b', { hessianTrace: 1, perturbation })]));
      const perChannel = await plan(request([layer('a', { hessianTrace: 1, weightStats: { ...stats, granularity: 'per-channel', channels: 10 } }, pinned), layer('b', { hessianTrace: 1, perturbation })]));
      const at = (p: Plan) => p.layers.find((l) => l.name === 'a')!;
      expect(at(perTensor).sensitivity).toBeCloseTo((1000 * (1 / 7) ** 2) / 12, 9);
      // 100 weights a channel: expected maximum rms sqrt(2 ln 100) = 0.152 instead of absMax 1.
      expect(at(perChannel).sensitivity / at(perTensor).sensitivity).toBeCloseTo((0.05 * Math.sqrt(2 * Math.log(100))) ** 2, 6);
      const missing = await problem(request([layer('a', { hessianTrace: 1, weightStats: { ...stats, granularity: 'per-channel' } }), layer('b', { hessianTrace: 1, perturbation })]));
      expect(missing.errors).toContainEqual({ path: 'model.layers[0].sensitivity.weightStats.channels', message: expect.stringMatching(/per-channel scales need the number of output channels/) });
    });
  });
});
