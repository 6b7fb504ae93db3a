import { randomUUID } from 'node:crypto';
import cors from '@fastify/cors';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { DEFAULT_CONFIG, type Config } from '../config.js';
import { CoreError } from '../core/index.js';
import { loadSeedStore, type SeedStore } from '../service/seedStore.js';
import { SolverPool } from '../worker/pool.js';
import { buildOpenApiDocument } from './openapi.js';
import { ServiceError } from '../service/errors.js';
import { PoolError } from '../worker/poolError.js';
import { registerJsonBody } from './jsonBody.js';
import { CORE_ERROR_PROBLEM, HttpProblem, POOL_ERROR_PROBLEM, invalidRequest, sendProblem, serviceProblem } from './problems.js';
import { catalogRoutes } from './routes/catalog.js';
import { frontierRoutes } from './routes/frontiers.js';
import { planRoutes } from './routes/plans.js';
import { serviceRoutes } from './routes/service.js';
import { SWAGGER_SVG_PREVIEW_JS } from './swaggerSvgPreview.js';

export interface BuildOptions {
  /** pino options, or false for no logging (tests). */
  logger?: FastifyServerOptions['logger'];
  /** Overrides of the configuration (README, Configuration); the rest takes the defaults. */
  config?: Partial<Config>;
  seeds?: SeedStore;
}

/** Seconds a solve may run past its own time limit before its thread is replaced. */
const OVERRUN_GRACE_MS = 10_000;
const REQUEST_ID = /^[\w.:-]{1,128}$/;

/** Headers every answer carries; the Swagger UI pages keep their own content policy. */
const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
};

/** Builds the service without listening (src/server.ts listens; tests inject). */
export async function build(options: BuildOptions = {}): Promise<FastifyInstance> {
  const config: Config = { ...DEFAULT_CONFIG, ...options.config };
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: config.BODY_LIMIT_BYTES,
    // Honour a caller's x-request-id so a CI job can correlate its logs with ours.
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
  });
  const seeds = options.seeds ?? loadSeedStore();
  const pool = new SolverPool({ workers: config.SOLVER_THREADS, maxQueue: config.MAX_QUEUE, graceMs: OVERRUN_GRACE_MS, threadMemoryMb: config.SOLVER_THREAD_MEMORY_MB });
  app.addHook('onClose', () => pool.close());
  // While shutting down, answers in flight close their connection, so that no idle keep-alive
  // socket holds the process open after its last response.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  const document = buildOpenApiDocument();

  // Bodies are JSON only (a text/plain body gets 415 rather than a confusing schema error).
  registerJsonBody(app, config);

  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
    if (closing) reply.header('connection', 'close');
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) reply.header(name, value);
    if (!request.url.startsWith('/docs')) reply.header('content-security-policy', "default-src 'none'; frame-ancestors 'none'");
  });

  if (config.CORS_ORIGINS.length > 0) {
    await app.register(cors, {
      origin: config.CORS_ORIGINS.includes('*') ? '*' : config.CORS_ORIGINS,
      methods: ['GET', 'POST', 'OPTIONS'],
      exposedHeaders: ['x-request-id', 'retry-after', 'bitplan-usage'],
      maxAge: 600,
    });
  }

  app.setErrorHandler((error, request, reply) => {
    if (error instanceof HttpProblem) return sendProblem(request, reply, error);
    if (error instanceof ServiceError) return sendProblem(request, reply, serviceProblem(error));
    if (error instanceof PoolError) return sendProblem(request, reply, new HttpProblem(POOL_ERROR_PROBLEM[error.reason], error.message));
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
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    uiConfig: { docExpansion: 'list', deepLinking: true, tryItOutEnabled: true },
    theme: { title: 'bitplan API', js: [{ filename: 'svg-preview.js', content: SWAGGER_SVG_PREVIEW_JS }] },
  });

  const context = { seeds, pool, config };
  serviceRoutes(app, document, pool);
  catalogRoutes(app, seeds);
  planRoutes(app, context);
  frontierRoutes(app, context);
  return app;
}

export interface RouteContext {
  seeds: SeedStore;
  pool: SolverPool;
  config: Config;
}
