import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ProblemDetails } from '../contract/catalog.js';
import type { CoreErrorCode, FieldIssue } from '../core/index.js';
import type { ServiceError, ServiceErrorCode } from '../service/errors.js';
import { invalidRequest as invalidRequestError } from '../service/validation/issueSink.js';
import type { PoolErrorReason } from '../worker/poolError.js';

/** Seconds a client told 503 should wait before retrying. */
export const RETRY_AFTER_SECONDS = 2;

/**
 * The HTTP layer's problem catalogue (RFC 9457). Each kind has a stable slug, a title and a
 * status; `type` is `/problems/<slug>`, which GET /problems/<slug> documents.
 */
export const PROBLEM_KINDS = {
  'invalid-request': { status: 400, title: 'Invalid request', about: 'The body or a parameter is malformed or contradicts itself; errors lists each field with its path.' },
  'not-found': { status: 404, title: 'Not found', about: 'No seed, hardware profile or route by that name; the detail says where to list what exists.' },
  'payload-too-large': { status: 413, title: 'Payload too large', about: 'The body exceeds the configured limit (BODY_LIMIT_BYTES).' },
  'unsupported-media-type': { status: 415, title: 'Unsupported media type', about: 'Send the body as application/json.' },
  infeasible: { status: 422, title: 'Infeasible', about: 'No assignment meets every budget; budgets lists each limit and the least value it could reach.' },
  'no-solution-in-time': { status: 422, title: 'No solution within the time limit', about: 'The solver stopped at solver.timeLimitMs before finding any verified assignment.' },
  'frontier-too-large': { status: 422, title: 'Frontier too large', about: 'An all-points frontier has more points than maxPoints; raise it or ask for evenly spaced budgets.' },
  'too-large-to-solve': { status: 422, title: 'Too large to solve', about: 'Solving the request needed more memory than a solver thread may use (SOLVER_THREAD_MEMORY_MB); plan a smaller model, fewer candidates or fewer frontier points.' },
  'not-acceptable': { status: 406, title: 'Not acceptable', about: 'The Accept header names no representation this route has.' },
  overloaded: { status: 503, title: 'Overloaded', about: 'Every solver thread is busy and the queue is full, the service is shutting down, or a solve overran its time limit; retry after the Retry-After seconds.' },
  'method-not-allowed': { status: 405, title: 'Method not allowed', about: 'The route exists with another method.' },
  internal: { status: 500, title: 'Internal error', about: 'A bug in bitplan; the request id finds it in the logs.' },
} as const;
export type ProblemKind = keyof typeof PROBLEM_KINDS;

export const CORE_ERROR_PROBLEM: Record<CoreErrorCode, ProblemKind> = {
  BITPLAN_ERR_INVALID_INPUT: 'invalid-request',
  BITPLAN_ERR_INFEASIBLE: 'infeasible',
  BITPLAN_ERR_NO_SOLUTION_IN_TIME: 'no-solution-in-time',
  BITPLAN_ERR_SOLVER_ANSWER_REJECTED: 'internal',
  BITPLAN_ERR_FRONTIER_TOO_LARGE: 'frontier-too-large',
};

export const SERVICE_ERROR_PROBLEM: Record<ServiceErrorCode, ProblemKind> = {
  BITPLAN_ERR_INVALID_REQUEST: 'invalid-request',
  BITPLAN_ERR_PAYLOAD_TOO_LARGE: 'payload-too-large',
  BITPLAN_ERR_NOT_FOUND: 'not-found',
};

export const POOL_ERROR_PROBLEM: Record<PoolErrorReason, ProblemKind> = {
  overloaded: 'overloaded',
  'shutting-down': 'overloaded',
  overrun: 'overloaded',
  'out-of-memory': 'too-large-to-solve',
};

export class HttpProblem extends Error {
  constructor(
    readonly kind: ProblemKind,
    readonly detail: string,
    readonly extra: Partial<Pick<ProblemDetails, 'errors' | 'errorsTotal' | 'budgets'>> = {},
  ) {
    super(detail);
  }
}

/** A service error as a problem: its kind, message and (for a 400) the fields listed and counted. */
export function serviceProblem(error: ServiceError): HttpProblem {
  const fields = error.issues.length > 0 ? { errors: error.issues, errorsTotal: error.issuesTotal } : {};
  return new HttpProblem(SERVICE_ERROR_PROBLEM[error.code], error.message, fields);
}

/** A 400 naming invalid fields (at most ISSUES_LISTED_MAX of them, with the total). */
export function invalidRequest(errors: FieldIssue[]): HttpProblem {
  return serviceProblem(invalidRequestError(errors));
}

export function sendProblem(request: FastifyRequest, reply: FastifyReply, problem: HttpProblem): FastifyReply {
  const kind = PROBLEM_KINDS[problem.kind];
  if (kind.status === 503) reply.header('retry-after', String(RETRY_AFTER_SECONDS));
  const body: ProblemDetails = {
    type: `/problems/${problem.kind}`,
    title: kind.title,
    status: kind.status,
    detail: problem.detail,
    instance: request.url.split('?')[0],
    requestId: String(request.id),
    ...problem.extra,
  };
  return reply.status(kind.status).type('application/problem+json').send(body);
}
