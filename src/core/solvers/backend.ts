/** Solver backends a request may name; `auto` picks `mckp`, ours. */
export const SOLVER_BACKENDS = ['auto', 'mckp', 'lp-solver'] as const;
export type SolverBackendName = (typeof SOLVER_BACKENDS)[number];

/** How a request asks to be solved. */
export interface SolverOptions {
  backend: SolverBackendName;
  /** Wall-clock limit of the solve in milliseconds. */
  timeLimitMs: number;
  /** Accepted relative gap between the answer and the proven bound (0: a proven optimum). */
  relativeGap: number;
}
