import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SeedList } from '../../src/contract/catalog.js';
import { Plan } from '../../src/contract/plan.js';
import { startApp } from '../support/app.js';

describe('seed shelf', () => {
  let app: FastifyInstance;
  let http: Awaited<ReturnType<typeof startApp>>['http'];
  beforeAll(async () => ({ app, http } = await startApp()));
  afterAll(() => app.close());

  it('lists every seed with provenance', async () => {
    const { seeds } = SeedList.parse((await http.get('/v1/seeds').expect(200)).body);
    expect(seeds.map((s) => s.name)).toEqual(['resnet18-hawq-v3', 'resnet50-hawq-v3', 'mobilenet-v2', 'bert-base', 'llama-2-7b', 'llama-2-70b', 'mixtral-8x7b', 'deepseek-v3']);
    expect(seeds.filter((s) => s.provenance.synthetic).map((s) => s.name)).toEqual(['mobilenet-v2', 'bert-base', 'llama-2-7b', 'llama-2-70b', 'mixtral-8x7b', 'deepseek-v3']);
    expect(seeds.find((s) => s.name === 'deepseek-v3')!.layers).toBe(45_034);
  });

  it('plans Llama-2-7B for an H100 with its default candidates, listing each estimate once', async () => {
    const response = await http
      .post('/v1/plans')
      .send({ seed: 'llama-2-7b', hardware: 'nvidia-h100', budgets: [{ metric: 'sizeBytes', fraction: 0.3 }] })
      .expect(200);
    const plan = Plan.parse(response.body);
    expect(plan.status).toBe('optimal');
    expect(plan.layers.every((l) => l.sensitivitySource === 'hessianTrace x estimated perturbation')).toBe(true);
    const estimates = plan.warnings.filter((w) => w.includes('estimated from weightStats'));
    // One warning per estimated format (fp8-e4m3, int8, int4-g128, bf16), not one per layer.
    expect(estimates).toHaveLength(4);
    expect(estimates.join('\n')).toMatch(/weight perturbation for int4-g128 estimated from weightStats: 226 layers/);
    // A synthetic seed says so where a user reads, not only in provenance.synthetic.
    expect(plan.warnings.filter((w) => w.startsWith('seed llama-2-7b has synthetic sensitivities'))).toHaveLength(1);
  });

  it('says nothing of synthetic sensitivities on a seed that HAWQ-V3 measured, and says it on frontiers of synthetic seeds', async () => {
    const measured = Plan.parse(
      (await http.post('/v1/plans').send({ seed: 'resnet18-hawq-v3', budgets: [{ metric: 'sizeBytes', fraction: 0.5 }] }).expect(200)).body,
    );
    expect(measured.warnings.join('\n')).not.toMatch(/synthetic/);
    const frontier = await http
      .post('/v1/frontiers')
      .send({ seed: 'mobilenet-v2', hardware: 'nvidia-a100', axis: 'sizeBytes', points: 5 })
      .expect(200);
    expect(frontier.body.warnings.filter((w: string) => w.startsWith('seed mobilenet-v2 has synthetic sensitivities'))).toHaveLength(1);
  });

  it('plans the DeepSeek-V3 MoE (45,034 layers) within a relative gap', async () => {
    const response = await http
      .post('/v1/plans')
      .send({
        seed: 'deepseek-v3',
        candidates: ['int3-g128/fp16', 'int4-g128/fp16', 'fp8-e4m3/fp8-e4m3'],
        budgets: [{ metric: 'sizeBytes', fraction: 0.4 }],
        solver: { relativeGap: 1e-4, timeLimitMs: 20_000 },
      })
      .expect(200);
    const plan = Plan.parse(response.body);
    expect(plan.layers).toHaveLength(45_034);
    expect(plan.status).toBe('optimal');
    expect(plan.gap).toBeLessThanOrEqual(1e-4);
  });
});
