import type { SolverBackendName } from './backend.js';
import type { ChoiceInstance, SolveLimits, SolveOutcome } from './instance.js';
import { solveWithLpSolver } from './lpSolver.js';

export interface BackendRun {
  backend: Exclude<SolverBackendName, 'auto'>;
  outcome: SolveOutcome;
  timeMs: number;
}

/** Runs the named backend (auto = the best available) on the instance. */
export function runBackend(name: SolverBackendName, instance: ChoiceInstance, limits: SolveLimits): BackendRun {
  const start = limits.now();
  if (instance.items.length === 0) {
    // Nothing to decide; every capacity check happens in verification.
    return { backend: 'lp-solver', outcome: { status: 'optimal', choice: [], nodes: 0 }, timeMs: limits.now() - start };
  }
  const backend = name === 'auto' ? 'lp-solver' : name;
  const outcome = solveWithLpSolver(instance, limits);
  return { backend, outcome, timeMs: limits.now() - start };
}
