/** Solver backends a request may name; `auto` picks `mckp`, ours. */
export const SOLVER_BACKENDS = ['auto', 'mckp', 'lp-solver'] as const;
export type SolverBackendName = (typeof SOLVER_BACKENDS)[number];
