import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Plan } from '../../src/contract/plan.js';
import { startApp } from '../support/app.js';

/** Choices the service makes for a user are said, not made silently (issue #16, items 6 and 7). */
describe('no silent choices', () => {
  let app: FastifyInstance;
  let http: Awaited<ReturnType<typeof startApp>>['http'];
  beforeAll(async () => ({ app, http } = await startApp()));
  afterAll(() => app.close());

  it('warns which of the layers\' own candidates a hardware profile\'s defaults leave out, and says it again in a 422', async () => {
    // ResNet18's layers allow int4/int4 and int8/int8; the H100 runs no int4 tensor-core format.
    const body = { seed: 'resnet18-hawq-v3', hardware: 'nvidia-h100', budgets: [{ metric: 'sizeBytes', max: 1e9 }] };
    const plan = Plan.parse((await http.post('/v1/plans').send(body).expect(200)).body);
    const warning = plan.warnings.find((w) => w.includes('left out'));
    expect(warning).toMatch(/hardware nvidia-h100's defaultCandidates .* int4\/int4 \(19 layers\)/);
    const tight = await http.post('/v1/plans').send({ ...body, budgets: [{ metric: 'sizeBytes', max: 7e6 }] }).expect(422);
    expect(tight.body.detail).toMatch(/below the least reachable .*int4\/int4 \(19 layers\); name them in candidates/);
    // A relative budget then has no range at all (int8/int8 is all that is left): a 422 that says what narrowed it.
    const relative = await http.post('/v1/plans').send({ ...body, budgets: [{ metric: 'sizeBytes', fraction: 0.5 }] }).expect(422);
    expect(relative.body.type).toBe('/problems/budgets-decide-nothing');
    expect(relative.body.detail).toMatch(/hardware nvidia-h100's defaultCandidates .* int4\/int4 \(19 layers\)/);
  });

  it('names the request\'s own candidates when they leave some out, and says nothing when they leave none', async () => {
    const narrowed = Plan.parse((await http.post('/v1/plans').send({ seed: 'resnet18-hawq-v3', candidates: ['int8/int8'], budgets: [{ metric: 'sizeBytes', max: 1e9 }] }).expect(200)).body);
    expect(narrowed.warnings.some((w) => w.includes("left out because the request's candidates (int8/int8)") && w.includes('int4/int4'))).toBe(true);
    const whole = Plan.parse((await http.post('/v1/plans').send({ seed: 'resnet18-hawq-v3', budgets: [{ metric: 'sizeBytes', fraction: 0.5 }] }).expect(200)).body);
    expect(whole.warnings.some((w) => w.includes('left out'))).toBe(false);
  });

  it('warns a plan without budgets that nothing limits it', async () => {
    const free = Plan.parse((await http.post('/v1/plans').send({ seed: 'resnet18-hawq-v3', budgets: [] }).expect(200)).body);
    expect(free.warnings.some((w) => w.startsWith('no budgets: nothing limits this plan'))).toBe(true);
    const budgeted = Plan.parse((await http.post('/v1/plans').send({ seed: 'resnet18-hawq-v3', budgets: [{ metric: 'sizeBytes', fraction: 0.5 }] }).expect(200)).body);
    expect(budgeted.warnings.some((w) => w.startsWith('no budgets'))).toBe(false);
  });
});
