import type { SolveResult, SolveTask } from './task.js';

/**
 * Where tasks are solved (src/worker's thread pool). src/http talks to this interface only. A
 * runner refuses with a ServiceError: BITPLAN_ERR_OVERLOADED, _SHUTTING_DOWN, _OVERRUN or
 * _OUT_OF_MEMORY.
 */
export interface TaskRunner {
  /**
   * Runs a task; heavy tasks never take the last free thread. When `signal` aborts (the client
   * went away), a queued task leaves the queue and a running one is stopped; the promise rejects.
   */
  run(task: SolveTask, timeLimitMs: number, heavy: boolean, signal?: AbortSignal): Promise<SolveResult>;
  /** Tasks running and waiting. */
  load(): { running: number; waiting: number };
  /** False while the threads started with a warm-up are still making it (GET /readyz answers 503 meanwhile). */
  ready(): boolean;
  /** Refuses new tasks, lets running and queued ones finish, then stops. */
  close(): Promise<void>;
  /**
   * Ends every running and queued task now, each rejected with BITPLAN_ERR_SHUTTING_DOWN (its
   * client gets a 503 to retry elsewhere): a shutdown's grace period is over.
   */
  abandon(): void;
}
