import type { Transferable } from 'node:worker_threads';
import { CoreError } from '../core/index.js';
import { ServiceError } from '../service/errors.js';
import type { SolveResult, SolveTask } from '../service/task.js';

export interface TaskMessage {
  id: number;
  task: SolveTask;
}

/** An error as it crosses the thread boundary (structured clone keeps no classes). */
export type WireError =
  | { type: 'core'; code: CoreError['code']; message: string; issues: CoreError['issues']; budgets: CoreError['budgets'] }
  | { type: 'service'; code: ServiceError['code']; message: string; issues: ServiceError['issues']; issuesTotal: number }
  | { type: 'other'; message: string; stack?: string };

export type ResultMessage = { id: number; ok: true; result: SolveResult } | { id: number; ok: false; error: WireError };

/** Posted once by a thread started with a warm-up, when it is done (warmUp.ts). */
export interface WarmedMessage {
  warmed: true;
  /** When it began and ended, in ms since the epoch (performance.timeOrigin-based). */
  startMs: number;
  endMs: number;
  /** Why the warm-up plans failed (the thread then starts cold). */
  error?: string;
}

/** Posted when a thread begins a task: its time limit runs from here, not from a thread still starting. */
export interface StartedMessage {
  id: number;
  started: true;
}

export function toWire(error: unknown): WireError {
  if (error instanceof CoreError) return { type: 'core', code: error.code, message: error.message, issues: error.issues, budgets: error.budgets };
  if (error instanceof ServiceError) return { type: 'service', code: error.code, message: error.message, issues: error.issues, issuesTotal: error.issuesTotal };
  const e = error as Error;
  return { type: 'other', message: String(e?.message ?? error), stack: e?.stack };
}

export function fromWire(error: WireError): Error {
  if (error.type === 'core') return new CoreError(error.code, error.message, error.issues, error.budgets);
  if (error.type === 'service') return new ServiceError(error.code, error.message, error.issues, error.issuesTotal);
  const rebuilt = new Error(error.message);
  if (error.stack) rebuilt.stack = error.stack;
  return rebuilt;
}

/** Answers longer than this cross from a solver thread as UTF-8 bytes. */
const LARGE_ANSWER_CHARS = 64 * 1024;

/**
 * A result ready to post to the event loop: a large answer (a 45,000-layer plan is 9 MB of JSON)
 * encoded here and its buffer moved, not copied, so that the event loop neither copies nor
 * encodes it before writing it to the socket.
 */
export function resultMessage(id: number, result: SolveResult): { message: ResultMessage; transfer: Transferable[] } {
  const large = typeof result.body === 'string' && result.body.length > LARGE_ANSWER_CHARS;
  const body = large ? Buffer.from(result.body) : result.body;
  const transfer = [body, result.cacheable?.gzipped].filter((bytes): bytes is Uint8Array => bytes instanceof Uint8Array && ownsItsMemory(bytes)).map((bytes) => bytes.buffer as ArrayBuffer);
  return { message: { id, ok: true, result: large ? { ...result, body } : result }, transfer };
}

/** Whether the bytes span their whole buffer: one this large has its own memory (Node pools only small ones), so it can move. */
function ownsItsMemory(bytes: Uint8Array): boolean {
  return bytes.byteLength > LARGE_ANSWER_CHARS && bytes.byteOffset === 0 && bytes.buffer.byteLength === bytes.byteLength && bytes.buffer instanceof ArrayBuffer;
}
