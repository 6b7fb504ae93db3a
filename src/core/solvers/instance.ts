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
  /**
   * The same options in flat arrays, when the instance was built from them: a model of 45,000
   * layers then never builds an object per option unless a backend reads `items`.
   */
  columns?: OptionColumns;
}

/**
 * Options in flat arrays: item i owns options start[i] .. start[i+1]-1, option o costs cost[o]
 * and weighs weight[o * rows + k] in row k.
 */
export interface OptionColumns {
  start: Int32Array;
  cost: Float64Array;
  weight: Float64Array;
}

/** Number of items of an instance (without building its items from columns). */
export function itemCount(instance: ChoiceInstance): number {
  return instance.columns ? instance.columns.start.length - 1 : instance.items.length;
}

/** The instance's options in flat arrays: its own columns, or built from its items. */
export function optionColumns(instance: ChoiceInstance): OptionColumns {
  if (instance.columns) return instance.columns;
  const rows = instance.capacities.length;
  const start = new Int32Array(instance.items.length + 1);
  instance.items.forEach((item, i) => (start[i + 1] = start[i]! + item.options.length));
  const cost = new Float64Array(start[instance.items.length]!);
  const weight = new Float64Array(cost.length * rows);
  let o = 0;
  for (const item of instance.items) {
    for (const option of item.options) {
      cost[o] = option.cost;
      for (let k = 0; k < rows; k++) weight[o * rows + k] = option.weights[k]!;
      o++;
    }
  }
  return { start, cost, weight };
}

/**
 * A lower bound on every assignment's objective, rows ignored: each item's least option, where
 * a pair term counts, for item a's option j, as its least value over b's options (so a negative
 * term lowers the bound as far as it could lower any plan).
 */
export function budgetFreeBound(instance: ChoiceInstance): number {
  const { start, cost } = optionColumns(instance);
  const folded = Float64Array.from(cost);
  for (const pair of instance.pairs ?? []) {
    const width = start[pair.b + 1]! - start[pair.b]!;
    for (let j = 0; j < start[pair.a + 1]! - start[pair.a]!; j++) {
      let least = Infinity;
      for (let k = 0; k < width; k++) least = Math.min(least, pair.cost[j * width + k]!);
      folded[start[pair.a]! + j] = folded[start[pair.a]! + j]! + least;
    }
  }
  let total = 0;
  for (let i = 0; i + 1 < start.length; i++) {
    let least = Infinity;
    for (let o = start[i]!; o < start[i + 1]!; o++) least = Math.min(least, folded[o]!);
    total += least;
  }
  return total;
}

/** Items as objects from columns (for backends that read `items`). */
export function itemsOf(columns: OptionColumns, rows: number): ChoiceInstance['items'] {
  const { start, cost, weight } = columns;
  const items: ChoiceInstance['items'] = [];
  for (let i = 0; i + 1 < start.length; i++) {
    const options: ChoiceInstance['items'][number]['options'] = [];
    for (let o = start[i]!; o < start[i + 1]!; o++) options.push({ cost: cost[o]!, weights: Array.from(weight.subarray(o * rows, (o + 1) * rows)) });
    items.push({ options });
  }
  return items;
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
  /**
   * A plan costing at most this is enough (a feasibility search, see mckp/feasibility.ts): the
   * search answers the first it finds, as feasible, without proving it optimal. Honoured by mckp
   * without pair terms; others ignore it.
   */
  target?: number;
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
