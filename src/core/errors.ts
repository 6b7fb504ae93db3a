/**
 * The core's error catalogue, in the spirit of Fastify's lib/errors.js: every failure the core
 * can report is one code with one message template (%s filled in order). src/http maps each code
 * to a status and a problem type, the CLI to an exit code.
 */
export const CORE_ERRORS = {
  /** The request is well-formed JSON of the right shape but contradicts itself (unknown layer, bad pin, ...): issues lists the fields. */
  BITPLAN_ERR_INVALID_INPUT: '%s',
  /** No assignment meets every budget: budgets lists each limit and the least value it could reach. */
  BITPLAN_ERR_INFEASIBLE: 'no assignment meets every budget: %s',
  /** The solver stopped at its time limit before finding any assignment that passes verification. */
  BITPLAN_ERR_NO_SOLUTION_IN_TIME: 'the %s solver found no assignment within timeLimitMs=%s; raise solver.timeLimitMs or loosen the budgets',
  /** A solver returned an assignment that failed verification: a bug, never a plan. */
  BITPLAN_ERR_SOLVER_ANSWER_REJECTED: 'solver answer rejected: %s',
  /** An all-points frontier that did not finish within its time limit. */
  BITPLAN_ERR_FRONTIER_TOO_SLOW:
    'the all-points frontier did not finish within solver.timeLimitMs=%s ms (%s of %s items enumerated, %s Pareto-optimal partial plans so far); lower maxPoints, raise the time limit, or ask for evenly spaced budgets with all=false',
  /** An `all` frontier has more Pareto-optimal points than the request's cap. */
  BITPLAN_ERR_FRONTIER_TOO_LARGE:
    'the exact frontier has more than maxPoints=%s Pareto-optimal points (a partial frontier reached %s); raise maxPoints (up to 100000) or ask for evenly spaced budgets with all=false',
  /** Every budget of a plan holds for any assignment (relative, over a range of no width): nothing would decide the plan. */
  BITPLAN_ERR_BUDGETS_DECIDE_NOTHING: '%s',
  /** A plan the requested export cannot express, or whose reader would refuse it: issues names the layers and why. */
  BITPLAN_ERR_NOT_EXPORTABLE: 'the plan cannot be exported as format=%s: %s%s',
} as const;
export type CoreErrorCode = keyof typeof CORE_ERRORS;

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

/** A template with each %s replaced by the next value (the catalogues' message format). */
export function fillTemplate(template: string, values: readonly (string | number)[]): string {
  let next = 0;
  return template.replace(/%s/g, () => String(values[next++] ?? ''));
}

/** The error of `code`, its message from the catalogue's template. */
export function coreError(code: CoreErrorCode, values: readonly (string | number)[], details: { issues?: FieldIssue[]; budgets?: UnreachableBudget[] } = {}): CoreError {
  return new CoreError(code, fillTemplate(CORE_ERRORS[code], values), details.issues, details.budgets);
}

/**
 * "3 fields are invalid; first: path: message": how every layer summarises invalid fields.
 * `total` counts them all when only the first are listed; `stoppedAt` is where counting stops.
 */
export function invalidFieldsSummary(listed: readonly FieldIssue[], total = listed.length, stoppedAt = Infinity, distinct = total): string {
  const count = total >= stoppedAt ? `at least ${total} fields are invalid (validation stops there)` : total === 1 ? '1 field is invalid' : `${total} fields are invalid`;
  const kinds = distinct < total ? ` (${distinct} distinct ${distinct === 1 ? 'problem' : 'problems'})` : '';
  const shown = (distinct < total ? distinct : total) > listed.length ? `; the first ${listed.length} are listed` : '';
  const first = listed[0];
  return first ? `${count}${kinds}${shown}; first: ${first.path}: ${first.message}` : count;
}

/**
 * Issues with the same message (one per layer of a seed without candidates: 45,034 on
 * DeepSeek-V3) as one entry when GROUPED_FROM or more share it: the first path, and how many
 * more share it with the next few. Entries keep the order of each message's first field.
 */
export function aggregateIssues(issues: readonly FieldIssue[]): FieldIssue[] {
  const byMessage = new Map<string, string[]>();
  for (const issue of issues) {
    const paths = byMessage.get(issue.message);
    if (paths) paths.push(issue.path);
    else byMessage.set(issue.message, [issue.path]);
  }
  const out: FieldIssue[] = [];
  for (const [message, paths] of byMessage) {
    // A few fields sharing a message are each listed; more are one entry.
    if (paths.length <= GROUPED_FROM - 1) {
      for (const path of paths) out.push({ path, message });
      continue;
    }
    const more = paths.slice(1, 4).join(', ') + (paths.length > 4 ? ', ...' : '');
    out.push({ path: paths[0]!, message: `${message} (the same at ${paths.length - 1} more: ${more})` });
  }
  return out;
}

/** Fields sharing one message from which they are answered as one entry. */
const GROUPED_FROM = 4;

export function invalidInput(issues: FieldIssue[]): CoreError {
  return coreError('BITPLAN_ERR_INVALID_INPUT', [invalidFieldsSummary(aggregateIssues(issues), issues.length)], { issues });
}
