import type { FieldIssue } from '../core/index.js';

/**
 * The service layer's error catalogue: what can go wrong between a request arriving and the core
 * being called. src/http maps each code to a status and a problem type; the CLI to an exit code.
 */
export type ServiceErrorCode =
  /** The body or a parameter is malformed; `issues` lists the fields. */
  | 'BITPLAN_ERR_INVALID_REQUEST'
  /** The body is larger than a configured limit (bytes, layers, JSON values). */
  | 'BITPLAN_ERR_PAYLOAD_TOO_LARGE'
  /** No seed or hardware profile by that name. */
  | 'BITPLAN_ERR_NOT_FOUND';

export class ServiceError extends Error {
  constructor(
    readonly code: ServiceErrorCode,
    message: string,
    readonly issues: FieldIssue[] = [],
    /** How many issues were found; `issues` lists the first of them. */
    readonly issuesTotal = issues.length,
  ) {
    super(message);
    this.name = 'ServiceError';
  }
}

export function payloadTooLarge(message: string): ServiceError {
  return new ServiceError('BITPLAN_ERR_PAYLOAD_TOO_LARGE', message);
}

export function notFound(message: string): ServiceError {
  return new ServiceError('BITPLAN_ERR_NOT_FOUND', message);
}
