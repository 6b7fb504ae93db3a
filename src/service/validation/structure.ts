import { NAME_MAX_LENGTH, TEXT_MAX_LENGTH } from '../../contract/doc.js';
import { payloadTooLarge } from '../errors.js';
import type { IssueSink } from './issueSink.js';
import { formatPath, valueAt } from './paths.js';

/** Elements of any array but the bulk ones (a layer's candidates, a tie group, budgets, ...). */
export const ARRAY_MAX_LENGTH = 4096;
/** Keys of any object (records keyed by candidate or format included). */
export const OBJECT_MAX_KEYS = 4096;
/** Nesting of objects and arrays; a request nests about 7 deep. */
export const MAX_DEPTH = 32;

/** An array that may be long, with the most elements it may have and what exceeding that means. */
export interface BulkArray {
  /** Path from the body, e.g. ['model', 'layers']. */
  path: readonly string[];
  maxLength: number;
  /** 'payload-too-large': a 413 at once (the model is too large); 'invalid': one issue. */
  tooLong: 'payload-too-large' | 'invalid';
  /** What the limit is called, for the message (MAX_LAYERS=100000). */
  limitName: string;
}

/**
 * Checks the shape of a parsed JSON body before any schema sees it, so that validation costs
 * stay bounded: every array, object, string and key within its cap, nothing deeper than
 * MAX_DEPTH, no `__proto__` key. A bulk array longer than its limit is a 413 at once. The walk
 * recurses at most MAX_DEPTH deep, so a deeply nested body cannot exhaust the stack. Stops when
 * the sink is full. `confirmed` flags elements of bulk arrays known to be within every cap.
 */
export function checkStructure(body: unknown, bulk: readonly BulkArray[], sink: IssueSink, confirmed?: ReadonlyMap<BulkArray, Uint8Array>): void {
  for (const b of bulk) {
    const value = valueAt(body, b.path);
    if (Array.isArray(value) && value.length > b.maxLength && b.tooLong === 'payload-too-large') {
      throw payloadTooLarge(`${formatPath(b.path)} has ${value.length} entries; this service takes at most ${b.limitName}=${b.maxLength}`);
    }
  }
  const path: (string | number)[] = [];
  const bulkHere = () => bulk.find((b) => b.path.length === path.length && b.path.every((key, i) => key === path[i]));
  const visit = (value: unknown): void => {
    if (sink.full) return;
    if (typeof value === 'string') {
      if (value.length > TEXT_MAX_LENGTH) sink.add({ path: formatPath(path), message: `${value.length} characters; at most ${TEXT_MAX_LENGTH}` });
      return;
    }
    if (value === null || typeof value !== 'object') return;
    if (path.length >= MAX_DEPTH) {
      sink.add({ path: formatPath(path), message: `nested deeper than ${MAX_DEPTH} levels; no field of a request nests that deep` });
      return;
    }
    if (Array.isArray(value)) {
      const bulkArray = bulkHere();
      const maxLength = bulkArray?.maxLength ?? ARRAY_MAX_LENGTH;
      if (value.length > maxLength) {
        sink.add({ path: formatPath(path), message: `${value.length} entries; at most ${bulkArray ? `${bulkArray.limitName}=` : ''}${maxLength}` });
        return;
      }
      // Elements of a bulk array already confirmed within every cap (boundedParse.ts) are not walked again.
      const skip = bulkArray && confirmed?.get(bulkArray);
      for (let i = 0; i < value.length && !sink.full; i++) {
        if (skip && skip[i]) continue;
        path.push(i);
        visit(value[i]);
        path.pop();
      }
      return;
    }
    const keys = Object.keys(value);
    if (keys.length > OBJECT_MAX_KEYS) {
      sink.add({ path: formatPath(path), message: `${keys.length} keys; at most ${OBJECT_MAX_KEYS}` });
      return;
    }
    for (const key of keys) {
      if (key === '__proto__' || key.length > NAME_MAX_LENGTH) {
        const shown = key.length > 40 ? `${key.slice(0, 40)}...` : key;
        sink.add({ path: formatPath(path), message: key === '__proto__' ? 'the key "__proto__" is not allowed' : `key "${shown}" has ${key.length} characters; at most ${NAME_MAX_LENGTH}` });
        continue;
      }
      path.push(key);
      visit((value as Record<string, unknown>)[key]);
      path.pop();
    }
  };
  visit(body);
}
