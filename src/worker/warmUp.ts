/**
 * Warming a solver thread before it takes requests (issue #26.6): a thread's first large plans
 * run slower while V8 compiles their code paths (a 45,032-layer descriptor posted whole: 2.1-2.4 s
 * end to end as the first request to a fresh service, 0.9-1.4 s for the next ones, on 2 cores).
 * At start-up each thread does what such a request does: the DeepSeek-V3 architecture (45,032
 * layers) posted as JSON bytes, parsed, validated, planned under two budgets and written
 * (WARM_UP_PLANS times), then a full collection. Threads take turns (a shared counter), so that
 * two such plans never hold memory at once.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { DEFAULT_CONFIG } from '../config.js';
import { ARCHITECTURE_SEEDS, architectureSeed } from '../core/index.js';
import type { SeedStore } from '../service/seedStore.js';
import { runTask, type SolveTask } from '../service/task.js';

/**
 * Plans made at start-up. Measured on this project's 2-core machine (Node 20, two threads, the
 * first 45,032-layer descriptor posted to a fresh service, end to end): cold 2.1-2.4 s; after one
 * warm-up plan 1.49 s, ready 6.0 s after start; two 1.43 s, ready 9.6 s; three 1.38-1.48 s, ready
 * 13.5-14.6 s; the requests after it 1.0-1.4 s in every case. One plan buys most of it.
 */
export const WARM_UP_PLANS = 1;

/** The seed whose plan warms a thread: the largest built-in model, with candidates of several kinds (grouped integers, fp8, int8). */
const WARM_UP_SEED = 'deepseek-v3';
const WARM_UP_CANDIDATES = ['int2-g128/fp16', 'int3-g128/fp16', 'int4-g128/fp16', 'fp8-e4m3/fp8-e4m3', 'int8/int8'];

/** What a warm-up needs from the pool: whose turn it is (a counter shared by the threads), this thread's place, and (tests) another seed or count. */
export interface WarmUpTurn {
  turn: Int32Array;
  index: number;
  seed?: string;
  plans?: number;
}

/** Waits for this thread's turn, makes the warm-up plans, passes the turn on; returns when it began and ended (performance.timeOrigin-based ms). */
export function warmUp(seeds: SeedStore, { turn, index, seed: seedName = WARM_UP_SEED, plans = WARM_UP_PLANS }: WarmUpTurn): { startMs: number; endMs: number; error?: string } {
  for (let current = Atomics.load(turn, 0); current < index; current = Atomics.load(turn, 0)) Atomics.wait(turn, 0, current);
  const startMs = performance.timeOrigin + performance.now();
  let endMs = startMs;
  let error: string | undefined;
  try {
    // Built here rather than found in the seed store, which would keep it in every thread (about 40 MB each).
    const definition = ARCHITECTURE_SEEDS.find((candidate) => candidate.name === seedName);
    const seed = definition ? architectureSeed(definition, definition.build()) : seeds.find(seedName);
    if (!seed) throw new Error(`no seed ${seedName} to warm up with`);
    const body = JSON.stringify({
      model: seed.model,
      candidates: WARM_UP_CANDIDATES,
      budgets: [{ metric: 'sizeBytes', fraction: 0.3 }, { metric: 'bops', fraction: 0.35 }],
      solver: { relativeGap: 1e-6, timeLimitMs: 2000 },
    });
    for (let n = 0; n < plans; n++) {
      const task: SolveTask = { kind: 'plan', input: { unparsed: { json: Buffer.from(body) }, limits: DEFAULT_CONFIG }, format: 'json' };
      runTask(task, seeds);
    }
    collectGarbage();
  } catch (caught) {
    // A warm-up that fails leaves the thread cold, and nothing else: requests still run; the pool logs it.
    error = String((caught as Error)?.message ?? caught).slice(0, 500);
  } finally {
    // The end is read before the turn passes on, so that the next thread's start is after it.
    endMs = performance.timeOrigin + performance.now();
    Atomics.add(turn, 0, 1);
    Atomics.notify(turn, 0);
  }
  return { startMs, endMs, ...(error ? { error } : {}) };
}

/**
 * A full collection once the warm-up plans are garbage: left to V8, a thread keeps their heap
 * (about 380 MB a thread after the DeepSeek-V3 plan) until its next large request.
 */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}
