import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

/**
 * Lowers the calling thread's scheduling priority to `nice` (SOLVER_THREAD_NICE): the event loop
 * (nice 0) then wins a core from the solvers whenever it has work, so /healthz and small requests
 * are answered while every thread solves (Linux gives nice 0 about three times the share of nice
 * 5, nine times that of nice 10). On Linux a nice value belongs to a thread, named by its id
 * (/proc/thread-self); elsewhere, or where it is refused, the thread keeps the process's priority
 * (a solve then only yields less readily, never answers otherwise).
 */
export function lowerThisThreadsPriority(nice: number): boolean {
  if (nice <= 0) return false;
  try {
    const threadId = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (!Number.isInteger(threadId) || threadId <= 0) return false;
    setPriority(threadId, nice);
    return true;
  } catch {
    return false;
  }
}
