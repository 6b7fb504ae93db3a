/** Solver backends a request may name; `auto` picks one. */
export const SOLVER_BACKENDS = ['auto', 'lp-solver'] as const;
export type SolverBackendName = (typeof SOLVER_BACKENDS)[number];
