import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { findRuntime, type Budget } from '../core/index.js';
import { CliError, EXIT_ERROR } from './errors.js';

export const USAGE = `usage:
  bitplan plan     (--seed NAME | --model FILE.json) [options]
  bitplan frontier (--seed NAME | --model FILE.json) --axis METRIC [options]
  bitplan describe CHECKPOINT [--out FILE.json]   a descriptor from a .safetensors, its
                             index.json or a .gguf file (headers only; bitplan describe --help)

options:
  --hardware ID|FILE.json    built-in profile id (nvidia-t4, nvidia-h100, ...) or a profile file
  --candidates a,b,...       candidates every layer may take, e.g. int4/int4,int8/int8
  --budget METRIC<=VALUE     absolute budget, e.g. sizeBytes<=6.5e6 (repeatable)
  --budget METRIC:FRACTION   relative budget, e.g. bops:0.5 (cheapest + 0.5 x range)
  --minimize METRIC          minimize a cost instead of sensitivity (needs --max-sensitivity)
  --max-sensitivity X        bound on total sensitivity when minimizing a cost
  --alternatives K           also the K best distinct plans (2-20), listed after the plan
  --batch N                  batch size for roofline latency and energy
  --allow-emulated           allow candidates the hardware does not run natively
  --backend auto|mckp|lp-solver
  --time-limit MS            solver time limit
  --gap X                    accepted relative gap
  --target RUNTIME[:CKPT]    plan for a runtime: vllm (checkpoints compressed-tensors,
                             modelopt, gptq), tensorrt-llm, llama.cpp, hawq
  --format F                 what --out writes: plan: json, hawq, modelopt, llama-cpp,
                             llm-compressor, gptq, autoround, csv; frontier: json, csv, svg
                             (default json)
  --positional-type T        llama-cpp: the type llama-quantize is given (default Q8_0);
                             F16, BF16 and F32 make it ignore the file
  --out FILE                 write the plan or frontier there
  --axis METRIC              frontier axis (sizeBytes, avgBits, bops, latencyMs, energyJ, macLuts)
  --points N                 frontier budgets (default 50); --all for every Pareto point
  --server URL               ask a bitplan server instead of solving in-process
  --quiet                    no summary on stdout

exit codes: 0 a plan or frontier, 2 infeasible budgets, 1 any other error`;

/** What a command line asks for: the request body (the JSON the HTTP API takes) and where the answer goes. */
export interface CommandLine {
  command: 'plan' | 'frontier';
  body: Record<string, unknown>;
  format: string;
  out?: string;
  server?: string;
  quiet: boolean;
  /** llama-cpp exports: the positional type the usage line names. */
  positionalType?: string;
  /** Each --budget as it was written, so that errors name it so. */
  budgetTexts: string[];
}

const OPTIONS = {
  seed: { type: 'string' },
  model: { type: 'string' },
  hardware: { type: 'string' },
  candidates: { type: 'string' },
  budget: { type: 'string', multiple: true },
  minimize: { type: 'string' },
  'max-sensitivity': { type: 'string' },
  alternatives: { type: 'string' },
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
  target: { type: 'string' },
  'positional-type': { type: 'string' },
} as const;

/** The command line, or undefined when it names no command (the usage is printed). */
export function parseCommandLine(argv: string[]): CommandLine | undefined {
  const [command, ...rest] = argv;
  if (command !== 'plan' && command !== 'frontier') return undefined;
  const { values } = parseArgs({ args: rest, options: OPTIONS, strict: true });
  const body: Record<string, unknown> = {};
  if (values.seed) body.seed = values.seed;
  if (values.model) body.model = modelDescriptor(readJson(values.model), values.model);
  if (values.hardware) body.hardware = values.hardware.endsWith('.json') ? readJson(values.hardware) : values.hardware;
  if (values.candidates) body.candidates = values.candidates.split(',').map((c) => c.trim()).filter(Boolean);
  body.budgets = (values.budget ?? []).map((text) => {
    const budget = parseBudget(text);
    if (!budget) throw new CliError(`--budget ${text}: expected METRIC<=VALUE (absolute) or METRIC:FRACTION (relative), e.g. sizeBytes<=6.5e6 or bops:0.5`, EXIT_ERROR);
    return budget;
  });
  if (values['allow-emulated']) body.allowEmulated = true;
  if (values.target) {
    const [runtime, asked] = values.target.split(':');
    // The plan summarised and the file written are one plan: the checkpoint is the export's when the runtime reads it.
    const checkpoint = asked ?? findRuntime(runtime ?? '')?.checkpoints.find((rules) => rules.export === values.format)?.id;
    body.target = checkpoint ? { runtime, checkpoint } : runtime;
  }
  if (values.batch) body.batchSize = Number(values.batch);
  const solver: Record<string, unknown> = {};
  if (values['time-limit']) solver.timeLimitMs = Number(values['time-limit']);
  if (values.gap) solver.relativeGap = Number(values.gap);
  if (command === 'plan') {
    if (values.backend) solver.backend = values.backend;
    if (values.alternatives) body.alternatives = Number(values.alternatives);
    if (values.minimize) body.objective = { minimize: values.minimize, ...(values['max-sensitivity'] ? { maxSensitivity: Number(values['max-sensitivity']) } : {}) };
  } else {
    body.axis = values.axis;
    if (values.points) body.points = Number(values.points);
    if (values.all) body.all = true;
  }
  if (Object.keys(solver).length > 0) body.solver = solver;
  return { command, body, format: values.format ?? 'json', out: values.out, server: values.server, quiet: values.quiet ?? false, budgetTexts: values.budget ?? [], ...(values['positional-type'] ? { positionalType: values['positional-type'] } : {}) };
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new CliError(`cannot read ${path}: ${(error as Error).message}`, EXIT_ERROR);
  }
}

/**
 * A --model file's descriptor. A whole GET /v1/seeds/NAME answer (its descriptor under `model`,
 * beside name, description and provenance) is a common first try: its `model` is taken, with a note.
 */
function modelDescriptor(file: unknown, path: string): unknown {
  const seed = file as { model?: { layers?: unknown }; provenance?: unknown; layers?: unknown };
  if (seed && typeof seed === 'object' && seed.layers === undefined && seed.model?.layers !== undefined && seed.provenance !== undefined) {
    console.error(`note: ${path} is a seed answer (GET /v1/seeds/NAME); planning its .model`);
    return seed.model;
  }
  return file;
}

const ABSOLUTE = /^\s*([A-Za-z]+)\s*<=\s*([-+0-9.eE]+)\s*$/;
const RELATIVE = /^\s*([A-Za-z]+)\s*:\s*([-+0-9.eE]+)\s*$/;

/** `sizeBytes<=6.5e6` (absolute) or `bops:0.5` (relative); undefined when neither. The schema checks the metric and range. */
export function parseBudget(text: string): Budget | undefined {
  const absolute = ABSOLUTE.exec(text);
  if (absolute) return { metric: absolute[1] as Budget['metric'], max: Number(absolute[2]) };
  const relative = RELATIVE.exec(text);
  if (relative) return { metric: relative[1] as Budget['metric'], fraction: Number(relative[2]) };
  return undefined;
}
