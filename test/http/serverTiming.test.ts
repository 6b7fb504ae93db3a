import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp } from '../support/app.js';

describe('Server-Timing on solved answers', () => {
  let app: FastifyInstance;
  let http: Awaited<ReturnType<typeof startApp>>['http'];
  beforeAll(async () => ({ app, http } = await startApp({ config: { CORS_ORIGINS: ['http://notebook.example'] } })));
  afterAll(() => app.close());

  const phases = (header: string | undefined) =>
    Object.fromEntries((header ?? '').split(', ').map((entry) => [entry.split(';')[0], Number(/dur=([\d.]+)/.exec(entry)?.[1])]));

  it.each([
    ['/v1/plans', { seed: 'resnet18-hawq-v3', budgets: [{ metric: 'sizeBytes', fraction: 0.5 }] }],
    ['/v1/frontiers', { seed: 'resnet18-hawq-v3', axis: 'sizeBytes', points: 5 }],
  ])('%s says where the time went, and browsers may read it', async (url, body) => {
    const response = await http.post(url).set('origin', 'http://notebook.example').send(body).expect(200);
    const timing = phases(response.headers['server-timing']);
    expect(Object.keys(timing)).toEqual(['receive', 'wait', 'admit', 'solve', 'render']);
    for (const ms of Object.values(timing)) expect(ms).toBeGreaterThanOrEqual(0);
    expect(timing.solve).toBeGreaterThan(0);
    expect(response.headers['access-control-expose-headers']).toMatch(/server-timing/);
  });
});
