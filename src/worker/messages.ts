import { CoreError } from '../core/index.js';
import { HttpProblem } from '../http/problems.js';
import type { SolveResult, SolveTask } from './task.js';

export interface TaskMessage {
  id: number;
  task: SolveTask;
}

/** An error as it crosses the thread boundary (structured clone keeps no classes). */
export type WireError =
  | { type: 'core'; code: CoreError['code']; message: string; issues: CoreError['issues']; budgets: CoreError['budgets'] }
  | { type: 'http'; kind: HttpProblem['kind']; detail: string; extra: HttpProblem['extra'] }
  | { type: 'other'; message: string; stack?: string };

export type ResultMessage = { id: number; ok: true; result: SolveResult } | { id: number; ok: false; error: WireError };

export function toWire(error: unknown): WireError {
  if (error instanceof CoreError) return { type: 'core', code: error.code, message: error.message, issues: error.issues, budgets: error.budgets };
  if (error instanceof HttpProblem) return { type: 'http', kind: error.kind, detail: error.detail, extra: error.extra };
  const e = error as Error;
  return { type: 'other', message: String(e?.message ?? error), stack: e?.stack };
}

export function fromWire(error: WireError): Error {
  if (error.type === 'core') return new CoreError(error.code, error.message, error.issues, error.budgets);
  if (error.type === 'http') return new HttpProblem(error.kind, error.detail, error.extra);
  const rebuilt = new Error(error.message);
  if (error.stack) rebuilt.stack = error.stack;
  return rebuilt;
}
