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
  readonly listed: FieldIssue[] = [];
  total = 0;

  add(issue: FieldIssue): void {
    if (this.full) return;
    this.total++;
    // Every counted field is kept, so that fields sharing a message are answered as one entry.
    this.listed.push(issue);
  }

  get full(): boolean {
    return this.total >= ISSUES_COUNTED_MAX;
  }

  /** Throws the 400 when anything was collected. */
  throwIfAny(): void {
    if (this.total > 0) throw invalidRequest(this.listed, this.total, this.full);
  }
}

/**
 * A 400 naming the invalid fields of `total` (`stopped`: validation stopped counting there): the
 * same message once with its first path and how many share it, the first ISSUES_LISTED_MAX of those.
 */
export function invalidRequest(issues: FieldIssue[], total = issues.length, stopped = false): ServiceError {
  const grouped = aggregateIssues(issues);
  const listed = grouped.slice(0, ISSUES_LISTED_MAX);
  const distinct = grouped.length + Math.max(0, total - issues.length) < total ? grouped.length + Math.max(0, total - issues.length) : total;
  const message = fillTemplate(SERVICE_ERRORS.BITPLAN_ERR_INVALID_REQUEST, [invalidFieldsSummary(listed, total, stopped ? total : Infinity, distinct)]);
  return new ServiceError('BITPLAN_ERR_INVALID_REQUEST', message, listed, total);
}
