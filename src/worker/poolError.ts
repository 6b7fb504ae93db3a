/** Why the solver pool could not run a task; src/http answers each with 503 or 422. */
export type PoolErrorReason =
  /** Every thread is busy and the queue is full. */
  | 'overloaded'
  /** The service is shutting down. */
  | 'shutting-down'
  /** The solve outlived its time limit by the grace period and its thread was replaced. */
  | 'overrun'
  /** The solve needed more memory than a solver thread may use (SOLVER_THREAD_MEMORY_MB). */
  | 'out-of-memory';

export class PoolError extends Error {
  constructor(
    readonly reason: PoolErrorReason,
    message: string,
  ) {
    super(message);
    this.name = 'PoolError';
  }
}
