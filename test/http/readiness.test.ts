/** GET /readyz: 503 while the solver threads make their start-up plans, 200 once they are warm (issue #26.6). */
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { build } from '../../src/http/app.js';
import type { TaskRunner } from '../../src/service/runner.js';
import { loadSeedStore } from '../../src/service/seedStore.js';

/** A runner whose readiness the test sets; it runs nothing. */
function runnerWarm(state: { warm: boolean }): TaskRunner {
  return {
    run: () => Promise.reject(new Error('not in this test')),
    load: () => ({ running: 0, waiting: 0 }),
    ready: () => state.warm,
    close: async () => {},
    abandon: () => {},
  };
}

describe('readiness', () => {
  it('answers 503 overloaded, naming SOLVER_WARM_UP, until the runner is warm, then 200; /healthz answers 200 throughout', async () => {
    const state = { warm: false };
    const app = await build({ runner: runnerWarm(state), seeds: loadSeedStore(), config: { RATE_LIMIT_PER_MINUTE: 0 } });
    try {
      await app.ready();
      const http = request(app.server);
      const cold = await http.get('/readyz').expect(503);
      expect(cold.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(cold.body).toMatchObject({ type: '/problems/overloaded', status: 503 });
      expect(cold.body.detail).toContain('SOLVER_WARM_UP');
      await http.get('/healthz').expect(200);
      state.warm = true;
      const warm = await http.get('/readyz').expect(200);
      expect(warm.body).toMatchObject({ status: 'ok', solves: { running: 0, waiting: 0 } });
    } finally {
      await app.close();
    }
  });
});
