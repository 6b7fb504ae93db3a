import { randomUUID } from 'node:crypto';
import cors from '@fastify/cors';
import swagger from '@fastify/swagger';
import compress from '@fastify/compress';
import swaggerUi from '@fastify/swagger-ui';
import { accessCheck, registerAccess } from './access.js';
import { clientErrorHandler } from './clientErrors.js';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import { DEFAULT_CONFIG, type Config } from '../config.js';
import type { TaskRunner } from '../service/runner.js';
import type { SeedStore } from '../service/seedStore.js';
import { registerErrorHandler, routerProblem } from './errorHandler.js';
import { sendProblem } from './problems.js';
import { stampArrival } from './answer.js';
import { registerJsonBody } from './jsonBody.js';
import { buildOpenApiDocument } from './openapi.js';
import { ROUTES } from './routes/index.js';
import { registerRoutes } from './routes/route.js';
import { SWAGGER_ONE_DEFINITION_CSS, SWAGGER_SVG_PREVIEW_JS } from './swaggerSvgPreview.js';

export interface BuildOptions {
  /** Where plans and frontiers are solved (src/worker's pool in the server). */
  runner: TaskRunner;
  seeds: SeedStore;
  /** pino options, or false for no logging (tests). */
  logger?: FastifyServerOptions['logger'];
  /** Overrides of the configuration (README, Configuration); the rest takes the defaults. */
  config?: Partial<Config>;
}

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/** Headers every answer carries; the Swagger UI pages keep their own content policy. */
const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
};

/**
 * The Swagger UI page's policy: its scripts and styles from /docs/static only (the UI sets
 * inline style attributes), requests to this origin, images from it or data: (the logo and the
 * SVG preview), never framed.
 */
const DOCS_CSP = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; font-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** TRUST_PROXY=N: believe the nearest N proxy hops. */
const trustHops = (hops: number) => (_address: string, hop: number) => hop < hops;

/** The Swagger UI's top-bar mark: the service's name, not the plugin's logo. */
const DOCS_LOGO_SVG = Buffer.from(
  '<svg xmlns="http://www.w3.org/2000/svg" width="160" height="40" viewBox="0 0 160 40"><text x="0" y="29" font-family="sans-serif" font-size="26" font-weight="700" fill="#ffffff">bitplan</text><text x="104" y="29" font-family="sans-serif" font-size="14" fill="#c8e6c9">API</text></svg>',
);

/** The request id and the security headers, on every answer (routes' and the router's own errors). */
function answerHeaders(request: FastifyRequest, reply: FastifyReply): void {
  reply.header('x-request-id', request.id);
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) reply.header(name, value);
  reply.header('content-security-policy', request.url.startsWith('/docs') ? DOCS_CSP : "default-src 'none'; frame-ancestors 'none'");
}

/** Builds the service without listening (src/server.ts listens; tests inject). Closing it closes the runner. */
export async function build(options: BuildOptions): Promise<FastifyInstance> {
  const config: Config = { ...DEFAULT_CONFIG, ...options.config };
  const { runner, seeds } = options;
  const access = accessCheck(config);
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: config.BODY_LIMIT_BYTES,
    // A slow or idle client is cut (408 problem+json from clientErrors.ts), not left holding a
    // connection: the whole request within REQUEST_TIMEOUT_MS, headers within HEADERS_TIMEOUT_MS
    // (Node checks both every connectionsCheckingInterval).
    requestTimeout: config.REQUEST_TIMEOUT_MS,
    keepAliveTimeout: config.KEEP_ALIVE_TIMEOUT_MS,
    connectionTimeout: config.CONNECTION_TIMEOUT_MS,
    http: {
      headersTimeout: config.REQUEST_TIMEOUT_MS > 0 ? Math.min(config.HEADERS_TIMEOUT_MS, config.REQUEST_TIMEOUT_MS) : config.HEADERS_TIMEOUT_MS,
      connectionsCheckingInterval: Math.max(100, Math.min(1000, Math.floor((config.REQUEST_TIMEOUT_MS || 30_000) / 4))),
    },
    clientErrorHandler: clientErrorHandler(config),
    // The router's own refusals (a malformed percent-encoding, a path parameter over the length
    // limit) come before any hook: answered here as problem+json with the usual headers, after
    // the token check a protected path would have had (a 401 says nothing about the route).
    frameworkErrors: (error, request, reply) => {
      answerHeaders(request, reply);
      sendProblem(request, reply, access.refusal(request) ?? routerProblem(error));
    },
    // Which proxy hops' X-Forwarded-For to believe for the client address (rate limits, logs).
    trustProxy: typeof config.TRUST_PROXY === 'number' ? trustHops(config.TRUST_PROXY) : config.TRUST_PROXY,
    // Honour a caller's x-request-id so a CI job can correlate its logs with ours.
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
  });
  app.server.maxConnections = config.MAX_CONNECTIONS;
  stampArrival(app);
  app.addHook('onClose', () => runner.close());
  // While shutting down, answers in flight close their connection, so that no idle keep-alive
  // socket holds the process open after its last response.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });

  // Bodies are JSON only (a text/plain body gets 415 rather than a confusing schema error).
  registerJsonBody(app, config);

  app.addHook('onSend', async (request, reply) => {
    if (closing) reply.header('connection', 'close');
    answerHeaders(request, reply);
  });

  if (config.CORS_ORIGINS.length > 0) {
    await app.register(cors, {
      origin: config.CORS_ORIGINS.includes('*') ? '*' : config.CORS_ORIGINS,
      methods: ['GET', 'POST', 'OPTIONS'],
      exposedHeaders: ['x-request-id', 'retry-after', 'bitplan-usage', 'bitplan-warning', 'server-timing'],
      maxAge: 600,
    });
  }

  registerErrorHandler(app, config.BODY_LIMIT_BYTES);
  await registerAccess(app, config, access);

  // Large answers (a 45,000-layer seed is 13 MB of JSON) compressed for clients that accept it,
  // at level 1: a 9.3 MB plan takes 19 ms to 0.87 MB there, 53 ms to 0.72 MB at zlib's default 6,
  // and the answer waits for it. Request bodies are never inflated here (a compressed body is a
  // 415: no zip bombs).
  await app.register(compress, { global: true, globalDecompression: false, threshold: 64 * 1024, encodings: ['gzip', 'deflate'], zlibOptions: { level: 1 } });

  const openApiDocument = buildOpenApiDocument(ROUTES);
  await app.register(swagger, { mode: 'static', specification: { document: openApiDocument as never } });
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    // The top bar names the document a user can fetch (/openapi.json, not the plugin's /docs/json):
    // with `urls`, Swagger UI loads and lists that one.
    uiConfig: { docExpansion: 'list', deepLinking: true, tryItOutEnabled: true, urls: [{ url: '/openapi.json', name: '/openapi.json' }] },
    // One document: the top bar's definition menu (which `urls` brings) would list one entry.
    theme: { title: 'bitplan API', js: [{ filename: 'svg-preview.js', content: SWAGGER_SVG_PREVIEW_JS }], css: [{ filename: 'one-definition.css', content: SWAGGER_ONE_DEFINITION_CSS }] },
    logo: { type: 'image/svg+xml', content: DOCS_LOGO_SVG, href: '/docs', target: '_self' },
  });

  registerRoutes(app, ROUTES, { seeds, runner, config, openApiDocument });
  return app;
}
