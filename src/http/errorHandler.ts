import type { FastifyInstance } from 'fastify';
import { CoreError } from '../core/index.js';
import { ServiceError } from '../service/errors.js';
import { HttpProblem, httpProblem, invalidRequest, problemOf, sendProblem } from './problems.js';

/** Fastify's default longest path parameter (maxParamLength). */
const MAX_PARAM_LENGTH = 100;

/**
 * What the router refused, said so that the caller can fix the URL: a path parameter over the
 * length limit is a 414, a malformed percent-encoding (or anything else it refuses) a 400 at (url).
 */
export function routerProblem(error: { code?: string; message: string }): HttpProblem {
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') return httpProblem('BITPLAN_ERR_PARAM_TOO_LONG', [MAX_PARAM_LENGTH]);
  const message = error.code === 'FST_ERR_BAD_URL' ? 'the URL path is not valid percent-encoding (a % must start two hex digits of UTF-8, e.g. %C3%A9); encode the name with encodeURIComponent' : error.message;
  return invalidRequest([{ path: '(url)', message }]);
}

/** What a 415 says of the body's type, with the conversion a YAML sender needs (a common mistake: bitplan's recipes are YAML, its requests are not). */
function unsupportedType(contentType: string | undefined): string {
  if (!contentType) return 'the body has no Content-Type';
  const type = contentType.split(';')[0]!.trim().toLowerCase().slice(0, 80);
  const yaml = /yaml/.test(type) ? ' (convert the YAML to JSON first, e.g. yq -o json request.yaml)' : '';
  return `Content-Type ${JSON.stringify(type)} is not accepted${yaml}`;
}

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
    if (status === 415) return sendProblem(request, reply, httpProblem('BITPLAN_ERR_UNSUPPORTED_MEDIA_TYPE', [unsupportedType(request.headers['content-type'])]));
    if (status >= 400 && status < 500) {
      // Fastify's own client errors: unparseable JSON or an empty body (FST_ERR_CTP_*) are the
      // body's; anything else (a static file path it refuses, ...) is the URL's.
      if (status === 403 && request.url.startsWith('/docs/')) return sendProblem(request, reply, httpProblem('BITPLAN_ERR_PATH_OUTSIDE_DOCS', []));
      const path = fastifyError.code?.startsWith('FST_ERR_CTP') ? '(body)' : '(url)';
      return sendProblem(request, reply, invalidRequest([{ path, message: fastifyError.message }]));
    }
    request.log.error({ err: error }, 'unhandled error');
    return sendProblem(request, reply, httpProblem('BITPLAN_ERR_INTERNAL', [String(request.id)]));
  });

  app.setNotFoundHandler((request, reply) => sendProblem(request, reply, httpProblem('BITPLAN_ERR_ROUTE_NOT_FOUND', [request.method, request.url.split('?')[0]!.slice(0, 200)])));
}
