import { Worker, type ResourceLimits, type Transferable } from 'node:worker_threads';
import type { Config } from '../config.js';
import { serviceError } from '../service/errors.js';
import type { TaskRunner } from '../service/runner.js';
import { fromWire, type ResultMessage, type StartedMessage, type TaskMessage, type WarmedMessage } from './messages.js';
import type { SolveResult, SolveTask } from '../service/task.js';

export interface PoolOptions {
  /** Worker threads (solves running at once). */
  workers: number;
  /** Tasks that may wait for a worker; one more is refused with 503. */
  maxQueue: number;
  /** A worker still busy this long after its task's own time limit is ended and replaced. */
  graceMs: number;
  /** Heap of each solver thread in MiB: a request that needs more fails alone (BITPLAN_ERR_OUT_OF_MEMORY). */
  threadMemoryMb: number;
  /** Nice value of each solver thread (Linux; see priority.ts); 0 leaves them at the process's. */
  threadNice?: number;
  /** Each thread first makes a large plan, one thread at a time, before it takes tasks (warmUp.ts); tests may name a smaller seed and a count. */
  warmUp?: boolean | { seed: string; plans: number };
}

/** Milliseconds a solve may run past its own time limit (describing and rendering a large plan after the solver stops) before its thread is replaced and the request answered 503. */
const OVERRUN_GRACE_MS = 3_000;

/**
 * Young generation of a solver thread in MiB. Node 24 sizes it from the heap limit (192 MiB for
 * the default 2 GiB; Node 20 gave 48), and a 45,000-layer plan's short-lived objects fill all of
 * it before a collection. With 64 the service's peak resident memory over one such plan is about
 * 420 MB instead of 455, over several in a row 545 instead of 600, at the same speed; 32 saved
 * 40 MB more but made an all-points frontier of 562 layers 12% slower (more promoted to the old
 * generation), 64 does not (npm run bench:load, npm run bench:abuse).
 */
const YOUNG_GENERATION_MB = 64;

/** Milliseconds a running task whose client went away may still take before its thread is ended and replaced. */
const CANCEL_GRACE_MS = 250;

interface Pending {
  id: number;
  task: SolveTask;
  limitMs: number;
  heavy: boolean;
  resolve: (result: SolveResult) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  busy?: Pending & { timer?: NodeJS.Timeout };
  /** Still making its warm-up plans (its place in their turns): no task goes to it meanwhile. */
  warming?: number;
}


/**
 * A fixed pool of solver threads with a bounded queue, so that a long solve never blocks the
 * event loop (health checks keep answering) and a burst beyond capacity is refused with 503 and
 * Retry-After instead of piling up. Heavy tasks (large models) may hold all threads but one, and
 * light tasks go first, so small requests keep their latency while large solves run.
 */
export class SolverPool implements TaskRunner {
  /** The pool the configuration asks for (SOLVER_THREADS, MAX_QUEUE, SOLVER_THREAD_MEMORY_MB). */
  static fromConfig(config: Pick<Config, 'SOLVER_THREADS' | 'MAX_QUEUE' | 'SOLVER_THREAD_MEMORY_MB' | 'SOLVER_THREAD_NICE'> & Partial<Pick<Config, 'SOLVER_WARM_UP'>>): SolverPool {
    return new SolverPool({ workers: config.SOLVER_THREADS, maxQueue: config.MAX_QUEUE, graceMs: OVERRUN_GRACE_MS, threadMemoryMb: config.SOLVER_THREAD_MEMORY_MB, threadNice: config.SOLVER_THREAD_NICE, warmUp: config.SOLVER_WARM_UP ?? false });
  }

  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private closing = false;
  /** Whose warm-up turn it is, shared with the threads (warmUp.ts). */
  private readonly warmUpTurn = new Int32Array(new SharedArrayBuffer(4));
  /** Each thread's warm-up, as they finish: when it began and ended (ms since the epoch). */
  readonly warmUps: { startMs: number; endMs: number; error?: string }[] = [];
  private readyWaiters: (() => void)[] = [];

  constructor(private readonly options: PoolOptions) {
    for (let i = 0; i < options.workers; i++) this.slots.push({ worker: this.spawn(options.warmUp ? i : undefined), ...(options.warmUp ? { warming: i } : {}) });
  }

  /** A new thread; with `warmUpIndex`, one that warms up in that turn first (threads that replace others start cold). */
  private spawn(warmUpIndex?: number): Worker {
    // From TypeScript sources (development, tests) a bootstrap registers tsx; a build runs worker.js.
    const fromSource = import.meta.url.endsWith('.ts');
    const resourceLimits: ResourceLimits = { maxOldGenerationSizeMb: this.options.threadMemoryMb, maxYoungGenerationSizeMb: YOUNG_GENERATION_MB };
    const given = this.options.warmUp;
    const warmUp = warmUpIndex === undefined ? undefined : { turn: this.warmUpTurn, index: warmUpIndex, ...(typeof given === 'object' ? given : {}) };
    const data = { nice: this.options.threadNice ?? 0, ...(warmUp ? { warmUp } : {}) };
    const worker = fromSource
      ? new Worker(new URL('./bootstrap.mjs', import.meta.url), { workerData: { entry: new URL('./worker.ts', import.meta.url).href, ...data }, resourceLimits })
      : new Worker(new URL('./worker.js', import.meta.url), { workerData: data, resourceLimits });
    worker.on('message', (message: ResultMessage | StartedMessage | WarmedMessage) =>
      'warmed' in message ? this.warmed(worker, message) : 'started' in message ? this.started(worker, message) : this.settle(worker, message),
    );
    worker.on('error', (error) => this.fail(worker, error));
    return worker;
  }

  ready(): boolean {
    return this.slots.every((slot) => slot.warming === undefined);
  }

  /** Resolves once every thread started with a warm-up has made it (at once without one). */
  whenReady(): Promise<void> {
    return this.ready() ? Promise.resolve() : new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  private warmed(worker: Worker, message: WarmedMessage): void {
    const slot = this.slots.find((s) => s.worker === worker);
    if (!slot) return;
    slot.warming = undefined;
    this.warmUps.push({ startMs: message.startMs, endMs: message.endMs, ...(message.error ? { error: message.error } : {}) });
    this.dispatch();
    this.settleReady();
  }

  private settleReady(): void {
    if (this.ready()) for (const resolve of this.readyWaiters.splice(0)) resolve();
  }

  /**
   * Runs a task on the next free worker; rejects with BITPLAN_ERR_OVERLOADED when the queue is
   * full. An aborted `signal` (the client disconnected) takes a queued task out of the queue and
   * ends a running one's thread unless it finishes within CANCEL_GRACE_MS (a new thread replaces
   * it), so that abandoned work holds nothing for long.
   */
  run(task: SolveTask, timeLimitMs: number, heavy = false, signal?: AbortSignal): Promise<SolveResult> {
    if (this.closing) return Promise.reject(serviceError('BITPLAN_ERR_SHUTTING_DOWN'));
    if (signal?.aborted) return Promise.reject(new Error('the client went away'));
    if (this.queue.length >= this.options.maxQueue) return Promise.reject(serviceError('BITPLAN_ERR_OVERLOADED', [this.options.workers, this.queue.length]));
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      this.queue.push({ id, task, limitMs: timeLimitMs, heavy, resolve, reject });
      signal?.addEventListener('abort', () => this.cancel(id), { once: true });
      this.dispatch();
    });
  }

  private cancel(id: number): void {
    const queued = this.queue.findIndex((p) => p.id === id);
    if (queued >= 0) {
      const [pending] = this.queue.splice(queued, 1);
      pending!.reject(new Error('the client went away'));
      this.drained();
      return;
    }
    // A running task gets a moment to finish first: most take milliseconds, while a new thread
    // takes hundreds of them to start, and a busy pool's next clients would wait for it.
    const stop = () => {
      const slot = this.slots.find((s) => s.busy?.id === id);
      if (slot) this.replaceThread(slot, new Error('the client went away'));
    };
    setTimeout(stop, CANCEL_GRACE_MS).unref();
  }

  /** Tasks running and waiting. */
  load(): { running: number; waiting: number } {
    return { running: this.slots.filter((s) => s.busy).length, waiting: this.queue.length };
  }

  /** The next task a free thread may take (see nextIndex). */
  private next(): Pending | undefined {
    const index = nextIndex(this.queue, this.slots.filter((s) => s.busy?.heavy).length, this.slots.length);
    return index < 0 ? undefined : this.queue.splice(index, 1)[0];
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (slot.busy || slot.warming !== undefined) continue;
      const pending = this.next();
      if (!pending) return;
      slot.busy = { ...pending };
      const message: TaskMessage = { id: pending.id, task: pending.task };
      slot.worker.postMessage(message, transferables(pending.task));
    }
  }

  /**
   * The thread began the task: the overrun watchdog starts now. Counting from dispatch would
   * charge a task with a new thread's start-up (seconds on a loaded machine) and end it as an
   * overrun it never made.
   */
  private started(worker: Worker, message: StartedMessage): void {
    const slot = this.slots.find((s) => s.worker === worker);
    if (!slot?.busy || slot.busy.id !== message.id || slot.busy.timer) return;
    slot.busy.timer = setTimeout(() => this.overrun(slot), slot.busy.limitMs + this.options.graceMs);
    slot.busy.timer.unref();
  }

  private settle(worker: Worker, message: ResultMessage): void {
    const slot = this.slots.find((s) => s.worker === worker);
    if (!slot?.busy || slot.busy.id !== message.id) return;
    const { resolve, reject, timer } = slot.busy;
    clearTimeout(timer);
    slot.busy = undefined;
    if (message.ok) resolve(message.result);
    else reject(fromWire(message.error));
    this.dispatch();
    this.drained();
  }

  /** A thread that failed (an uncaught error, out of memory): its task, if any, fails, and a new thread takes its place. */
  private fail(worker: Worker, error: Error): void {
    const slot = this.slots.find((s) => s.worker === worker);
    if (!slot) return;
    const outOfMemory = (error as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY';
    this.replaceThread(slot, outOfMemory ? serviceError('BITPLAN_ERR_OUT_OF_MEMORY', [this.options.threadMemoryMb]) : error);
  }

  /** A solve that outlived its limit by the grace period: end the thread, answer 503, start a new thread. */
  private overrun(slot: Slot): void {
    if (slot.busy) this.replaceThread(slot, serviceError('BITPLAN_ERR_OVERRUN', [this.options.graceMs]));
  }

  /**
   * Ends a slot's thread and its task, if any, with `error`; starts a new thread (unless closing)
   * and serves the queue. The one way a thread is replaced: failures, overruns, cancellations.
   */
  private replaceThread(slot: Slot, error: Error): void {
    const busy = slot.busy;
    if (busy) {
      clearTimeout(busy.timer);
      slot.busy = undefined;
    }
    void slot.worker.terminate();
    if (slot.warming !== undefined) {
      // A thread that failed in its warm-up may not have passed its turn on: the next ones go on.
      Atomics.store(this.warmUpTurn, 0, Math.max(Atomics.load(this.warmUpTurn, 0), slot.warming + 1));
      Atomics.notify(this.warmUpTurn, 0);
      slot.warming = undefined;
      this.settleReady();
    }
    if (!this.closing) slot.worker = this.spawn();
    busy?.reject(error);
    this.dispatch();
    this.drained();
  }

  private onDrained: (() => void) | undefined;

  private drained(): void {
    if (this.onDrained && this.queue.length === 0 && this.slots.every((s) => !s.busy)) this.onDrained();
  }

  abandon(): void {
    this.closing = true;
    for (const pending of this.queue.splice(0)) pending.reject(serviceError('BITPLAN_ERR_SHUTTING_DOWN'));
    for (const slot of this.slots) if (slot.busy) this.replaceThread(slot, serviceError('BITPLAN_ERR_SHUTTING_DOWN'));
    this.drained();
  }

  /** Refuses new tasks, lets running and queued ones finish, then ends the threads. */
  async close(): Promise<void> {
    this.closing = true;
    if (this.queue.length > 0 || this.slots.some((s) => s.busy)) {
      await new Promise<void>((resolve) => (this.onDrained = resolve));
    }
    await Promise.all(this.slots.map((slot) => slot.worker.terminate()));
  }
}

/** The buffer of an unparsed body moves to the thread instead of being copied (64 MiB at most), when it is the body's own. */
function transferables(task: SolveTask): Transferable[] {
  if (task.kind === 'seed' || !('unparsed' in task.input)) return [];
  const { json, ownsBuffer } = task.input.unparsed;
  return ownsBuffer && json.buffer instanceof ArrayBuffer ? [json.buffer] : [];
}

/**
 * Which queued task a free thread takes (its index, or -1 for none): the oldest, except that heavy
 * tasks never hold more than all threads but one, so a small request always finds a thread
 * (then the oldest light task goes first). In arrival order otherwise, so that neither kind
 * waits behind a stream of the other: a heavy request is not starved by small ones arriving
 * faster than they are solved.
 */
export function nextIndex(queue: readonly { heavy: boolean }[], heavyRunning: number, threads: number): number {
  if (queue.length === 0) return -1;
  if (!queue[0]!.heavy || heavyRunning < Math.max(1, threads - 1)) return 0;
  return queue.findIndex((task) => !task.heavy);
}
