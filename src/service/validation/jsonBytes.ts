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

/**
 * Counts, without building anything, how deep the body nests, how many elements its longest
 * array has and how many values it holds; throws 413 (or 400 for nesting) when a limit is
 * exceeded. Parsing a body of millions of empty objects costs seconds and gigabytes, the scan a
 * fraction of that, so a body that cannot be a model is refused before it is parsed (README,
 * Under load). Malformed JSON passes
 * through here and is reported by the parser.
 */
export function scanJson(bytes: Uint8Array, limits: JsonBodyLimits): void {
  const commas = new Int32Array(MAX_DEPTH + 2);
  const nonEmpty = new Uint8Array(MAX_DEPTH + 2);
  const isArray = new Uint8Array(MAX_DEPTH + 2);
  // Where the key of each open container starts and ends (its name is decoded only for a message).
  const keyStart = new Int32Array(MAX_DEPTH + 2);
  const keyEnd = new Int32Array(MAX_DEPTH + 2);
  let stringStart = -1;
  let stringEnd = -1;
  let previous = 0; // the last byte outside strings and whitespace
  let depth = 0;
  let containers = 0;
  let values = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (inString) {
      if (b === BACKSLASH) i++;
      else if (b === QUOTE) {
        inString = false;
        stringEnd = i;
      }
      continue;
    }
    if (b <= 0x20) continue; // whitespace
    if (depth > 0 && b !== CLOSE_ARRAY && b !== CLOSE_OBJECT) nonEmpty[depth] = 1;
    if (b === QUOTE) {
      inString = true;
      stringStart = i + 1;
    } else if (b === OPEN_OBJECT || b === OPEN_ARRAY) {
      if (depth > MAX_DEPTH) throw invalidRequest([{ path: '(body)', message: `the body nests deeper than ${MAX_DEPTH} levels; no field of a request nests that deep` }]);
      depth++;
      commas[depth] = 0;
      nonEmpty[depth] = 0;
      isArray[depth] = b === OPEN_ARRAY ? 1 : 0;
      keyStart[depth] = previous === COLON ? stringStart : -1;
      keyEnd[depth] = stringEnd;
      if (++containers > limits.maxContainers) {
        throw payloadTooLarge(`the body holds more than ${limits.maxContainers} objects and arrays, more than any model of at most ${limits.arrayLimitName}=${limits.maxArrayLength} layers needs`);
      }
    } else if (b === CLOSE_OBJECT || b === CLOSE_ARRAY) {
      if (depth === 0) continue;
      const elements = nonEmpty[depth] ? commas[depth]! + 1 : 0;
      if (isArray[depth] && elements > limits.maxArrayLength) {
        const name = keyStart[depth]! >= 0 ? JSON.stringify(new TextDecoder().decode(bytes.subarray(keyStart[depth], keyEnd[depth])).slice(0, 64)) : 'an array';
        throw payloadTooLarge(`${name} has ${elements} entries; this service takes at most ${limits.arrayLimitName}=${limits.maxArrayLength}`);
      }
      depth--;
    } else if (b === COMMA) {
      if (depth > 0) commas[depth]!++;
      if (++values > limits.maxValues) {
        throw payloadTooLarge(`the body holds more than ${limits.maxValues} values, more than any model of at most ${limits.arrayLimitName}=${limits.maxArrayLength} layers needs`);
      }
    }
    if (b !== QUOTE) previous = b;
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Parses a JSON body after scanJson: invalid UTF-8, malformed JSON and `__proto__` keys are a 400. */
export function parseJsonBytes(bytes: Uint8Array, limits: JsonBodyLimits): unknown {
  scanJson(bytes, limits);
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw invalidRequest([{ path: '(body)', message: 'the body is not valid UTF-8' }]);
  }
  if (text.trim() === '') throw invalidRequest([{ path: '(body)', message: 'the body is empty; send a JSON object' }]);
  try {
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
