import type { FastifyInstance } from 'fastify';
import request from 'supertest';
import { build, type BuildOptions } from '../../src/http/app.js';

/** A started app for supertest; close it in afterAll. */
export async function startApp(options: BuildOptions = {}): Promise<{ app: FastifyInstance; http: ReturnType<typeof request> }> {
  const app = await build(options);
  await app.ready();
  return { app, http: request(app.server) };
}

/** A service listening on a free loopback port, for clients that need a real URL; close it in afterAll. */
export async function startListening(options: BuildOptions = {}): Promise<{ app: FastifyInstance; url: string }> {
  const app = await build(options);
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, url };
}
