/**
 * npm run bench:load: starts the service on a free loopback port and loads it with autocannon.
 *
 * 1. small requests flat out: a ResNet50 plan under three budgets (HAWQ-V3 seed), throughput;
 * 2. the same small requests at a steady 100 per second, alone;
 * 3. the same while large solves run beside them (DeepSeek-V3, 45,034 layers, two budgets, 2 s
 *    limit each, back to back on two connections), with /healthz polled throughout;
 * 4. the 50-client mix: 40 clients sending small plans back to back, 8 sending 20-point
 *    frontiers, 2 sending the large DeepSeek-V3 plans, with /healthz polled every 20 ms from its
 *    own process (so that autocannon's work in this one is not counted); the goal is p95 < 50 ms;
 * 5. a 45,032-layer descriptor (the bench's DeepSeek-V3-shaped case, 20 MB of JSON) posted whole,
 *    one at a time once the service is idle: end-to-end time, median of 7 after 5 warm-up runs
 *    (printed too: a thread's first large plans still compile), with the Server-Timing phases.
 * Prints requests per second and p50 / p99 latency of each. Bounded in time; traffic stays on
 * 127.0.0.1; the service is stopped at the end.
 */
import autocannon from 'autocannon';
import { deepseekV3Shaped } from '../test/support/instances.js';
import { healthSummary, startHealthPoller } from './healthPoller.js';
import { startService } from './service.js';

const DURATION_S = Number(process.env.LOAD_DURATION_S ?? 10);
/** Small requests per second in the latency scenarios: well under saturation, as a CI fleet sends them. */
const SMALL_RATE = 100;

const SMALL = { seed: 'resnet50-hawq-v3', budgets: [{ metric: 'sizeBytes', fraction: 0.5 }, { metric: 'bops', fraction: 0.5 }, { metric: 'latencyMs', fraction: 0.5 }] };
const FRONTIER = { seed: 'resnet50-hawq-v3', axis: 'sizeBytes', points: 20 };
const LARGE = {
  seed: 'deepseek-v3',
  candidates: ['int2-g128/fp16', 'int3-g128/fp16', 'int4-g128/fp16', 'fp8-e4m3/fp8-e4m3', 'int8/int8'],
  budgets: [{ metric: 'sizeBytes', fraction: 0.3 }, { metric: 'bops', fraction: 0.35 }],
  solver: { timeLimitMs: 2000 },
};


function load(url: string, body: object | undefined, connections: number, overallRate?: number): Promise<autocannon.Result> {
  return autocannon({
    ...(overallRate ? { overallRate } : {}),
    url,
    method: body ? 'POST' : 'GET',
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
    connections,
    duration: DURATION_S,
    timeout: 30,
  });
}

function line(name: string, result: autocannon.Result): string {
  const non2xx = result.non2xx ? `, ${result.non2xx} non-2xx` : '';
  return `${name.padEnd(44)} ${result.requests.average.toFixed(1).padStart(8)} req/s   p50 ${String(result.latency.p50).padStart(5)} ms   p99 ${String(result.latency.p99).padStart(5)} ms   (${result.requests.total} requests${non2xx}, ${result.errors} errors)`;
}

/** Runs discarded before scenario 4 is measured: a solver thread's first large plans still compile their code paths. */
const WARM_UP_RUNS = 5;
const MEASURED_RUNS = 7;

/** Waits until no solve is running or queued (scenario 3's large solves end after their clients stop). */
async function idle(base: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const { solves } = (await (await fetch(`${base}/healthz`)).json()) as { solves: { running: number; waiting: number } };
    if (solves.running === 0 && solves.waiting === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Scenario 4: 50 clients mixing small plans, frontiers and two heavy plans; /healthz from its own process. */
async function fiftyClientMix(base: string): Promise<void> {
  const poller = await startHealthPoller(base);
  const [small, frontiers, large] = await Promise.all([load(`${base}/v1/plans`, SMALL, 40), load(`${base}/v1/frontiers`, FRONTIER, 8), load(`${base}/v1/plans`, LARGE, 2)]);
  const latencies = await poller.stop();
  console.log(line('50-client mix: ResNet50 plans, 40 clients', small));
  console.log(line('50-client mix: 20-point frontiers, 8 clients', frontiers));
  console.log(line('50-client mix: DeepSeek-V3 plans, 2 clients', large));
  console.log(`50-client mix: /healthz every 20 ms from its own process: ${healthSummary(latencies)}`);
}

/** The 45,032-layer descriptor posted whole, with two budgets (scenarios 0 and 5). */
function endToEndBody(): string {
  return JSON.stringify({
    model: deepseekV3Shaped(),
    budgets: [{ metric: 'sizeBytes', fraction: 0.3 }, { metric: 'bops', fraction: 0.35 }],
    solver: { relativeGap: 1e-6, timeLimitMs: 1000 },
  });
}

/** Scenario 5: a whole 45,032-layer descriptor, end to end, one request at a time, on an idle service. */
async function endToEnd(base: string): Promise<void> {
  const body = endToEndBody();
  await idle(base);
  const runs: { ms: number; phases: Record<string, number> }[] = [];
  const warmUp: number[] = [];
  for (let run = 0; run < WARM_UP_RUNS + MEASURED_RUNS; run++) {
    const start = performance.now();
    const response = await fetch(`${base}/v1/plans`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    await response.text();
    const ms = performance.now() - start;
    const phases = Object.fromEntries((response.headers.get('server-timing') ?? '').split(', ').map((entry) => [entry.split(';')[0]!, Number(/dur=([\d.]+)/.exec(entry)?.[1])]));
    if (run < WARM_UP_RUNS) warmUp.push(ms);
    else runs.push({ ms, phases });
  }
  const inOrder = runs.map((r) => r.ms.toFixed(0)).join(', ');
  runs.sort((a, b) => a.ms - b.ms);
  const middle = runs[runs.length >> 1]!;
  const phases = Object.entries(middle.phases).map(([name, ms]) => `${name} ${ms.toFixed(0)}`).join(', ');
  console.log(`45,032-layer descriptor (${(body.length / 1e6).toFixed(1)} MB) posted whole, end to end: median ${middle.ms.toFixed(0)} ms of ${MEASURED_RUNS} (${inOrder}) after ${WARM_UP_RUNS} warm-up runs (${warmUp.map((ms) => ms.toFixed(0)).join(', ')}); its phases in ms: ${phases}`);
}

/**
 * Scenario 0: the first large request to a freshly started service, apart from the steady state
 * (issue #26.6): the service started, /readyz waited for (the solver threads' start-up plans),
 * then one 45,032-layer descriptor posted whole; the next one beside it.
 */
async function firstRequest(): Promise<void> {
  const started = performance.now();
  const fresh = await startService(); // returns once /readyz answers 200
  try {
    const readyMs = performance.now() - started;
    const body = endToEndBody();
    const times: number[] = [];
    for (let run = 0; run < 2; run++) {
      const start = performance.now();
      await (await fetch(`${fresh.url}/v1/plans`, { method: 'POST', headers: { 'content-type': 'application/json' }, body })).text();
      times.push(performance.now() - start);
    }
    console.log(`fresh service: started and ready (/readyz 200) in ${readyMs.toFixed(0)} ms; its first 45,032-layer descriptor posted whole ${times[0]!.toFixed(0)} ms end to end, the second ${times[1]!.toFixed(0)} ms`);
  } finally {
    await fresh.stop();
  }
}

await firstRequest();
const service = await startService();
const base = service.url;
try {
  // Warm-up: compile, build the seeds in the solver threads.
  await fetch(`${base}/v1/plans`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(SMALL) });
  await fetch(`${base}/v1/plans`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...LARGE, solver: { timeLimitMs: 200 } }) });

  console.log(`bitplan load benchmark, node ${process.version}, ${DURATION_S} s per scenario, service on ${base}`);
  const saturated = await load(`${base}/v1/plans`, SMALL, 8);
  console.log(line('ResNet50 plan, 8 connections flat out', saturated));
  const alone = await load(`${base}/v1/plans`, SMALL, 4, SMALL_RATE);
  console.log(line(`ResNet50 plan at ${SMALL_RATE} req/s, alone`, alone));
  const [mixedSmall, mixedLarge, health] = await Promise.all([
    load(`${base}/v1/plans`, SMALL, 4, SMALL_RATE),
    load(`${base}/v1/plans`, LARGE, 2),
    load(`${base}/healthz`, undefined, 1, 200),
  ]);
  console.log(line(`ResNet50 plan at ${SMALL_RATE} req/s, beside large solves`, mixedSmall));
  console.log(line('DeepSeek-V3 plan (2 s limit), 2 connections', mixedLarge));
  console.log(line('/healthz at 200 req/s during the mix', health));
  console.log(`small-request latency beside large solves / alone: p50 ${(mixedSmall.latency.p50 / Math.max(1, alone.latency.p50)).toFixed(2)}x, p99 ${(mixedSmall.latency.p99 / Math.max(1, alone.latency.p99)).toFixed(2)}x`);
  await idle(base);
  await fiftyClientMix(base);
  await endToEnd(base);
} finally {
  await service.stop();
}
