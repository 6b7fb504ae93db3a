/**
 * bitplan command line: plans and frontiers for CI and shells, with the core in-process or
 * against a server (--server). Exit codes: 0 a plan (or frontier), 2 infeasible, 1 any other error.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { FrontierRequest } from '../contract/frontier.js';
import type { Plan } from '../contract/plan.js';
import { PlanRequest } from '../contract/request.js';
import { CoreError, exportPlan, makeFrontier, makePlan, PLAN_EXPORTS, type PlanExport } from '../core/index.js';
import { resolveModelAndHardware } from '../service/resolve.js';
import { frontierInput, frontierTitle, planInput, renderFrontier } from '../service/toCore.js';
import { formatPathForCli, parseBudget } from './args.js';
import { frontierSummary, planSummary } from './summary.js';
import { loadSeedStore } from '../seeds/store.js';

export const EXIT_PLAN = 0;
export const EXIT_ERROR = 1;
export const EXIT_INFEASIBLE = 2;

const USAGE = `usage:
  bitplan plan     (--seed NAME | --model FILE.json) [options]
  bitplan frontier (--seed NAME | --model FILE.json) --axis METRIC [options]

options:
  --hardware ID|FILE.json    built-in profile id (nvidia-t4, nvidia-h100, ...) or a profile file
  --candidates a,b,...       candidates every layer may take, e.g. int4/int4,int8/int8
  --budget METRIC<=VALUE     absolute budget, e.g. sizeBytes<=6.5e6 (repeatable)
  --budget METRIC:FRACTION   relative budget, e.g. bops:0.5 (cheapest + 0.5 x range)
  --minimize METRIC          minimize a cost instead of sensitivity (needs --max-sensitivity)
  --max-sensitivity X        bound on total sensitivity when minimizing a cost
  --batch N                  batch size for roofline latency and energy
  --allow-emulated           allow candidates the hardware does not run natively
  --backend auto|mckp|lp-solver
  --time-limit MS            solver time limit
  --gap X                    accepted relative gap
  --format F                 what --out writes: plan: json, hawq, modelopt, llama-cpp, csv;
                             frontier: json, csv, svg (default json)
  --out FILE                 write the plan or frontier there
  --axis METRIC              frontier axis (sizeBytes, avgBits, bops, latencyMs, energyJ, macLuts)
  --points N                 frontier budgets (default 50); --all for every Pareto point
  --server URL               ask a bitplan server instead of solving in-process
  --quiet                    no summary on stdout

exit codes: 0 a plan or frontier, 2 infeasible budgets, 1 any other error`;

class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new CliError(`cannot read ${path}: ${(error as Error).message}`, EXIT_ERROR);
  }
}

/** The request body the options describe, the same JSON the HTTP API takes. */
function requestBody(command: string, values: Record<string, unknown>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (values.seed) body.seed = values.seed;
  if (values.model) body.model = readJson(String(values.model));
  if (values.hardware) body.hardware = String(values.hardware).endsWith('.json') ? readJson(String(values.hardware)) : values.hardware;
  if (values.candidates) body.candidates = String(values.candidates).split(',').map((c) => c.trim()).filter(Boolean);
  const budgets = (values.budget as string[] | undefined) ?? [];
  body.budgets = budgets.map((text) => {
    const budget = parseBudget(text);
    if (!budget) throw new CliError(`--budget ${text}: expected METRIC<=VALUE (absolute) or METRIC:FRACTION (relative), e.g. sizeBytes<=6.5e6 or bops:0.5`, EXIT_ERROR);
    return budget;
  });
  if (values['allow-emulated']) body.allowEmulated = true;
  if (values.batch) body.batchSize = Number(values.batch);
  const solver: Record<string, unknown> = {};
  if (values['time-limit']) solver.timeLimitMs = Number(values['time-limit']);
  if (values.gap) solver.relativeGap = Number(values.gap);
  if (command === 'plan') {
    if (values.backend) solver.backend = values.backend;
    if (values.minimize) body.objective = { minimize: values.minimize, ...(values['max-sensitivity'] ? { maxSensitivity: Number(values['max-sensitivity']) } : {}) };
  } else {
    body.axis = values.axis;
    if (values.points) body.points = Number(values.points);
    if (values.all) body.all = true;
  }
  if (Object.keys(solver).length > 0) body.solver = solver;
  return body;
}

interface Problem {
  type?: string;
  detail?: string;
  errors?: { path: string; message: string }[];
}

function problemError(problem: Problem, status: number): CliError {
  const lines = [`error ${status}: ${problem.detail ?? 'request failed'}`, ...(problem.errors ?? []).map((e) => `  ${formatPathForCli(e.path)}: ${e.message}`)];
  return new CliError(lines.join('\n'), problem.type === '/problems/infeasible' ? EXIT_INFEASIBLE : EXIT_ERROR);
}

async function callServer(server: string, path: string, body: unknown): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(new URL(path, server), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  } catch (error) {
    throw new CliError(`cannot reach ${server}: ${(error as Error).message}`, EXIT_ERROR);
  }
  const text = await response.text();
  if (!response.ok) {
    let problem: Problem = {};
    try {
      problem = JSON.parse(text) as Problem;
    } catch {
      problem = { detail: text.slice(0, 500) };
    }
    throw problemError(problem, response.status);
  }
  return path.includes('format=json') || !path.includes('format=') ? JSON.parse(text) : text;
}

function localError(error: unknown): never {
  if (error instanceof CoreError) {
    const lines = [`error: ${error.message}`, ...error.issues.map((i) => `  ${formatPathForCli(i.path)}: ${i.message}`)];
    throw new CliError(lines.join('\n'), error.code === 'BITPLAN_ERR_INFEASIBLE' ? EXIT_INFEASIBLE : EXIT_ERROR);
  }
  const problem = error as { detail?: string; extra?: { errors?: { path: string; message: string }[] } };
  if (problem.detail) throw problemError({ detail: problem.detail, errors: problem.extra?.errors }, 400);
  throw error;
}

function validated<T>(schema: { safeParse: (v: unknown) => { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } } }, body: unknown): T {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  throw new CliError(['error: invalid request', ...result.error.issues.map((i) => `  ${formatPathForCli(i.path.join('.'))}: ${i.message}`)].join('\n'), EXIT_ERROR);
}

export async function main(argv: string[], print: (text: string) => void = console.log): Promise<number> {
  const [command, ...rest] = argv;
  if (command !== 'plan' && command !== 'frontier') {
    print(USAGE);
    return command === '--help' || command === 'help' ? EXIT_PLAN : EXIT_ERROR;
  }
  const { values } = parseArgs({
    args: rest,
    options: {
      seed: { type: 'string' },
      model: { type: 'string' },
      hardware: { type: 'string' },
      candidates: { type: 'string' },
      budget: { type: 'string', multiple: true },
      minimize: { type: 'string' },
      'max-sensitivity': { type: 'string' },
      batch: { type: 'string' },
      'allow-emulated': { type: 'boolean' },
      backend: { type: 'string' },
      'time-limit': { type: 'string' },
      gap: { type: 'string' },
      format: { type: 'string' },
      out: { type: 'string' },
      axis: { type: 'string' },
      points: { type: 'string' },
      all: { type: 'boolean' },
      server: { type: 'string' },
      quiet: { type: 'boolean' },
    },
    strict: true,
  });
  const body = requestBody(command, values);
  const format = values.format ?? 'json';
  const seeds = loadSeedStore();
  const clock = { now: () => performance.now() };

  if (command === 'plan') {
    if (!(PLAN_EXPORTS as readonly string[]).includes(format)) throw new CliError(`--format ${format}: expected one of ${PLAN_EXPORTS.join(', ')}`, EXIT_ERROR);
    const request = validated(PlanRequest, body);
    // The model is needed locally for the summary and for exports (layer aliases); with --server
    // a seed this copy does not know is left to the server.
    const knownHere = request.model !== undefined || seeds.names().includes(request.seed ?? '');
    let resolved: ReturnType<typeof resolveModelAndHardware> | undefined;
    if (knownHere || !values.server) {
      try {
        resolved = resolveModelAndHardware(request, seeds);
      } catch (error) {
        localError(error);
      }
    }
    let plan: Plan;
    if (values.server) {
      plan = (await callServer(values.server, '/v1/plans?format=json', body)) as Plan;
    } else {
      try {
        plan = makePlan(planInput(request, resolved!), clock);
      } catch (error) {
        localError(error);
      }
    }
    if (values.out) {
      if (!resolved && format !== 'json') throw new CliError(`--format ${format} needs the model locally; the server's seed ${request.seed} is unknown here`, EXIT_ERROR);
      try {
        const exported = format === 'json' ? undefined : exportPlan(format as PlanExport, plan, resolved!.model);
        writeFileSync(values.out, exported ? exported.body : `${JSON.stringify(plan, null, 2)}\n`);
        if (exported?.usage) console.error(`usage: ${exported.usage.replace('PLAN.txt', values.out)}`);
      } catch (error) {
        localError(error);
      }
    }
    if (!values.quiet) print(planSummary(plan, resolved?.model.name ?? request.seed ?? 'model'));
    return EXIT_PLAN;
  }

  if (!['json', 'csv', 'svg'].includes(format)) throw new CliError(`--format ${format}: expected json, csv or svg for a frontier`, EXIT_ERROR);
  const request = validated(FrontierRequest, body);
  let frontier;
  let title = frontierTitle(request.seed ?? request.model?.name ?? 'model', request.axis);
  if (values.server) {
    frontier = (await callServer(values.server, '/v1/frontiers?format=json', body)) as ReturnType<typeof makeFrontier>;
  } else {
    try {
      const resolved = resolveModelAndHardware(request, seeds);
      title = frontierTitle(resolved.model.name, request.axis, resolved.hardware?.id);
      frontier = makeFrontier(frontierInput(request, resolved), clock);
    } catch (error) {
      localError(error);
    }
  }
  if (values.out) {
    writeFileSync(values.out, format === 'json' ? `${JSON.stringify(frontier, null, 2)}\n` : renderFrontier(frontier, format as 'csv' | 'svg', title).body);
  }
  if (!values.quiet) print(frontierSummary(frontier));
  return EXIT_PLAN;
}

/** Runs main and turns every failure into a message on stderr and an exit code. */
export async function run(argv: string[]): Promise<number> {
  try {
    return await main(argv);
  } catch (error) {
    if (error instanceof CliError) {
      console.error(error.message);
      return error.exitCode;
    }
    console.error(`error: ${(error as Error).message}`);
    return EXIT_ERROR;
  }
}
