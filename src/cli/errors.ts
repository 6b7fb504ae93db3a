import { CoreError, type FieldIssue } from '../core/index.js';
import { ServiceError } from '../service/errors.js';

export const EXIT_PLAN = 0;
export const EXIT_ERROR = 1;
export const EXIT_INFEASIBLE = 2;

/** A failure the CLI reports on stderr, with the exit code a CI step reads. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

/** A problem+json body from a server. */
export interface ProblemBody {
  type?: string;
  detail?: string;
  errors?: FieldIssue[];
}

function withIssues(head: string, issues: FieldIssue[] = []): string {
  return [head, ...issues.map((issue) => `  ${formatPathForCli(issue.path)}: ${issue.message}`)].join('\n');
}

/** A server's problem as a CLI error: exit 2 for infeasible budgets, 1 otherwise. */
export function problemError(problem: ProblemBody, status: number): CliError {
  return new CliError(withIssues(`error ${status}: ${problem.detail ?? 'request failed'}`, problem.errors), problem.type === '/problems/infeasible' ? EXIT_INFEASIBLE : EXIT_ERROR);
}

/** An error of the in-process pipeline as a CLI error (others pass through). */
export function localError(error: unknown): unknown {
  if (error instanceof CoreError) return new CliError(withIssues(`error: ${error.message}`, error.issues), error.code === 'BITPLAN_ERR_INFEASIBLE' ? EXIT_INFEASIBLE : EXIT_ERROR);
  if (error instanceof ServiceError) return new CliError(withIssues(`error: ${error.message}`, error.issues), EXIT_ERROR);
  return error;
}

/**
 * A message in the user's words: `--budget #2` (and a request path `budgets[1]...` in a
 * detail) as the second --budget was written, e.g. `--budget avgBits:4`.
 */
export function inUserTerms(message: string, budgetTexts: readonly string[]): string {
  const written = (k: number) => (budgetTexts[k] !== undefined ? `--budget ${budgetTexts[k]}` : undefined);
  return message
    .replace(/--budget #(\d+)(\.(fraction|max|metric))?/g, (all, n: string) => written(Number(n) - 1) ?? all)
    .replace(/\bbudgets\[(\d+)\](\.(fraction|max|metric))?/g, (all, n: string) => written(Number(n)) ?? all);
}

/** Request paths in CLI terms: `budgets[0].max` is the first --budget. */
export function formatPathForCli(path: string): string {
  return path.replace(/^budgets[.[](\d+)\]?/, (_, k: string) => `--budget #${Number(k) + 1}`);
}
