import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Plan } from '../../src/contract/plan.js';
import { startApp } from '../support/app.js';

// HAWQ-V3's nine shipped ResNet18 bit configurations (bit_config.py), one budget at a time.
const data = JSON.parse(readFileSync(new URL('../../seeds/hawq-v3/resnet18.json', import.meta.url), 'utf8')) as {
  publishedBitConfigs: Record<string, Record<string, number>>;
};
const METRIC = { modelsize: 'sizeBytes', bops: 'bops', latency: 'latencyMs' } as const;
const cases = Object.entries(data.publishedBitConfigs).map(([key, bits]) => {
  const [kind, alpha] = key.split('_') as [keyof typeof METRIC, string];
  return { key, metric: METRIC[kind], fraction: Number(alpha), bits };
});

describe('POST /v1/plans reproduces HAWQ-V3 ResNet18', () => {
  let app: FastifyInstance;
  let http: Awaited<ReturnType<typeof startApp>>['http'];
  beforeAll(async () => ({ app, http } = await startApp()));
  afterAll(() => app.close());

  it('covers all nine published configurations', () => {
    expect(cases.map((c) => c.key).sort()).toEqual(
      ['bops_0.25', 'bops_0.5', 'bops_0.75', 'latency_0.25', 'latency_0.5', 'latency_0.75', 'modelsize_0.25', 'modelsize_0.5', 'modelsize_0.75'],
    );
  });

  it.each(cases)('$key: every layer at the published bit-width', async ({ metric, fraction, bits }) => {
    const response = await http
      .post('/v1/plans')
      .send({ seed: 'resnet18-hawq-v3', budgets: [{ metric, fraction }] })
      .expect(200);
    const plan = Plan.parse(response.body);
    expect(plan.status).toBe('optimal');
    const chosen = Object.fromEntries(plan.layers.map((layer) => [layer.name, layer.candidate]));
    for (const [layer, bitWidth] of Object.entries(bits)) {
      expect({ layer, candidate: chosen[layer] }).toEqual({ layer, candidate: `int${bitWidth}/int${bitWidth}` });
    }
    expect(chosen['init_block.convbn']).toBe('int8/int8');
    expect(chosen['output']).toBe('int8/int8');
    const budget = plan.budgets[0]!;
    expect(budget.metric).toBe(metric);
    expect(budget.used).toBeLessThanOrEqual(budget.limit);
  });
});
