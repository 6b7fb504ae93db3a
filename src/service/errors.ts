import { fillTemplate, type FieldIssue } from '../core/index.js';

/**
 * The service layer's error catalogue: what can go wrong between a request arriving and the core
 * answering it, including the solver runner's refusals. Each code has one message template (%s
 * filled in order); src/http maps each code to a status and a problem type, the CLI to an exit code.
 */
export const SERVICE_ERRORS = {
  /** The body or a parameter is malformed: issues lists the fields. */
  BITPLAN_ERR_INVALID_REQUEST: '%s',
  /** The body is larger than a configured limit (bytes, layers, JSON values). */
  BITPLAN_ERR_PAYLOAD_TOO_LARGE: '%s',
  BITPLAN_ERR_UNKNOWN_SEED: 'no seed named "%s"; GET /v1/seeds lists them (%s)',
  BITPLAN_ERR_UNKNOWN_HARDWARE: 'no hardware profile "%s"; GET /v1/hardware lists them (%s), or pass an inline HardwareProfile',
  /** Every solver thread is busy and the queue is full. */
  BITPLAN_ERR_OVERLOADED: 'all %s solver threads are busy and %s requests are waiting (MAX_QUEUE); retry after the Retry-After seconds',
  BITPLAN_ERR_SHUTTING_DOWN: 'the service is shutting down; retry on another instance',
  /** GET /readyz while the solver threads make their start-up plans (SOLVER_WARM_UP). */
  BITPLAN_ERR_WARMING_UP: 'the solver threads are still making their start-up plans (SOLVER_WARM_UP, a few seconds); requests are answered meanwhile, the first large ones slower',
  /** A solve outlived its time limit by the grace period; its thread was replaced. */
  BITPLAN_ERR_OVERRUN: 'the solve outlived its time limit by more than %s ms and was stopped; retry with a smaller model or a looser relativeGap',
  /** A solve needed more memory than a solver thread may use. */
  BITPLAN_ERR_OUT_OF_MEMORY: 'the request needed more memory than a solver thread may use (SOLVER_THREAD_MEMORY_MB=%s); plan a smaller model, fewer candidates or fewer frontier points',
} as const;
export type ServiceErrorCode = keyof typeof SERVICE_ERRORS;

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

/** The error of `code`, its message from the catalogue's template. */
export function serviceError(code: ServiceErrorCode, values: readonly (string | number)[] = []): ServiceError {
  return new ServiceError(code, fillTemplate(SERVICE_ERRORS[code], values));
}

export function payloadTooLarge(message: string): ServiceError {
  return serviceError('BITPLAN_ERR_PAYLOAD_TOO_LARGE', [message]);
}
