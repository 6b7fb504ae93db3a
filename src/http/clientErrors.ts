import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import { httpProblem, PROBLEM_KINDS, problemBody } from './problems.js';

/**
 * Errors Node's HTTP parser raises before a request reaches a route (a slow body, oversized
 * headers, bytes that are not HTTP) answered as problem+json like every other error, then the
 * connection closed. Fastify's default writes its own JSON shape.
 */
export function clientErrorHandler(config: Config) {
  return function handle(this: FastifyInstance, error: Error & { code?: string }, socket: Socket): void {
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    const problem =
      error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? httpProblem('BITPLAN_ERR_REQUEST_TIMEOUT', [config.REQUEST_TIMEOUT_MS, config.HEADERS_TIMEOUT_MS])
        : error.code === 'HPE_HEADER_OVERFLOW'
          ? httpProblem('BITPLAN_ERR_HEADERS_TOO_LARGE', [])
          : httpProblem('BITPLAN_ERR_MALFORMED_HTTP', []);
    this.log.debug({ code: error.code }, 'client error');
    if (socket.writable) {
      const body = JSON.stringify(problemBody(problem.kind, problem.detail, '/', randomUUID()));
      const { status, title } = PROBLEM_KINDS[problem.kind];
      socket.write(`HTTP/1.1 ${status} ${title}\r\nContent-Type: application/problem+json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
    }
    socket.destroy();
  };
}
