import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
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
  | { kind: 'frontier'; input: TaskInput<FrontierRequest>; representation: FrontierRepresentation }
  /** A large seed's JSON (DeepSeek-V3: 13 MB), built and written off the event loop. */
  | { kind: 'seed'; name: string };

/**
 * The answer, already serialized: a plan of 45,000 layers is megabytes of JSON, and writing it
 * on the solver thread keeps the event loop free for other requests. With the milliseconds each
 * phase took on the thread (the Server-Timing header reports them).
 */
export type SolveResult = Omit<RenderedAnswer, 'body'> & {
  /** The answer's text, or its UTF-8 bytes (a large answer crosses from a thread as bytes, see messages.ts). */
  body: string | Uint8Array;
  phasesMs: PhaseTimes;
  /** A seed's answer, which never changes while the service runs: its strong ETag and its gzip encoding, made once on the thread. */
  cacheable?: { etag: string; gzipped: Uint8Array };
};

/** Milliseconds of each phase on the solver thread: parsing and validating a large body (admit), solving, writing the answer. */
export interface PhaseTimes {
  admit: number;
  solve: number;
  render: number;
}

const clock = { now: () => performance.now() };

/** Runs one task: admits an unparsed body, resolves the seed and hardware it names, then calls the core. */
export function runTask(task: SolveTask, seeds: SeedStore): SolveResult {
  const start = clock.now();
  if (task.kind === 'seed') {
    const seed = seeds.find(task.name);
    if (!seed) throw new Error(`no seed ${task.name}`);
    const built = clock.now();
    const body = Buffer.from(JSON.stringify(seed));
    const cacheable = { etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`, gzipped: gzipSync(body) };
    return { contentType: 'application/json; charset=utf-8', body, cacheable, phasesMs: { admit: 0, solve: built - start, render: clock.now() - built } };
  }
  if (task.kind === 'plan') {
    const request = 'admitted' in task.input ? task.input.admitted : admitPlan(takeBytes(task.input), task.input.limits, seeds);
    const admitted = clock.now();
    const { seedWarning, ...resolved } = resolveModelAndHardware(request, seeds);
    const plan = makePlan(planInput(request, resolved, task.format), clock);
    if (seedWarning) plan.warnings.push(seedWarning);
    const solved = clock.now();
    const answer = renderPlan(plan, task.format);
    return { ...answer, phasesMs: { admit: admitted - start, solve: solved - admitted, render: clock.now() - solved } };
  }
  const request = 'admitted' in task.input ? task.input.admitted : admitFrontier(takeBytes(task.input), task.input.limits, seeds);
  const admitted = clock.now();
  const { seedWarning, ...resolved } = resolveModelAndHardware(request, seeds);
  const frontier = makeFrontier(frontierInput(request, resolved), clock);
  if (seedWarning) frontier.warnings.push(seedWarning);
  const solved = clock.now();
  const answer = renderFrontier(frontier, task.representation);
  return { ...answer, phasesMs: { admit: admitted - start, solve: solved - admitted, render: clock.now() - solved } };
}

/**
 * The body's bytes, taken out of the task: once parsed they are garbage, and a 20 MB body is not
 * held through the solve (the thread's own copy of the task, moved to it).
 */
function takeBytes(input: { unparsed: JsonBytes }): JsonBytes {
  const bytes = input.unparsed;
  input.unparsed = { json: new Uint8Array(0) };
  return bytes;
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
