import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ProblemDetails } from '../contract/catalog.js';
import { fillTemplate, type CoreErrorCode, type FieldIssue } from '../core/index.js';
import type { ServiceErrorCode } from '../service/errors.js';
import { invalidRequest as invalidRequestError } from '../service/validation/issueSink.js';

/** Seconds a client told 503 should wait before retrying. */
export const RETRY_AFTER_SECONDS = 2;

/**
 * The HTTP layer's problem catalogue (RFC 9457): each kind a stable slug, a status, a title, what
 * it means and an example detail. `type` is `/problems/<slug>`, which GET /problems/<slug>
 * documents; the OpenAPI document lists every kind under the routes that answer it.
 */
export const PROBLEM_KINDS = {
  'invalid-request': { status: 400, title: 'Invalid request', about: 'The body or a parameter is malformed or contradicts itself; errors lists each field with its path (four or more fields sharing one message as one entry naming how many; the first 100 entries; errorsTotal counts the fields).', example: '1 field is invalid; first: budgets[0].fraction: a fraction is relative, from 0 (the cheapest plan) to 1 (the most expensive); for an absolute limit of 4 give max instead: {"metric": "avgBits", "max": 4} (CLI: --budget avgBits<=4)' },
  unauthorized: { status: 401, title: 'Unauthorized', about: 'The service requires a bearer token (API_TOKENS) and the request carried none, or one it does not know; send Authorization: Bearer <token>. /healthz, /docs, /openapi.json and /problems need none.', example: 'this service requires Authorization: Bearer <token>; the request carried none' },
  forbidden: { status: 403, title: 'Forbidden', about: 'The path leaves the documentation\'s files (a .. segment under /docs); the Swagger UI is at /docs.', example: "the path leaves the documentation's files (a .. segment); the Swagger UI is at /docs" },
  'not-found': { status: 404, title: 'Not found', about: 'No seed, hardware profile or route by that name; the detail says where to list what exists.', example: 'no seed named "resnet19"; GET /v1/seeds lists them (resnet18-hawq-v3, resnet50-hawq-v3, ...)' },
  'method-not-allowed': { status: 405, title: 'Method not allowed', about: 'The route exists with another method; the Allow header lists them.', example: 'GET /v1/plans is not allowed; /v1/plans takes POST' },
  'not-acceptable': { status: 406, title: 'Not acceptable', about: 'The Accept header names no representation this route has.', example: 'Accept: application/xml matches none of application/json, text/csv, image/svg+xml' },
  'payload-too-large': { status: 413, title: 'Payload too large', about: 'The body exceeds a configured limit: BODY_LIMIT_BYTES, MAX_LAYERS, or more JSON values than such a model holds.', example: '"layers" has 150000 entries; this service takes at most MAX_LAYERS=100000' },
  'request-timeout': { status: 408, title: 'Request timeout', about: 'The request (headers and body) did not arrive within REQUEST_TIMEOUT_MS (headers within HEADERS_TIMEOUT_MS); the connection is closed. Send the whole body at once.', example: 'the request did not arrive within REQUEST_TIMEOUT_MS=30000 ms; send the whole body at once' },
  'header-fields-too-large': { status: 431, title: 'Request header fields too large', about: 'The request line and headers exceed the server\'s header size limit (Node\'s --max-http-header-size, 16 KiB by default); a URL carries no request data here, so shorten the headers.', example: 'the request line and headers exceed the header size limit (16 KiB); shorten them' },
  'uri-too-long': { status: 414, title: 'URI too long', about: 'A path segment (a seed, format or hardware name) is longer than the router takes; names are short ids that GET /v1/seeds and GET /v1/hardware list.', example: 'a path segment is longer than the 100 characters a name may have; seed, format and hardware names are short ids (GET /v1/seeds lists them)' },
  'unsupported-media-type': { status: 415, title: 'Unsupported media type', about: 'Send the body as application/json, uncompressed.', example: 'Content-Type "text/plain" is not accepted; send Content-Type: application/json' },
  'too-many-requests': { status: 429, title: 'Too many requests', about: 'The client (its token, else its address) sent more than RATE_LIMIT_PER_MINUTE requests in a minute; retry after the Retry-After seconds.', example: 'more than 600 requests in a minute from this client (RATE_LIMIT_PER_MINUTE); retry after 12 s' },
  infeasible: { status: 422, title: 'Infeasible', about: 'No assignment meets every budget; budgets lists each limit and the least value it could reach.', example: 'no assignment meets every budget: sizeBytes limit 1000000 is below the least reachable 6100160' },
  'no-solution-in-time': { status: 422, title: 'No solution within the time limit', about: 'The solver stopped at solver.timeLimitMs before finding any verified assignment.', example: 'the mckp solver found no assignment within timeLimitMs=10; raise solver.timeLimitMs or loosen the budgets' },
  'frontier-too-large': { status: 422, title: 'Frontier too large', about: 'An all-points frontier has more points than maxPoints, or did not finish within its time limit; raise them or ask for evenly spaced budgets.', example: 'the exact frontier has more than maxPoints=100 Pareto-optimal points (a partial frontier reached 131); raise maxPoints (up to 100000) or ask for evenly spaced budgets with all=false' },
  'budgets-decide-nothing': { status: 422, title: 'Budgets decide nothing', about: 'Every budget is relative (a fraction) over a range of no width: the allowed candidates do not differ in its metric, so it holds for any plan and the plan would simply be the most precise one. errors names each budget; widen the candidates or give an absolute max.', example: 'budget bops fraction 0.25: every allowed assignment has bops 116100694016 (the layers\' candidates do not differ in it), so it holds for any plan; widen the candidates or give an absolute max' },
  'not-exportable': { status: 422, title: 'Not exportable', about: 'The plan was made, but the requested ?format= cannot express it, or the runtime that reads that file would refuse it (layers it fuses planned apart, formats its reader has no scheme for); errors names the layers and why. Plan with "target" to keep every layer to what the runtime runs.', example: 'the plan cannot be exported as format=modelopt: vLLM (modelopt): {model.layers.0.self_attn.q_proj, model.layers.0.self_attn.k_proj, model.layers.0.self_attn.v_proj}: vLLM fuses them (projections) and takes one format for the fused module, but the plan gives them nvfp4/nvfp4, fp8-e4m3/fp8-e4m3' },
  'too-large-to-solve': { status: 422, title: 'Too large to solve', about: 'Solving the request needed more memory than a solver thread may use (SOLVER_THREAD_MEMORY_MB); plan a smaller model, fewer candidates or fewer frontier points.', example: 'the request needed more memory than a solver thread may use (SOLVER_THREAD_MEMORY_MB=2048); plan a smaller model, fewer candidates or fewer frontier points' },
  overloaded: { status: 503, title: 'Overloaded', about: 'Every solver thread is busy and the queue is full, the service is shutting down, or a solve overran its time limit; retry after the Retry-After seconds.', example: 'all 2 solver threads are busy and 64 requests are waiting (MAX_QUEUE); retry after the Retry-After seconds' },
  internal: { status: 500, title: 'Internal error', about: 'A bug in bitplan; the request id finds it in the logs.', example: 'unexpected error; quote request id 8c1f... when reporting it' },
} as const;
export type ProblemKind = keyof typeof PROBLEM_KINDS;

/**
 * Kinds answered at the edge before any route runs: on the connection (clientErrors.ts), by
 * the access checks (access.ts) or by the router and the documentation's file server (a path
 * segment too long, a path out of /docs), so no operation lists them.
 */
export const EDGE_KINDS: readonly ProblemKind[] = ['request-timeout', 'header-fields-too-large', 'unauthorized', 'too-many-requests', 'forbidden', 'uri-too-long'];

/** The problem kind of every core and service error code. */
export const PROBLEM_OF_CODE: Record<CoreErrorCode | ServiceErrorCode, ProblemKind> = {
  BITPLAN_ERR_INVALID_INPUT: 'invalid-request',
  BITPLAN_ERR_INFEASIBLE: 'infeasible',
  BITPLAN_ERR_NO_SOLUTION_IN_TIME: 'no-solution-in-time',
  BITPLAN_ERR_SOLVER_ANSWER_REJECTED: 'internal',
  BITPLAN_ERR_FRONTIER_TOO_LARGE: 'frontier-too-large',
  BITPLAN_ERR_FRONTIER_TOO_SLOW: 'frontier-too-large',
  BITPLAN_ERR_NOT_EXPORTABLE: 'not-exportable',
  BITPLAN_ERR_BUDGETS_DECIDE_NOTHING: 'budgets-decide-nothing',
  BITPLAN_ERR_INVALID_REQUEST: 'invalid-request',
  BITPLAN_ERR_PAYLOAD_TOO_LARGE: 'payload-too-large',
  BITPLAN_ERR_UNKNOWN_SEED: 'not-found',
  BITPLAN_ERR_UNKNOWN_HARDWARE: 'not-found',
  BITPLAN_ERR_OVERLOADED: 'overloaded',
  BITPLAN_ERR_SHUTTING_DOWN: 'overloaded',
  BITPLAN_ERR_WARMING_UP: 'overloaded',
  BITPLAN_ERR_OVERRUN: 'overloaded',
  BITPLAN_ERR_OUT_OF_MEMORY: 'too-large-to-solve',
};

/** The errors only the HTTP edge raises: each its kind and message template. */
export const HTTP_ERRORS = {
  BITPLAN_ERR_ROUTE_NOT_FOUND: { kind: 'not-found', template: 'no route %s %s; the API is described at /docs and /openapi.json' },
  BITPLAN_ERR_UNKNOWN_PROBLEM: { kind: 'not-found', template: 'no problem type "%s"; known: %s' },
  BITPLAN_ERR_METHOD_NOT_ALLOWED: { kind: 'method-not-allowed', template: '%s %s is not allowed; %s takes %s' },
  BITPLAN_ERR_NOT_ACCEPTABLE: { kind: 'not-acceptable', template: 'Accept: %s matches none of %s' },
  BITPLAN_ERR_UNSUPPORTED_MEDIA_TYPE: { kind: 'unsupported-media-type', template: '%s; send Content-Type: application/json' },
  BITPLAN_ERR_CONTENT_ENCODING: { kind: 'unsupported-media-type', template: 'Content-Encoding: %s is not supported; send the body uncompressed (identity)' },
  BITPLAN_ERR_BODY_TOO_LARGE: { kind: 'payload-too-large', template: 'the body is larger than %s bytes; the limit is set by BODY_LIMIT_BYTES' },
  BITPLAN_ERR_INTERNAL: { kind: 'internal', template: 'unexpected error; quote request id %s when reporting it' },
  BITPLAN_ERR_REQUEST_TIMEOUT: { kind: 'request-timeout', template: 'the request did not arrive within REQUEST_TIMEOUT_MS=%s ms (headers: HEADERS_TIMEOUT_MS=%s ms); send the whole body at once' },
  BITPLAN_ERR_HEADERS_TOO_LARGE: { kind: 'header-fields-too-large', template: 'the request line and headers exceed the header size limit (16 KiB); shorten them' },
  BITPLAN_ERR_NO_TOKEN: { kind: 'unauthorized', template: 'this service requires Authorization: Bearer <token>; the request carried none' },
  BITPLAN_ERR_BAD_TOKEN: { kind: 'unauthorized', template: 'the bearer token is not one this service accepts (API_TOKENS)' },
  BITPLAN_ERR_RATE_LIMITED: { kind: 'too-many-requests', template: 'more than %s requests in a minute from this client (RATE_LIMIT_PER_MINUTE); retry after %s s' },
  BITPLAN_ERR_PARAM_TOO_LONG: { kind: 'uri-too-long', template: 'a path segment is longer than the %s characters a name may have; seed, format and hardware names are short ids (GET /v1/seeds lists them)' },
  BITPLAN_ERR_PATH_OUTSIDE_DOCS: { kind: 'forbidden', template: "the path leaves the documentation's files (a .. segment); the Swagger UI is at /docs" },
  BITPLAN_ERR_MALFORMED_HTTP: { kind: 'invalid-request', template: 'the bytes received are not a well-formed HTTP/1.1 request' },
} as const satisfies Record<string, { kind: ProblemKind; template: string }>;
export type HttpErrorCode = keyof typeof HTTP_ERRORS;

type ProblemExtra = Partial<Pick<ProblemDetails, 'errors' | 'errorsTotal' | 'budgets'>>;

/** A problem to answer: its kind, the detail and, for some kinds, the fields or budgets. */
export class HttpProblem extends Error {
  constructor(
    readonly kind: ProblemKind,
    readonly detail: string,
    readonly extra: ProblemExtra = {},
  ) {
    super(detail);
  }
}

/** The HTTP edge's own error of `code`, its detail from the catalogue's template. */
export function httpProblem(code: HttpErrorCode, values: readonly (string | number)[]): HttpProblem {
  return new HttpProblem(HTTP_ERRORS[code].kind, fillTemplate(HTTP_ERRORS[code].template, values));
}

/** A core or service error as a problem: its kind, message and the fields or budgets it carries. */
export function problemOf(error: { code: CoreErrorCode | ServiceErrorCode; message: string; issues: FieldIssue[]; issuesTotal?: number; budgets?: ProblemDetails['budgets'] }): HttpProblem {
  // The service's 400 is already grouped, listed and counted (issueSink.ts).
  if (error.code === 'BITPLAN_ERR_INVALID_REQUEST' && error.issues.length > 0) {
    return new HttpProblem('invalid-request', error.message, { errors: error.issues, errorsTotal: error.issuesTotal ?? error.issues.length });
  }
  if (error.issues.length > 0) {
    const invalid = invalidRequestError(error.issues);
    // An input error reads "N fields are invalid; ..."; other kinds keep their own message (an export names what its reader refuses).
    const detail = error.code === 'BITPLAN_ERR_INVALID_INPUT' ? invalid.message : error.message;
    return new HttpProblem(PROBLEM_OF_CODE[error.code], detail, { errors: invalid.issues, errorsTotal: invalid.issuesTotal });
  }
  return new HttpProblem(PROBLEM_OF_CODE[error.code], error.message, error.budgets && error.budgets.length > 0 ? { budgets: error.budgets } : {});
}

/** A 400 naming invalid fields (at most ISSUES_LISTED_MAX of them, with the total). */
export function invalidRequest(errors: FieldIssue[]): HttpProblem {
  const invalid = invalidRequestError(errors);
  return new HttpProblem('invalid-request', invalid.message, { errors: invalid.issues, errorsTotal: invalid.issuesTotal });
}

/** The body of a problem answer (also the OpenAPI examples, with `detail` the kind's example). */
export function problemBody(kind: ProblemKind, detail: string, instance: string, requestId: string, extra: ProblemExtra = {}): ProblemDetails {
  const { status, title } = PROBLEM_KINDS[kind];
  return { type: `/problems/${kind}`, title, status, detail, instance, requestId, ...extra };
}

export function sendProblem(request: FastifyRequest, reply: FastifyReply, problem: HttpProblem): FastifyReply {
  const { status } = PROBLEM_KINDS[problem.kind];
  if (status === 503) reply.header('retry-after', String(RETRY_AFTER_SECONDS));
  if (status === 401) reply.header('www-authenticate', 'Bearer realm="bitplan"');
  return reply
    .status(status)
    .type('application/problem+json')
    .send(problemBody(problem.kind, problem.detail, request.url.split('?')[0]!, String(request.id), problem.extra));
}
