import type { SolverBackendName } from './backend.js';
import { itemCount, type ChoiceInstance, type SolveLimits, type SolveOutcome } from './instance.js';
import { solveWithLpSolver } from './lpSolver.js';
import { solveWithMckp } from './mckp/solve.js';

export interface BackendRun {
  backend: Exclude<SolverBackendName, 'auto'>;
  outcome: SolveOutcome;
  timeMs: number;
}

const BACKENDS = { mckp: solveWithMckp, 'lp-solver': solveWithLpSolver } as const;

/** Runs the named backend (auto = mckp) on the instance. */
export function runBackend(name: SolverBackendName, instance: ChoiceInstance, limits: SolveLimits): BackendRun {
  const backend = name === 'auto' ? 'mckp' : name;
  const start = limits.now();
  // With nothing to decide there is nothing to solve; every capacity is checked in verification.
  const outcome: SolveOutcome =
    itemCount(instance) === 0
      ? { status: 'optimal', choice: [], objective: 0, bound: 0, nodes: 0, ...((limits.alternatives ?? 1) > 1 ? { alternatives: [{ choice: [], objective: 0 }] } : {}) }
      : BACKENDS[backend](instance, limits);
  return { backend, outcome, timeMs: limits.now() - start };
}
