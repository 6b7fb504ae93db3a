import type { z } from 'zod';
import { invalidRequest } from './problems.js';

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

/** Parses `input` with `schema`; throws a 400 problem naming every failing field. */
export function parseOrThrow<T extends z.ZodType>(schema: T, input: unknown, prefix = ''): z.infer<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw invalidRequest(
    result.error.issues.flatMap((issue) =>
      issue.code === 'unrecognized_keys'
        ? issue.keys.map((key) => ({
            path: formatPath([...issue.path, key], prefix),
            message: `unknown field "${key}"; the fields allowed here are in the schema at /openapi.json`,
          }))
        : [{ path: formatPath(issue.path, prefix), message: issueMessage(issue) }],
    ),
  );
}
