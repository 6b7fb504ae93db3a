import type { FastifyInstance } from 'fastify';
import request from 'supertest';
import { DEFAULT_CONFIG, type Config } from '../../src/config.js';
import { build, type BuildOptions } from '../../src/http/app.js';
import { loadSeedStore } from '../../src/service/seedStore.js';
import { SolverPool } from '../../src/worker/pool.js';

export interface TestAppOptions {
  config?: Partial<Config>;
  logger?: BuildOptions['logger'];
}

/** The service as src/server.ts composes it (solver pool, seeds), not listening; close it in afterAll. */
export function buildApp(options: TestAppOptions = {}): Promise<FastifyInstance> {
  // Suites fire thousands of requests from one address: no rate limit unless a test asks for one;
  // no start-up plans either (seconds of CPU for each app a suite builds) unless a test asks.
  const config = { ...DEFAULT_CONFIG, RATE_LIMIT_PER_MINUTE: 0, SOLVER_WARM_UP: false, ...options.config };
  return build({ runner: SolverPool.fromConfig(config), seeds: loadSeedStore(), config, logger: options.logger });
}

/** A started app for supertest; close it in afterAll. */
export async function startApp(options: TestAppOptions = {}): Promise<{ app: FastifyInstance; http: ReturnType<typeof request> }> {
  const app = await buildApp(options);
  await app.ready();
  return { app, http: request(app.server) };
}

/** A service listening on a free loopback port, for clients that need a real URL; close it in afterAll. */
export async function startListening(options: TestAppOptions = {}): Promise<{ app: FastifyInstance; url: string }> {
  const app = await buildApp(options);
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, url };
}
