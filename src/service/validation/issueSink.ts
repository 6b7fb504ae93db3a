import { aggregateIssues, fillTemplate, invalidFieldsSummary, type FieldIssue } from '../../core/index.js';
import { ServiceError, SERVICE_ERRORS } from '../errors.js';

/** Validation stops once it has found this many invalid fields. */
export const ISSUES_COUNTED_MAX = 1000;
/** An answer lists at most this many of them (errorsTotal says how many were found). */
export const ISSUES_LISTED_MAX = 100;

/**
 * Collects a request's invalid fields up to ISSUES_COUNTED_MAX. Validation asks `full` between
 * steps and stops there, so a body of a million bad layers costs as much as one of a thousand,
 * and the answer stays small.
 */
export class IssueSink {
  /** Every counted field, so that fields sharing a message are answered as one entry. */
  readonly issues: FieldIssue[] = [];

  add(issue: FieldIssue): void {
    if (!this.full) this.issues.push(issue);
  }

  get full(): boolean {
    return this.issues.length >= ISSUES_COUNTED_MAX;
  }

  /** Throws the 400 when anything was collected. */
  throwIfAny(): void {
    if (this.issues.length > 0) throw invalidRequest(this.issues, this.full);
  }
}

/**
 * A 400 naming the invalid fields (`stopped`: validation stopped counting at them): the same
 * message once with its first path and how many share it, the first ISSUES_LISTED_MAX of those.
 */
export function invalidRequest(issues: FieldIssue[], stopped = false): ServiceError {
  const total = issues.length;
  const grouped = aggregateIssues(issues);
  const listed = grouped.slice(0, ISSUES_LISTED_MAX);
  const message = fillTemplate(SERVICE_ERRORS.BITPLAN_ERR_INVALID_REQUEST, [invalidFieldsSummary(listed, total, stopped ? total : Infinity, grouped.length)]);
  return new ServiceError('BITPLAN_ERR_INVALID_REQUEST', message, listed, total);
}
