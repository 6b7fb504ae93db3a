import { z } from 'zod';
import { IssueSink } from './issueSink.js';
import { formatPath, valueAt } from './paths.js';
import { checkStructure, type BulkArray } from './structure.js';
import { fieldIssues } from './zodIssues.js';

/** A bulk array and the schema of its elements. */
export interface BulkField extends BulkArray {
  element: z.ZodType;
  /**
   * A faster check confirming an element `element` accepts unchanged and within the structure
   * caps (the element is then kept as it is); elements it does not confirm are walked and parsed.
   */
  acceptsUnchanged?: (element: unknown) => boolean;
}

/**
 * Parses a request body with `schema`, at a cost bounded whatever the body holds:
 * 1. checkStructure: caps on every array, object, string and depth (413 for a bulk array over
 *    its limit);
 * 2. each bulk array (the layers, the tie groups) element by element, stopping once
 *    ISSUES_COUNTED_MAX invalid fields are found: zod alone would collect every issue of a
 *    million bad layers before answering;
 * 3. the whole body with each bulk array cut to its first element, and the elements parsed in
 *    step 2 put back. The bulk arrays' schemas must therefore carry no refinement over the whole
 *    array (cross-layer checks belong to the core, which sees the model whole).
 * Throws a 400 listing at most ISSUES_LISTED_MAX fields, with the total found.
 */
export function parseBounded<T extends z.ZodType>(schema: T, bulk: readonly BulkField[], body: unknown): z.infer<T> {
  const sink = new IssueSink();
  // Elements the fast check confirms (valid and within the caps) skip both walks below.
  const confirmed = new Map<BulkField, Uint8Array>();
  for (const field of bulk) {
    const elements = valueAt(body, field.path);
    if (!field.acceptsUnchanged || !Array.isArray(elements) || elements.length > field.maxLength) continue;
    const flags = new Uint8Array(elements.length);
    for (let i = 0; i < elements.length; i++) flags[i] = field.acceptsUnchanged(elements[i]) ? 1 : 0;
    confirmed.set(field, flags);
  }
  checkStructure(body, bulk, sink, confirmed);
  sink.throwIfAny();

  const parsed = new Map<BulkField, unknown[]>();
  for (const field of bulk) {
    const elements = valueAt(body, field.path);
    if (!Array.isArray(elements) || elements.length <= 1) continue; // step 3 checks it as it is
    // In chunks: an array schema parses a chunk at half the cost of its elements one by one, and
    // the structure caps bound the issues one chunk can hold.
    const chunkSchema = chunkSchemaOf(field.element);
    const out: unknown[] = [];
    for (let from = 0; from < elements.length && !sink.full; from += BULK_CHUNK) {
      const chunk = elements.slice(from, from + BULK_CHUNK);
      const flags = confirmed.get(field)?.subarray(from, from + BULK_CHUNK);
      if (flags && flags.every((flag) => flag === 1)) {
        out.push(...chunk);
        continue;
      }
      const result = chunkSchema.safeParse(chunk);
      if (result.success) out.push(...result.data);
      else for (const issue of fieldIssues(result.error.issues.map((issue) => ({ ...issue, path: [Number(issue.path[0]) + from, ...issue.path.slice(1)] })), formatPath(field.path), chunkSchema, elements)) sink.add(issue);
    }
    parsed.set(field, out);
  }
  sink.throwIfAny();

  let shortened = body;
  for (const field of parsed.keys()) shortened = replaceAt(shortened, field.path, (valueAt(body, field.path) as unknown[]).slice(0, 1));
  const result = schema.safeParse(shortened);
  if (!result.success) {
    for (const issue of fieldIssues(result.error.issues, '', schema, shortened)) sink.add(issue);
    sink.throwIfAny();
  }
  let data: unknown = result.data;
  for (const [field, elements] of parsed) data = replaceAt(data, field.path, elements);
  return data as z.infer<T>;
}

/** Elements a bulk array is validated in at a time. */
const BULK_CHUNK = 256;
const chunkSchemas = new WeakMap<z.ZodType, z.ZodType<unknown[]>>();
function chunkSchemaOf(element: z.ZodType): z.ZodType<unknown[]> {
  let schema = chunkSchemas.get(element);
  if (!schema) chunkSchemas.set(element, (schema = z.array(element)));
  return schema;
}

/** A copy of `body` with the value at `path` replaced (shallow copies along the path only). */
function replaceAt(body: unknown, path: readonly string[], value: unknown): unknown {
  if (path.length === 0) return value;
  const node = body as Record<string, unknown>;
  const [key, ...rest] = path;
  return { ...node, [key!]: replaceAt(node[key!], rest, value) };
}
