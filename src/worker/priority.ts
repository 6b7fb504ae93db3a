import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

/**
 * The nice value of a solver thread: the event loop (nice 0) then wins a core from the solvers
 * whenever it has work, so /healthz and small requests are answered while every thread solves
 * (the Linux scheduler gives nice 0 about nine times the share of nice 10).
 */
export const SOLVER_THREAD_NICE = 10;

/**
 * Lowers the calling thread's scheduling priority to SOLVER_THREAD_NICE. On Linux a nice value
 * belongs to a thread, named by its id (/proc/thread-self); elsewhere, or where it is refused, the
 * thread keeps the process's priority (a solve is then only slower to yield, never wrong).
 */
export function lowerThisThreadsPriority(): boolean {
  try {
    const threadId = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (!Number.isInteger(threadId) || threadId <= 0) return false;
    setPriority(threadId, SOLVER_THREAD_NICE);
    return true;
  } catch {
    return false;
  }
}
