/**
 * The core's error catalogue. Every failure the core can report is one of these codes; the HTTP
 * layer maps each code to a status and a problem type (src/http/problems.ts), the CLI to an exit code.
 */
export type CoreErrorCode =
  /** The request is well-formed JSON of the right shape but contradicts itself (unknown layer, bad pin, ...). */
  | 'BITPLAN_ERR_INVALID_INPUT'
  /** No assignment meets every budget. */
  | 'BITPLAN_ERR_INFEASIBLE'
  /** The solver stopped at its time limit before finding any assignment that passes verification. */
  | 'BITPLAN_ERR_NO_SOLUTION_IN_TIME'
  /** A solver returned an assignment that failed verification: a bug, never a plan. */
  | 'BITPLAN_ERR_SOLVER_ANSWER_REJECTED'
  /** An `all` frontier has more Pareto-optimal points than the request's cap. */
  | 'BITPLAN_ERR_FRONTIER_TOO_LARGE';

export interface FieldIssue {
  /** Path of the offending field, e.g. `model.layers[3].pin`. */
  path: string;
  message: string;
}

export interface UnreachableBudget {
  metric: string;
  limit: number;
  leastReachable: number;
}

export class CoreError extends Error {
  constructor(
    readonly code: CoreErrorCode,
    message: string,
    readonly issues: FieldIssue[] = [],
    readonly budgets: UnreachableBudget[] = [],
  ) {
    super(message);
    this.name = 'CoreError';
  }
}

export function invalidInput(issues: FieldIssue[]): CoreError {
  const count = issues.length === 1 ? '1 field is invalid' : `${issues.length} fields are invalid`;
  const first = issues[0];
  return new CoreError('BITPLAN_ERR_INVALID_INPUT', first ? `${count}: ${first.path}: ${first.message}` : count, issues);
}
