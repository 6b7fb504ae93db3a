import type { FastifyInstance } from 'fastify';
import request from 'supertest';
import { build, type BuildOptions } from '../../src/http/app.js';

/** A started app for supertest; close it in afterAll. */
export async function startApp(options: BuildOptions = {}): Promise<{ app: FastifyInstance; http: ReturnType<typeof request> }> {
  const app = await build(options);
  await app.ready();
  return { app, http: request(app.server) };
}
