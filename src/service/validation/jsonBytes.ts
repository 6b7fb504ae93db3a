import secureJson from 'secure-json-parse';
import { payloadTooLarge } from '../errors.js';
import { invalidRequest } from './issueSink.js';
import { MAX_DEPTH } from './structure.js';

/** What a body may hold before it is parsed: its longest array and its number of values. */
export interface JsonBodyLimits {
  /** Most elements of any one array (the layer list is the longest a request has). */
  maxArrayLength: number;
  /** Most objects and arrays in the whole body. */
  maxContainers: number;
  /** Most values (numbers, strings, objects, ... ) in the whole body. */
  maxValues: number;
  /** What maxArrayLength is called, for the message. */
  arrayLimitName: string;
}

const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;

/** What a byte outside strings is to the scan: part of a number or literal, whitespace, or itself (structure). */
const VALUE_BYTE = 0;
const WHITESPACE = 1;
const BYTE_KIND = new Uint8Array(256);
for (const b of [0x20, 0x09, 0x0a, 0x0d]) BYTE_KIND[b] = WHITESPACE;
for (const b of [OPEN_OBJECT, CLOSE_OBJECT, OPEN_ARRAY, CLOSE_ARRAY, COMMA, QUOTE, COLON]) BYTE_KIND[b] = b;

/** What the scan found that parsing needs: whether any key is, or could spell, `__proto__` or `constructor`. */
export interface JsonScanResult {
  suspectKeys: boolean;
}

/**
 * Counts, without building anything, how deep the body nests, how many elements its longest
 * array has and how many values it holds; throws 413 (or 400 for nesting) when a limit is
 * exceeded. Parsing a body of millions of empty objects costs seconds and gigabytes, the scan a
 * fraction of that, so a body that cannot be a model is refused before it is parsed (README,
 * Under load). Malformed JSON passes through here and is reported by the parser.
 */
export function scanJson(bytes: Uint8Array, limits: JsonBodyLimits): JsonScanResult {
  const scan = new JsonScan(limits);
  scan.feed(bytes, bytes.length);
  return scan.finish();
}

/**
 * scanJson over a body that arrives in pieces (jsonBody.ts scans each as it is read, so a large
 * body is refused before it is whole, and a solver thread does not scan it again): feed the
 * bytes received so far, then finish.
 */
export class JsonScan {
  private readonly commas = new Int32Array(MAX_DEPTH + 2);
  private readonly isArray = new Uint8Array(MAX_DEPTH + 2);
  // Where the key of each open container starts and ends (its name is decoded only for a message).
  private readonly keyStart = new Int32Array(MAX_DEPTH + 2);
  private readonly keyEnd = new Int32Array(MAX_DEPTH + 2);
  /** The next byte to scan (past the end of what was fed when a string's escape spans two pieces). */
  private position = 0;
  private inString = false;
  private stringStart = -1;
  private stringEnd = -1;
  // The last byte outside strings and whitespace (QUOTE for a whole string): a container opened
  // after a colon has a key; one closed right after its opening bracket is empty.
  private previous = 0;
  private depth = 0;
  private containers = 0;
  private values = 0;
  private suspectKeys = false;

  constructor(private readonly limits: JsonBodyLimits) {}

  /** Scans the body's bytes up to `end`: `bytes` holds the whole body received so far (positions are absolute). */
  feed(bytes: Uint8Array, end: number): void {
    const { commas, isArray, keyStart, keyEnd, limits } = this;
    // The state in locals for the loop, stored back when it ends.
    let { stringStart, stringEnd, previous, depth, containers, values, suspectKeys } = this;
    let i = this.position;
    if (this.inString) {
      i = closingQuote(bytes, i, end);
      if (i >= end) {
        this.position = i;
        return;
      }
      stringEnd = i;
      previous = QUOTE;
      this.inString = false;
      i++;
    }
    for (; i < end; i++) {
      const b = bytes[i]!;
      const kind = BYTE_KIND[b]!;
      if (kind === VALUE_BYTE) {
        // The rest of a number or literal in a tight loop (a model is mostly numbers and names).
        while (i + 1 < end && BYTE_KIND[bytes[i + 1]!] === VALUE_BYTE) i++;
        previous = b;
        continue;
      }
      if (kind === WHITESPACE) continue;
      if (b === QUOTE) {
        stringStart = i + 1;
        i = closingQuote(bytes, stringStart, end);
        if (i >= end) {
          this.inString = true;
          break;
        }
        stringEnd = i;
      } else if (b === OPEN_OBJECT || b === OPEN_ARRAY) {
        if (depth > MAX_DEPTH) throw invalidRequest([{ path: '(body)', message: `the body nests deeper than ${MAX_DEPTH} levels; no field of a request nests that deep` }]);
        depth++;
        commas[depth] = 0;
        isArray[depth] = b === OPEN_ARRAY ? 1 : 0;
        keyStart[depth] = previous === COLON ? stringStart : -1;
        keyEnd[depth] = stringEnd;
        if (++containers > limits.maxContainers) {
          throw payloadTooLarge(`the body holds more than ${limits.maxContainers} objects and arrays, more than any model of at most ${limits.arrayLimitName}=${limits.maxArrayLength} layers needs`);
        }
      } else if (b === CLOSE_OBJECT || b === CLOSE_ARRAY) {
        if (depth > 0) {
          const elements = previous === OPEN_ARRAY || previous === OPEN_OBJECT ? 0 : commas[depth]! + 1;
          if (isArray[depth] && elements > limits.maxArrayLength) {
            const name = keyStart[depth]! >= 0 ? JSON.stringify(new TextDecoder().decode(bytes.subarray(keyStart[depth], keyEnd[depth])).slice(0, 64)) : 'an array';
            throw payloadTooLarge(`${name} has ${elements} entries; this service takes at most ${limits.arrayLimitName}=${limits.maxArrayLength}`);
          }
          depth--;
        }
      } else if (b === COLON) {
        if (previous === QUOTE && !suspectKeys) suspectKeys = isSuspectKey(bytes, stringStart, stringEnd);
      } else if (b === COMMA) {
        if (depth > 0) commas[depth]!++;
        if (++values > limits.maxValues) {
          throw payloadTooLarge(`the body holds more than ${limits.maxValues} values, more than any model of at most ${limits.arrayLimitName}=${limits.maxArrayLength} layers needs`);
        }
      }
      previous = b;
    }
    Object.assign(this, { position: i, stringStart, stringEnd, previous, depth, containers, values, suspectKeys });
  }

  finish(): JsonScanResult {
    return { suspectKeys: this.suspectKeys };
  }
}

const PROTO_KEY = new TextEncoder().encode('__proto__');
const CONSTRUCTOR_KEY = new TextEncoder().encode('constructor');

/** A key that is `__proto__` or `constructor`, or has an escape that could spell either. */
function isSuspectKey(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (bytes[i] === BACKSLASH) return true;
  const named = end - start === PROTO_KEY.length ? PROTO_KEY : end - start === CONSTRUCTOR_KEY.length ? CONSTRUCTOR_KEY : undefined;
  if (!named) return false;
  for (let i = 0; i < named.length; i++) if (bytes[start + i] !== named[i]) return false;
  return true;
}

/**
 * Index of the quote that closes a string from `from` on (escapes skipped), or, at least `end`,
 * where the scan goes on when more bytes arrive (past `end` when the last byte escapes the next).
 */
function closingQuote(bytes: Uint8Array, from: number, end: number): number {
  let i = from;
  for (; i < end; i++) {
    const b = bytes[i]!;
    if (b === QUOTE) return i;
    if (b === BACKSLASH) i++;
  }
  return i;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Parses a JSON body after scanJson (done here unless `scanned` says what it found as the body
 * arrived): invalid UTF-8, malformed JSON, `__proto__` keys and
 * `constructor.prototype` are a 400 (secure-json-parse's rules, applied where a key could break them).
 */
export function parseJsonBytes(bytes: Uint8Array, limits: JsonBodyLimits, scanned?: JsonScanResult): unknown {
  const { suspectKeys } = scanned ?? scanJson(bytes, limits);
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw invalidRequest([{ path: '(body)', message: 'the body is not valid UTF-8' }]);
  }
  if (text.trim() === '') throw invalidRequest([{ path: '(body)', message: 'the body is empty; send a JSON object' }]);
  try {
    // secure-json-parse looks for those keys in the text again, with two regular expressions
    // over all of it; the scan already knows whether any key could be one (or a BOM leads).
    if (!suspectKeys && text.charCodeAt(0) !== 0xfeff) return JSON.parse(text);
    return secureJson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' });
  } catch (error) {
    throw invalidRequest([{ path: '(body)', message: `not valid JSON: ${(error as Error).message}${lineAndColumn(text, (error as Error).message)}` }]);
  }
}

/** " (line L, column C)" of the position V8's message names ("... at position 61"), else "". */
function lineAndColumn(text: string, message: string): string {
  const position = /at position (\d+)/.exec(message);
  if (!position) return '';
  const before = text.slice(0, Number(position[1]));
  const line = before.split('\n').length;
  return ` (line ${line}, column ${before.length - before.lastIndexOf('\n')})`;
}
