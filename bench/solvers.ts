/**
 * npm run bench: solve time of each backend on each case, in one run, side by side.
 *
 * Each (case, backend) runs in its own child process so that its peak memory (maxRSS after
 * the first run) is its own; inside, after that first (cold) run and warm-up runs, the plan is
 * made `runs` times and the median wall time of the solver is kept; the cold run is printed
 * beside it. javascript-lp-solver runs only where it can hold the model, with a 60 s limit,
 * measured the same way (once when a run takes over 5 s).
 *
 * Strict HiGHS (test/support/highs.ts) runs on every case too, as an independent reference, in its
 * own child process with a 60 s limit; then the random family (bench/family.ts).
 *
 *   npm run bench                 all cases and the family
 *   npm run bench -- --case 2     one case (index in BENCH_CASES); --case -1 the frontier only
 *   npm run bench -- --family     the family only
 *   npm run bench -- --interactions   plans with pair terms and the k best plans (bench/interactions.ts)
 *   npm run bench -- --broad      families the solver was not tuned on (bench/broad.ts)
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { makeFrontier, makePlan } from '../src/core/index.js';
import { STRICT_SHRINK, strictPlanOptimum } from '../test/support/highs.js';
import { BENCH_CASES, llama2_70bShaped } from '../test/support/instances.js';
import { benchBroad } from './broad.js';
import { benchFamily } from './family.js';
import { benchInteractions } from './interactions.js';
import { median } from './median.js';

interface Measurement {
  backend: string;
  status: string;
  medianMs: number;
  runs: number;
  gap: number;
  nodes: number;
  objective: number;
  /** The plan's smallest budget slack relative to its limit (how close it sits to a limit). */
  tightestSlack: number;
  maxRssMB: number;
  coldMs: number;
}

const LP_SOLVER_LIMIT_MS = 60_000;
const HIGHS_LIMIT_MS = 60_000;

/** Child: one case, one backend. Prints one JSON line. */
function measure(caseIndex: number, backend: 'mckp' | 'lp-solver', runs: number): void {
  const benchCase = BENCH_CASES[caseIndex]!;
  const input = benchCase.input();
  const timeLimitMs = backend === 'lp-solver' ? LP_SOLVER_LIMIT_MS : input.solver.timeLimitMs;
  const times: number[] = [];
  let last: ReturnType<typeof makePlan> | undefined;
  let status = 'error';
  // The first run is reported apart (cold: the JIT has not compiled the solver yet), and the
  // peak memory is taken right after it: the process's whole footprint for building the model
  // and solving it once. Then unmeasured warm-up runs, up to 100 or 5 s (the JIT needs 50 to 75
  // runs of a millisecond case to settle), so that the median is the steady state of a running
  // service; a case slower than 5 s a run is measured once.
  // No forced collections between runs: a full gc() discards the JIT's work and makes every
  // run half cold, which a service never sees.
  const solveOnce = () => makePlan({ ...input, solver: { ...input.solver, backend, timeLimitMs } }, { now: () => performance.now() });
  let slow = false;
  let coldMs = Number.NaN;
  let firstRunRssMB = Number.NaN;
  try {
    const cold = solveOnce();
    coldMs = cold.solver.timeMs;
    firstRunRssMB = process.resourceUsage().maxRSS / 1024;
    slow = coldMs >= 5000;
    const warmUntil = performance.now() + 5000;
    for (let warm = 0; !slow && warm < 100 && performance.now() < warmUntil; warm++) {
      solveOnce();
    }
  } catch {
    // The measured runs below report the error.
  }
  for (let run = 0; run < (slow ? 1 : runs); run++) {
    try {
      last = solveOnce();
      times.push(last.solver.timeMs);
      status = last.status;
    } catch (error) {
      status = (error as Error).message.slice(0, 120);
      break;
    }
  }
  const result: Measurement = {
    backend,
    status,
    medianMs: times.length ? median(times) : Number.NaN,
    runs: times.length,
    gap: last?.gap ?? Number.NaN,
    nodes: last?.solver.nodes ?? 0,
    objective: last?.objective.value ?? Number.NaN,
    tightestSlack: Math.min(...(last?.budgets ?? []).map((budget) => budget.slack / budget.limit)),
    maxRssMB: Number.isNaN(firstRunRssMB) ? process.resourceUsage().maxRSS / 1024 : firstRunRssMB,
    coldMs,
  };
  console.log(JSON.stringify(result));
}

/** Child: strict HiGHS on a case's instance, once (it is far slower than mckp and than a median needs). */
async function measureHighs(caseIndex: number): Promise<void> {
  const input = BENCH_CASES[caseIndex]!.input();
  let result: Measurement;
  try {
    const { reference: answer, optimum } = await strictPlanOptimum(input, HIGHS_LIMIT_MS);
    result = {
      backend: 'highs',
      status: answer.status === 'optimal' ? 'optimal' : answer.status === 'time-limit' ? `no proof in ${HIGHS_LIMIT_MS / 1000} s` : answer.status,
      medianMs: answer.status === 'optimal' ? answer.timeMs : Number.NaN,
      runs: answer.status === 'optimal' ? 1 : 0,
      gap: 0,
      nodes: 0,
      objective: optimum,
      tightestSlack: Number.NaN,
      maxRssMB: process.resourceUsage().maxRSS / 1024,
      coldMs: Number.NaN,
    };
  } catch (error) {
    result = { backend: 'highs', status: `failed: ${(error as Error).message.slice(0, 100)}`, medianMs: Number.NaN, runs: 0, gap: 0, nodes: 0, objective: Number.NaN, tightestSlack: Number.NaN, maxRssMB: process.resourceUsage().maxRSS / 1024, coldMs: Number.NaN };
  }
  console.log(JSON.stringify(result));
}

/**
 * Strict HiGHS solves with every budget shrunk by STRICT_SHRINK, so a plan that uses a budget to
 * within that fraction is out of its reach: mckp may then be lower, never higher.
 */
function compareWithStrictHighs(ours: Measurement, highs: Measurement): string {
  const difference = ours.objective - highs.objective;
  if (Math.abs(difference) <= 1e-9 * Math.max(1, Math.abs(highs.objective))) return 'yes';
  const numbers = `mckp ${ours.objective}, HiGHS ${highs.objective}`;
  if (difference < 0 && ours.tightestSlack < STRICT_SHRINK) {
    return `no, mckp lower (${numbers}): its plan leaves ${ours.tightestSlack.toExponential(1)} of a budget, inside the ${STRICT_SHRINK} strict HiGHS shrinks every budget by`;
  }
  return `NO (${numbers})`;
}

function runChild(caseIndex: number, backend: 'mckp' | 'lp-solver' | 'highs', runs: number): Measurement | string {
  const self = fileURLToPath(import.meta.url);
  const child = spawnSync(process.execPath, ['--import', 'tsx', self, '--child', String(caseIndex), backend, String(runs)], {
    encoding: 'utf8',
    timeout: LP_SOLVER_LIMIT_MS * 3 + 120_000,
    maxBuffer: 1 << 24,
  });
  const line = child.stdout.trim().split('\n').at(-1) ?? '';
  try {
    return JSON.parse(line) as Measurement;
  } catch {
    return child.error ? `did not finish (${child.error.message})` : `failed: ${child.stderr.slice(-300)}`;
  }
}

function format(m: Measurement | string): string {
  if (typeof m === 'string') return m;
  // JSON carries NaN as null.
  if (m.runs === 0 || m.medianMs === null) return `${m.backend.padEnd(9)} no plan: ${m.status}  peak ${m.maxRssMB.toFixed(0)} MB`;
  const time = `${m.medianMs.toFixed(m.medianMs < 10 ? 2 : 1)} ms`;
  const cold = m.coldMs === null || m.runs === 1 ? '' : `; first run ${m.coldMs.toFixed(1)} ms`;
  if (m.backend === 'highs') return `${m.backend.padEnd(9)} ${time.padStart(11)}  ${m.status.padEnd(8)} (strict, one run)  peak ${m.maxRssMB.toFixed(0)} MB`;
  return `${m.backend.padEnd(9)} ${time.padStart(11)}  ${m.status.padEnd(8)} gap ${(m.gap ?? 0).toExponential(1).padStart(8)}  nodes ${String(m.nodes).padStart(9)}  peak ${m.maxRssMB.toFixed(0)} MB  (median of ${m.runs}${cold})`;
}

/** Child: the 100-point frontier of the Llama-2-70B-shaped model, median of `runs`. */
function measureFrontier(runs: number): void {
  const model = llama2_70bShaped();
  const times: number[] = [];
  let points = 0;
  for (let run = -1; run < runs; run++) {
    const start = performance.now();
    const frontier = makeFrontier(
      { model, modelPath: 'model', allowEmulated: false, axis: 'sizeBytes', budgets: [], points: 100, all: false, maxPoints: 10000, batchSize: 1, solver: { timeLimitMs: 60_000, relativeGap: 0 } },
      { now: () => performance.now() },
    );
    if (run >= 0) times.push(performance.now() - start); // run -1 warms up
    points = frontier.points.length;
  }
  console.log(JSON.stringify({ medianMs: median(times), runs, points, maxRssMB: process.resourceUsage().maxRSS / 1024 }));
}

const args = process.argv.slice(2);
if (args[0] === '--frontier-child') {
  measureFrontier(Number(args[1]));
} else if (args[0] === '--child') {
  if (args[2] === 'highs') await measureHighs(Number(args[1]));
  else measure(Number(args[1]), args[2] as 'mckp' | 'lp-solver', Number(args[3]));
} else if (args[0] === '--family') {
  await benchFamily();
} else if (args[0] === '--interactions') {
  await benchInteractions();
} else if (args[0] === '--broad') {
  await benchBroad();
} else {
  const only = args.indexOf('--case') >= 0 ? Number(args[args.indexOf('--case') + 1]) : undefined;
  console.log(`bitplan solver benchmark, node ${process.version}, ${new Date().toISOString()}`);
  if (only === undefined || only === -1) {
    const self = fileURLToPath(import.meta.url);
    const child = spawnSync(process.execPath, ['--import', 'tsx', self, '--frontier-child', '5'], { encoding: 'utf8', timeout: 600_000 });
    const result = JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '{}') as { medianMs: number; points: number; maxRssMB: number };
    console.log(`\n[frontier] llama-2-70b-shaped, 560 x 8, sizeBytes axis, 100 budgets (+ supported points)`);
    console.log(`  mckp      ${result.medianMs.toFixed(0).padStart(8)} ms  ${result.points} points  peak ${result.maxRssMB.toFixed(0)} MB  (median of 5)`);
    if (only === -1) process.exit(0);
  }
  BENCH_CASES.forEach((benchCase, index) => {
    if (only !== undefined && only !== index) return;
    console.log(`\n[${index}] ${benchCase.name}`);
    const ours = runChild(index, 'mckp', benchCase.runs);
    console.log(`  ${format(ours)}`);
    const highs = runChild(index, 'highs', 1);
    console.log(`  ${format(highs)}`);
    if (typeof ours !== 'string' && typeof highs !== 'string' && highs.runs > 0) {
      console.log(`  ratio HiGHS / mckp: ${(highs.medianMs / ours.medianMs).toFixed(0)}x; same optimum: ${compareWithStrictHighs(ours, highs)}`);
    }
    if (!benchCase.lpSolver) {
      console.log(`  lp-solver  not run: ${benchCase.lpSolverSkip}`);
      return;
    }
    const reference = runChild(index, 'lp-solver', benchCase.runs);
    console.log(`  ${format(reference)}`);
    if (typeof ours !== 'string' && typeof reference !== 'string' && reference.runs > 0) {
      const same = Math.abs(ours.objective - reference.objective) <= 1e-9 * Math.max(1, Math.abs(reference.objective));
      console.log(`  ratio lp-solver / mckp: ${(reference.medianMs / ours.medianMs).toFixed(0)}x; same optimum: ${same ? 'yes' : `no (${ours.objective} vs ${reference.objective})`}`);
    }
  });
  if (only === undefined) {
    const self = fileURLToPath(import.meta.url);
    const family = spawnSync(process.execPath, ['--import', 'tsx', self, '--family'], { encoding: 'utf8', timeout: 3_600_000, maxBuffer: 1 << 24 });
    process.stdout.write(family.stdout);
    const interactions = spawnSync(process.execPath, ['--import', 'tsx', self, '--interactions'], { encoding: 'utf8', timeout: 3_600_000, maxBuffer: 1 << 24 });
    process.stdout.write(interactions.stdout);
    const broad = spawnSync(process.execPath, ['--import', 'tsx', self, '--broad'], { encoding: 'utf8', timeout: 3_600_000, maxBuffer: 1 << 24 });
    process.stdout.write(broad.stdout);
  }
}
