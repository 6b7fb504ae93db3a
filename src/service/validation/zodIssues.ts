import type { z } from 'zod';
import type { FieldIssue } from '../../core/index.js';

/** `budgets[0].fraction` from zod's ['budgets', 0, 'fraction']. */
export function formatPath(path: readonly PropertyKey[], prefix = ''): string {
  let out = prefix;
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_$][\w$]*$/.test(key)) out += out ? `.${key}` : key;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out || '(body)';
}

function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_union') {
    const inner = issue.errors.flat().map((sub) => `${formatPath(sub.path)}: ${sub.message}`);
    return `${issue.message}; none of the alternatives matches (${inner.slice(0, 4).join('; ')})`;
  }
  return issue.message;
}

/** zod's issues as field issues (an unknown key is one issue per key), paths under `prefix`. */
export function fieldIssues(issues: readonly z.core.$ZodIssue[], prefix = ''): FieldIssue[] {
  return issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({
          path: formatPath([...issue.path, key], prefix),
          message: `unknown field "${key}"; the fields allowed here are in the schema at /openapi.json`,
        }))
      : [{ path: formatPath(issue.path, prefix), message: issueMessage(issue) }],
  );
}
