/**
 * The multiple-choice problem every backend solves:
 *
 *   minimize   sum_i cost[i][choice_i]
 *   subject to sum_i weights[i][choice_i][k] <= capacities[k]   for every row k
 *              exactly one choice per item
 *
 * Ties and pins are already folded in (tied layers are one item; pinned layers are constants
 * subtracted from the capacities), so a backend sees only free decisions.
 */
export interface ChoiceInstance {
  items: { options: { cost: number; weights: number[] }[] }[];
  capacities: number[];
  /** Pairwise objective terms (measured interactions between two items' choices); none when absent. */
  pairs?: PairTerm[];
}

/**
 * An objective term of two items together: cost[j * (options of b) + k] is added when item a
 * takes option j and item b option k (a != b).
 */
export interface PairTerm {
  a: number;
  b: number;
  cost: Float64Array;
}

export type SolveStatus = 'optimal' | 'feasible' | 'infeasible' | 'time-limit';

/**
 * What a backend reports. `choice` is present for optimal and feasible (one option index per
 * item); `bound` is a proven lower bound on the objective when the backend has one.
 */
/** Why a search stopped before proving its answer optimal. */
export type StopReason = 'time-limit' | 'memory-limit' | 'node-limit';

export interface SolveOutcome {
  status: SolveStatus;
  /** For a feasible (unproven) answer, or time-limit: what stopped the search. */
  stoppedBy?: StopReason;
  choice?: number[];
  objective?: number;
  bound?: number;
  nodes: number;
  /**
   * With SolveLimits.alternatives > 1: the best distinct plans found, best first (the first is
   * `choice`); when the status is optimal they are exactly the k best.
   */
  alternatives?: { choice: number[]; objective: number }[];
}

/** Milliseconds from an arbitrary origin; the shell passes the clock in, so the core stays pure. */
export interface Clock {
  now: () => number;
}

export interface SolveLimits {
  timeLimitMs: number;
  relativeGap: number;
  /** How many of the best distinct plans to find (default 1). */
  alternatives?: number;
  /**
   * Only plans costing less than this matter (a caller's incumbent, e.g. a branch and bound over
   * pair terms): the search may stop once it proves there is none, and then answers infeasible.
   * Honoured by mckp without pair terms; others ignore it.
   */
  cutoff?: number;
  /** Milliseconds from an arbitrary origin; the shell passes the clock in, so the core stays pure. */
  now: () => number;
}

/** Capacities are hard limits up to floating-point summation error: 1e-12 of the capacity. */
export const BUDGET_RELATIVE_TOLERANCE = 1e-12;

/** The most a row may hold: its capacity plus the summation tolerance (every check of a row uses this). */
export function capacityCeiling(capacity: number): number {
  return capacity + BUDGET_RELATIVE_TOLERANCE * Math.abs(capacity);
}

export function withinCapacity(used: number, capacity: number): boolean {
  return used <= capacityCeiling(capacity);
}

/** (value - bound) / |value|: how far a value may be above the optimum, relative to it. */
export function relativeGap(value: number, bound: number): number {
  return Math.max(0, (value - bound) / Math.max(Math.abs(value), Number.MIN_VALUE));
}
