import type { FastifyInstance } from 'fastify';
import { CoreError } from '../core/index.js';
import { ServiceError } from '../service/errors.js';
import { HttpProblem, httpProblem, invalidRequest, problemOf, sendProblem } from './problems.js';

/**
 * Every error answer is a problem (RFC 9457): the layers' errors mapped through the catalogue,
 * Fastify's own client errors kept as 4xx, anything else a 500 whose message is replaced (it may
 * hold internals) and logged.
 */
export function registerErrorHandler(app: FastifyInstance, bodyLimitBytes: number): void {
  app.setErrorHandler((error, request, reply) => {
    if (error instanceof HttpProblem) return sendProblem(request, reply, error);
    if (error instanceof ServiceError || error instanceof CoreError) {
      const problem = problemOf(error);
      if (problem.kind === 'internal') request.log.error({ err: error }, 'core error');
      return sendProblem(request, reply, problem);
    }
    const fastifyError = error as { statusCode?: number; code?: string; message: string };
    const status = fastifyError.statusCode ?? 500;
    if (status === 413) return sendProblem(request, reply, httpProblem('BITPLAN_ERR_BODY_TOO_LARGE', [bodyLimitBytes]));
    if (status === 415) return sendProblem(request, reply, httpProblem('BITPLAN_ERR_UNSUPPORTED_MEDIA_TYPE', [fastifyError.message]));
    if (status >= 400 && status < 500) {
      // Fastify's own client errors: unparseable JSON, empty body, ...
      return sendProblem(request, reply, invalidRequest([{ path: '(body)', message: fastifyError.message }]));
    }
    request.log.error({ err: error }, 'unhandled error');
    return sendProblem(request, reply, httpProblem('BITPLAN_ERR_INTERNAL', [String(request.id)]));
  });

  app.setNotFoundHandler((request, reply) => sendProblem(request, reply, httpProblem('BITPLAN_ERR_ROUTE_NOT_FOUND', [request.method, request.url.split('?')[0]!.slice(0, 200)])));
}
