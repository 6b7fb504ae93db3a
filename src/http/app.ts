import { randomUUID } from 'node:crypto';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { CoreError } from '../core/index.js';
import { loadSeedStore, type SeedStore } from '../seeds/store.js';
import { buildOpenApiDocument } from './openapi.js';
import { CORE_ERROR_PROBLEM, HttpProblem, invalidRequest, sendProblem } from './problems.js';
import { catalogRoutes } from './routes/catalog.js';
import { frontierRoutes } from './routes/frontiers.js';
import { planRoutes } from './routes/plans.js';
import { serviceRoutes } from './routes/service.js';

export interface BuildOptions {
  /** pino options, or false for no logging (tests). */
  logger?: FastifyServerOptions['logger'];
  /** Largest accepted body in bytes; the default admits a 50,000-layer descriptor. */
  bodyLimitBytes?: number;
  seeds?: SeedStore;
}

export const DEFAULT_BODY_LIMIT_BYTES = 64 * 1024 * 1024;

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/** Builds the service without listening (src/server.ts listens; tests inject). */
export async function build(options: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES,
    // Honour a caller's x-request-id so a CI job can correlate its logs with ours.
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
  });
  const seeds = options.seeds ?? loadSeedStore();
  const document = buildOpenApiDocument();

  // Bodies are JSON only: a text/plain body gets 415 rather than a confusing schema error.
  app.removeContentTypeParser('text/plain');

  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  app.setErrorHandler((error, request, reply) => {
    if (error instanceof HttpProblem) return sendProblem(request, reply, error);
    if (error instanceof CoreError) {
      const kind = CORE_ERROR_PROBLEM[error.code];
      if (kind === 'internal') request.log.error({ err: error }, 'core error');
      const problem = error.issues.length > 0 ? invalidRequest(error.issues) : new HttpProblem(kind, error.message, error.budgets.length > 0 ? { budgets: error.budgets } : {});
      return sendProblem(request, reply, problem);
    }
    const fastifyError = error as { statusCode?: number; code?: string; message: string };
    const status = fastifyError.statusCode ?? 500;
    if (status === 413) return sendProblem(request, reply, new HttpProblem('payload-too-large', `${fastifyError.message}; the limit is set by BODY_LIMIT_BYTES`));
    if (status === 415) return sendProblem(request, reply, new HttpProblem('unsupported-media-type', `${fastifyError.message}; send Content-Type: application/json`));
    if (status >= 400 && status < 500) {
      // Fastify's own client errors: unparseable JSON, empty body, ...
      return sendProblem(request, reply, invalidRequest([{ path: '(body)', message: fastifyError.message }]));
    }
    request.log.error({ err: error }, 'unhandled error');
    return sendProblem(request, reply, new HttpProblem('internal', `unexpected error; quote request id ${request.id} when reporting it`));
  });

  app.setNotFoundHandler((request, reply) =>
    sendProblem(request, reply, new HttpProblem('not-found', `no route ${request.method} ${request.url.split('?')[0]}; the API is described at /docs and /openapi.json`)),
  );

  await app.register(swagger, { mode: 'static', specification: { document: document as never } });
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { docExpansion: 'list', deepLinking: true, tryItOutEnabled: true } });

  serviceRoutes(app, document);
  catalogRoutes(app, seeds);
  planRoutes(app, seeds);
  frontierRoutes(app, seeds);
  return app;
}
