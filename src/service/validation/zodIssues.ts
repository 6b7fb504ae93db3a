import type { z } from 'zod';
import type { FieldIssue } from '../../core/index.js';
import { formatPath, valueAt } from './paths.js';

function issueMessage(issue: z.core.$ZodIssue, missing: boolean): string {
  if (issue.code === 'invalid_union') {
    const inner = issue.errors.flat().map((sub) => `${formatPath(sub.path)}: ${sub.message}`);
    return `${missing ? 'required' : issue.message}; none of the alternatives matches (${inner.slice(0, 4).join('; ')})`;
  }
  // zod says "Invalid input" / "Invalid option" of a field that is not there at all.
  if (missing && (issue.code === 'invalid_type' || issue.code === 'invalid_value')) {
    return `required: ${issue.message.replace(/^Invalid (input|option): /, '').replace(/, received undefined$/, '')}`;
  }
  return issue.message;
}

/** The field names an object schema allows at `path` (through arrays, optionals, unions), if one is there. */
function allowedKeysAt(schema: z.ZodType | undefined, path: readonly PropertyKey[]): string[] | undefined {
  let at = schema as { _zod: { def: Record<string, unknown> } } | undefined;
  const unwrap = () => {
    for (let depth = 0; at && depth < 16; depth++) {
      const def = at._zod.def;
      if (['optional', 'nullable', 'default', 'prefault', 'readonly', 'catch', 'nonoptional'].includes(def.type as string)) at = def.innerType as typeof at;
      else if (def.type === 'pipe') at = def.in as typeof at;
      else if (def.type === 'lazy') at = (def.getter as () => typeof at)();
      else return;
    }
  };
  for (let n = 0; n < path.length; n++) {
    const key = path[n]!;
    unwrap();
    if (!at) return undefined;
    const def = at._zod.def;
    if (def.type === 'object') at = (def.shape as Record<string, typeof at>)[String(key)];
    else if (def.type === 'array') at = def.element as typeof at;
    else if (def.type === 'record') at = def.valueType as typeof at;
    else if (def.type === 'tuple') at = (def.items as (typeof at)[])[Number(key)];
    else if (def.type === 'union') return (def.options as z.ZodType[]).map((option) => allowedKeysAt(option, path.slice(n))).find(Boolean);
    else return undefined;
  }
  unwrap();
  if (at?._zod.def.type === 'union') return (at._zod.def.options as z.ZodType[]).flatMap((option) => allowedKeysAt(option, []) ?? []);
  return at?._zod.def.type === 'object' ? Object.keys(at._zod.def.shape as object) : undefined;
}

/** Edit distance, for a suggestion: `budgtes` is 2 from `budgets`. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length]!;
}

/** Unknown keys of one object that get a nearest-name suggestion, and the longest key measured: the edit distance is quadratic, and a body may hold 4,096 keys of 4,096 characters. */
const SUGGESTED_KEYS = 20;
const SUGGESTED_KEY_LENGTH = 64;

function unknownKeyMessage(key: string, allowed: string[] | undefined, suggest: boolean): string {
  if (!allowed || allowed.length === 0) return `unknown field "${key}"; the fields allowed here are in the schema at /openapi.json`;
  let close = '';
  if (suggest && key.length <= SUGGESTED_KEY_LENGTH) {
    const ranked = allowed.map((name) => ({ name, d: distance(key.toLowerCase(), name.toLowerCase()) })).sort((x, y) => x.d - y.d);
    if (ranked[0]!.d <= Math.max(2, Math.floor(key.length / 3))) close = `did you mean "${ranked[0]!.name}"? `;
  }
  return `unknown field "${key}"; ${close}the fields allowed here: ${allowed.join(', ')}`;
}

/**
 * zod's issues as field issues (an unknown key is one issue per key), paths under `prefix`. With
 * the schema, an unknown key names the nearest allowed one; with the input, a missing field is
 * "required".
 */
export function fieldIssues(issues: readonly z.core.$ZodIssue[], prefix = '', schema?: z.ZodType, input?: unknown): FieldIssue[] {
  return issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? ((allowed) => issue.keys.map((key, n) => ({ path: formatPath([...issue.path, key], prefix), message: unknownKeyMessage(key, allowed, n < SUGGESTED_KEYS) })))(allowedKeysAt(schema, issue.path))
      : [{ path: formatPath(issue.path, prefix), message: issueMessage(issue, input !== undefined && issue.path.length > 0 && valueAt(input, issue.path) === undefined) }],
  );
}
