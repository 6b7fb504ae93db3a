import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { loadSeedStore } from '../../src/service/seedStore.js';
import { planTask } from '../../src/service/task.js';
import { SolverPool } from '../../src/worker/pool.js';

describe('the solver pool, when a client goes away', () => {
  const pool = SolverPool.fromConfig({ ...DEFAULT_CONFIG, SOLVER_THREADS: 1 });
  afterAll(() => pool.close());
  const seeds = loadSeedStore();
  const small = planTask({ seed: 'resnet18-hawq-v3', budgets: [{ metric: 'sizeBytes', fraction: 0.5 }] }, 'json', DEFAULT_CONFIG, seeds);

  it('lets a running task that finishes within the grace period finish on its thread', async () => {
    await pool.run(small.task, small.timeLimitMs); // the thread warmed up
    const controller = new AbortController();
    const running = pool.run(small.task, small.timeLimitMs, false, controller.signal);
    controller.abort();
    // Ending the thread would reject with "the client went away" and cost a new thread's start.
    expect((await running).body).toContain('"status":"optimal"');
  });

  it('takes a queued task out of the queue at once', async () => {
    const controller = new AbortController();
    const first = pool.run(small.task, small.timeLimitMs);
    const queued = pool.run(small.task, small.timeLimitMs, false, controller.signal);
    controller.abort();
    await expect(queued).rejects.toThrow('the client went away');
    await first;
  });
});
