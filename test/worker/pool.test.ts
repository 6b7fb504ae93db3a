import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { loadSeedStore } from '../../src/service/seedStore.js';
import { planTask } from '../../src/service/task.js';
import { resultMessage } from '../../src/worker/messages.js';
import { nextIndex, SolverPool } from '../../src/worker/pool.js';

describe('the solver pool, when a client goes away', () => {
  const pool = SolverPool.fromConfig({ ...DEFAULT_CONFIG, SOLVER_WARM_UP: false, SOLVER_THREADS: 1 });
  afterAll(() => pool.close());
  const seeds = loadSeedStore();
  const small = planTask({ seed: 'resnet18-hawq-v3', budgets: [{ metric: 'sizeBytes', fraction: 0.5 }] }, 'json', DEFAULT_CONFIG, seeds);

  it('lets a running task that finishes within the grace period finish on its thread', async () => {
    await pool.run(small.task, small.timeLimitMs); // the thread warmed up
    const controller = new AbortController();
    const running = pool.run(small.task, small.timeLimitMs, false, controller.signal);
    controller.abort();
    // Ending the thread would reject with "the client went away" and cost a new thread's start.
    expect((await running).body).toContain('"status":"optimal"');
  });

  it('takes a queued task out of the queue at once', async () => {
    const controller = new AbortController();
    const first = pool.run(small.task, small.timeLimitMs);
    const queued = pool.run(small.task, small.timeLimitMs, false, controller.signal);
    controller.abort();
    await expect(queued).rejects.toThrow('the client went away');
    await first;
  });
});

describe('warming the solver threads at start-up (issue #26.6)', () => {
  it('warms one thread at a time, holds tasks until a thread is warm, and says when every thread is', async () => {
    // A small seed stands in for DeepSeek-V3 (the service's own warm-up), so that the test is quick.
    const pool = new SolverPool({ workers: 2, maxQueue: 8, graceMs: 3_000, threadMemoryMb: 2048, warmUp: { seed: 'llama-2-7b', plans: 3 } });
    try {
      expect(pool.ready()).toBe(false);
      const small = planTask({ seed: 'resnet18-hawq-v3', budgets: [{ metric: 'sizeBytes', fraction: 0.5 }] }, 'json', DEFAULT_CONFIG, loadSeedStore());
      const early = pool.run(small.task, small.timeLimitMs);
      await pool.whenReady();
      expect(pool.ready()).toBe(true);
      expect((await early).body).toContain('"status":"optimal"');
      expect(pool.warmUps).toHaveLength(2);
      expect(pool.warmUps.map((warmUp) => warmUp.error)).toEqual([undefined, undefined]);
      // Turns: the second thread began after the first had ended.
      const [first, second] = [...pool.warmUps].sort((a, b) => a.startMs - b.startMs);
      expect(second!.startMs).toBeGreaterThanOrEqual(first!.endMs - 1);
    } finally {
      await pool.close();
    }
  }, 60_000);

  it('is ready at once without a warm-up', async () => {
    const pool = SolverPool.fromConfig({ ...DEFAULT_CONFIG, SOLVER_WARM_UP: false, SOLVER_THREADS: 1 });
    try {
      expect(pool.ready()).toBe(true);
      await pool.whenReady();
    } finally {
      await pool.close();
    }
  });
});

describe('answers crossing from a solver thread', () => {
  it('moves a large answer as UTF-8 bytes and leaves a small one as text', () => {
    const text = `{"name":"${'ü'.repeat(70_000)}"}`;
    const result = { contentType: 'application/json', body: text, phasesMs: { admit: 0, solve: 0, render: 0 } };
    const large = resultMessage(7, result);
    const body = (large.message as { result: { body: Uint8Array } }).result.body;
    expect(body).toBeInstanceOf(Uint8Array);
    expect(large.transfer).toEqual([body.buffer]);
    expect(new TextDecoder().decode(body)).toBe(text);
    const small = resultMessage(8, { ...result, body: '{"a":1}' });
    expect(small).toEqual({ message: { id: 8, ok: true, result: { ...result, body: '{"a":1}' } }, transfer: [] });
  });

  it('answers a plan of hundreds of layers through the pool as bytes of the same JSON', async () => {
    const pool = SolverPool.fromConfig({ ...DEFAULT_CONFIG, SOLVER_WARM_UP: false, SOLVER_THREADS: 1 });
    try {
      const task = planTask({ seed: 'llama-2-70b', candidates: ['int4-g128/fp16', 'int8/int8'], budgets: [{ metric: 'sizeBytes', fraction: 0.5 }] }, 'json', DEFAULT_CONFIG, loadSeedStore());
      const { body } = await pool.run(task.task, task.timeLimitMs);
      expect(body).toBeInstanceOf(Uint8Array);
      expect(JSON.parse(new TextDecoder().decode(body as Uint8Array))).toMatchObject({ status: 'optimal' });
    } finally {
      await pool.close();
    }
  });
});

describe('which queued task a free thread takes', () => {
  const queue = (kinds: string) => [...kinds].map((kind) => ({ heavy: kind === 'H' }));

  it('takes the oldest task, heavy ones while they leave a thread for small requests', () => {
    expect(nextIndex(queue(''), 0, 2)).toBe(-1);
    expect(nextIndex(queue('HLL'), 0, 2)).toBe(0);
    expect(nextIndex(queue('HLL'), 1, 2)).toBe(1);
    expect(nextIndex(queue('HH'), 1, 2)).toBe(-1);
    expect(nextIndex(queue('LHL'), 1, 2)).toBe(0);
    expect(nextIndex(queue('HHL'), 2, 4)).toBe(0);
    expect(nextIndex(queue('HHL'), 3, 4)).toBe(2);
    // One thread: arrival order whatever the kind.
    expect(nextIndex(queue('HL'), 0, 1)).toBe(0);
  });

  it('does not starve a heavy task behind small ones arriving faster than they are solved', () => {
    // Two threads; a small request arrives at every step and a small one ends at every step.
    const waiting = queue('LLLHLLLL');
    let heavyRunning = 0;
    let steps = 0;
    while (waiting.some((task) => task.heavy) && steps < 20) {
      const [task] = waiting.splice(nextIndex(waiting, heavyRunning, 2), 1);
      if (task!.heavy) heavyRunning++;
      waiting.push({ heavy: false });
      steps++;
    }
    expect(steps).toBe(4);
  });
});

describe('solver threads yield the cores to the event loop', () => {
  /** The nice values of this process's threads (Linux: /proc/self/task/<id>/stat, field 19). */
  const threadNices = () =>
    readdirSync('/proc/self/task').map((id) => {
      const stat = readFileSync(`/proc/self/task/${id}/stat`, 'utf8');
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
    });

  it.runIf(process.platform === 'linux')('runs each solver thread at SOLVER_THREAD_NICE, the event loop at the process priority', async () => {
    const pool = SolverPool.fromConfig({ ...DEFAULT_CONFIG, SOLVER_WARM_UP: false, SOLVER_THREADS: 2, SOLVER_THREAD_NICE: 7 });
    try {
      const seeds = loadSeedStore();
      const small = planTask({ seed: 'resnet18-hawq-v3', budgets: [{ metric: 'sizeBytes', fraction: 0.5 }] }, 'json', DEFAULT_CONFIG, seeds);
      // Both threads have started once each has answered a task.
      await Promise.all([pool.run(small.task, small.timeLimitMs), pool.run(small.task, small.timeLimitMs)]);
      const nices = threadNices();
      expect(nices.filter((nice) => nice === 7)).toHaveLength(2);
      expect(nices[0]).toBe(0);
    } finally {
      await pool.close();
    }
  });
});
