import type { FrontierRequest } from '../contract/frontier.js';
import type { PlanRequest } from '../contract/request.js';
import { makeFrontier, makePlan, type PlanExport } from '../core/index.js';
import { renderFrontier, renderPlan, type FrontierRepresentation, type RenderedAnswer } from './render/answer.js';
import { frontierInput, planInput } from './toCore.js';
import { admitFrontier, admitPlan, isJsonBytes, type IntakeLimits, type JsonBytes } from './intake.js';
import { isHeavy, resolveModelAndHardware } from './resolve.js';
import type { SeedStore } from './seedStore.js';

/**
 * A request as it reaches a solver thread: admitted on the event loop already (small bodies),
 * or still JSON bytes, which the thread parses and admits itself (large bodies).
 */
export type TaskInput<T> = { admitted: T } | { unparsed: JsonBytes; limits: IntakeLimits };

/** Work a solver worker does. */
export type SolveTask =
  | { kind: 'plan'; input: TaskInput<PlanRequest>; format: PlanExport }
  | { kind: 'frontier'; input: TaskInput<FrontierRequest>; representation: FrontierRepresentation };

/**
 * The answer, already serialized: a plan of 45,000 layers is megabytes of JSON, and writing it
 * on the solver thread keeps the event loop free for other requests.
 */
export type SolveResult = RenderedAnswer;

const clock = { now: () => performance.now() };

/** Runs one task: admits an unparsed body, resolves the seed and hardware it names, then calls the core. */
export function runTask(task: SolveTask, seeds: SeedStore): SolveResult {
  if (task.kind === 'plan') {
    const request = 'admitted' in task.input ? task.input.admitted : admitPlan(task.input.unparsed, task.input.limits, seeds);
    const resolved = resolveModelAndHardware(request, seeds);
    return renderPlan(makePlan(planInput(request, resolved), clock), task.format);
  }
  const request = 'admitted' in task.input ? task.input.admitted : admitFrontier(task.input.unparsed, task.input.limits, seeds);
  const resolved = resolveModelAndHardware(request, seeds);
  return renderFrontier(makeFrontier(frontierInput(request, resolved), clock), task.representation);
}

/** A task ready for the solver pool: what to run, how long it may take, whether it is heavy. */
export interface QueuedTask {
  task: SolveTask;
  timeLimitMs: number;
  heavy: boolean;
}

/**
 * The task of a plan request: a small body admitted here (400, 413 and 404 answered at once), a
 * large one passed on unparsed, heavy, with the server-wide ceiling as its time limit.
 */
export function planTask(body: unknown, format: PlanExport, limits: IntakeLimits, seeds: SeedStore): QueuedTask {
  if (isJsonBytes(body)) return { task: { kind: 'plan', input: { unparsed: body, limits }, format }, timeLimitMs: limits.SOLVE_TIME_CEILING_MS, heavy: true };
  const admitted = admitPlan(body, limits, seeds);
  return { task: { kind: 'plan', input: { admitted }, format }, timeLimitMs: admitted.solver.timeLimitMs, heavy: isHeavy(admitted, seeds) };
}

/** The task of a frontier request (see planTask). */
export function frontierTask(body: unknown, representation: FrontierRepresentation, limits: IntakeLimits, seeds: SeedStore): QueuedTask {
  if (isJsonBytes(body)) return { task: { kind: 'frontier', input: { unparsed: body, limits }, representation }, timeLimitMs: limits.SOLVE_TIME_CEILING_MS, heavy: true };
  const admitted = admitFrontier(body, limits, seeds);
  return { task: { kind: 'frontier', input: { admitted }, representation }, timeLimitMs: admitted.solver.timeLimitMs, heavy: isHeavy(admitted, seeds) };
}
