import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Health } from '../../src/contract/catalog.js';
import { startListening } from '../support/app.js';
import { interactionPlanInput } from '../support/interactionFamily.js';

/**
 * A plan that keeps a thread busy for its whole time limit: the 20 best plans of 300 layers with
 * 2,000 interaction entries (bench/interactions.ts: not proven in 10 s).
 */
const family = interactionPlanInput(300, 2000, 2, 1);
const longPlan = { model: family.model, budgets: family.budgets, alternatives: 20, solver: { timeLimitMs: 60_000 } };

describe('a client that goes away', () => {
  let app: FastifyInstance;
  let url: string;
  beforeAll(async () => ({ app, url } = await startListening({ config: { SOLVER_THREADS: 1, MAX_QUEUE: 8 } })));
  afterAll(() => app.close());

  const post = (body: unknown, signal?: AbortSignal) => fetch(`${url}/v1/plans`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal });
  const load = async () => Health.parse(await (await fetch(`${url}/healthz`)).json()).solves;
  const until = async (condition: () => Promise<boolean>) => {
    for (let tries = 0; tries < 100 && !(await condition()); tries++) await new Promise((resolve) => setTimeout(resolve, 50));
  };

  it('leaves the queue, and its running solve is stopped, so the thread serves the next client', async () => {
    const abandoned = Array.from({ length: 4 }, () => new AbortController());
    const requests = abandoned.map((controller) => post(longPlan, controller.signal).catch(() => 'aborted'));
    await until(async () => (await load()).running === 1 && (await load()).waiting === 3);
    expect(await load()).toEqual({ running: 1, waiting: 3 });
    for (const controller of abandoned) controller.abort();
    expect(await Promise.all(requests)).toEqual(['aborted', 'aborted', 'aborted', 'aborted']);
    await until(async () => (await load()).running === 0 && (await load()).waiting === 0);
    expect(await load()).toEqual({ running: 0, waiting: 0 });
    // The thread that was solving for nobody was replaced: a small plan is answered now, not after 60 s.
    const small = await post({ seed: 'resnet18-hawq-v3', budgets: [{ metric: 'sizeBytes', fraction: 0.5 }], solver: { timeLimitMs: 20_000 } });
    expect(small.status).toBe(200);
  });
});
