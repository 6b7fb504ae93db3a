import type { Frontier } from '../contract/frontier.js';
import type { Plan } from '../contract/plan.js';
import { DEFAULT_CONFIG } from '../config.js';
import { makeFrontier, makePlan, type PlanExport } from '../core/index.js';
import { admitFrontier, admitPlan } from '../service/intake.js';
import { renderFrontier, renderPlan, type FrontierRepresentation, type RenderedAnswer } from '../service/render/answer.js';
import { resolveModelAndHardware } from '../service/resolve.js';
import type { SeedStore } from '../service/seedStore.js';
import { frontierInput, planInput } from '../service/toCore.js';
import { wireFrontier } from '../service/wire/frontier.js';
import { wirePlan } from '../service/wire/plan.js';
import { CliError, EXIT_ERROR, localError, problemError, type ProblemBody } from './errors.js';

/** Where a command's request is answered: in this process, or by a bitplan server. */
export interface Runner {
  /** The plan, the model's name when known, and the plan's file in `format` when that is not json. */
  plan(body: unknown, format: PlanExport): Promise<{ plan: Plan; modelName?: string; file?: RenderedAnswer }>;
  /** The frontier, and its file in `representation` when that is not json. */
  frontier(body: unknown, representation: FrontierRepresentation): Promise<{ frontier: Frontier; file?: RenderedAnswer }>;
}

const clock = { now: () => performance.now() };

/** The service's own pipeline in-process: the same admission (validation, limits, names) as a server. */
export function localRunner(seeds: SeedStore): Runner {
  const local = <T>(work: () => T): Promise<T> => {
    try {
      return Promise.resolve(work());
    } catch (error) {
      return Promise.reject(localError(error));
    }
  };
  return {
    plan: (body, format) =>
      local(() => {
        const request = admitPlan(body, DEFAULT_CONFIG, seeds);
        const { seedWarning, ...resolved } = resolveModelAndHardware(request, seeds);
        const result = makePlan(planInput(request, resolved, format), clock);
        if (seedWarning) result.warnings.push(seedWarning);
        return { plan: wirePlan(result), modelName: result.modelName, ...(format !== 'json' ? { file: renderPlan(result, format) } : {}) };
      }),
    frontier: (body, representation) =>
      local(() => {
        const request = admitFrontier(body, DEFAULT_CONFIG, seeds);
        const { seedWarning, ...resolved } = resolveModelAndHardware(request, seeds);
        const result = makeFrontier(frontierInput(request, resolved), clock);
        if (seedWarning) result.warnings.push(seedWarning);
        return { frontier: wireFrontier(result), ...(representation !== 'json' ? { file: renderFrontier(result, representation) } : {}) };
      }),
  };
}

/** A bitplan server at `url`: the JSON answer, then the file in the asked format when that is another. */
export function serverRunner(url: string): Runner {
  return {
    plan: async (body, format) => {
      const plan = JSON.parse((await post(url, '/v1/plans', body)).body) as Plan;
      return { plan, ...(format !== 'json' ? { file: await post(url, `/v1/plans?format=${format}`, body) } : {}) };
    },
    frontier: async (body, representation) => {
      const frontier = JSON.parse((await post(url, '/v1/frontiers', body)).body) as Frontier;
      return { frontier, ...(representation !== 'json' ? { file: await post(url, `/v1/frontiers?format=${representation}`, body) } : {}) };
    },
  };
}

async function post(server: string, path: string, body: unknown): Promise<RenderedAnswer> {
  let response: Response;
  try {
    // A service started with API_TOKENS takes the token from BITPLAN_TOKEN.
    const token = process.env.BITPLAN_TOKEN;
    response = await fetch(new URL(path, server), { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });
  } catch (error) {
    throw new CliError(`cannot reach ${server}: ${(error as Error).message}`, EXIT_ERROR);
  }
  const text = await response.text();
  if (!response.ok) {
    let problem: ProblemBody;
    try {
      problem = JSON.parse(text) as ProblemBody;
    } catch {
      problem = { detail: text.slice(0, 500) };
    }
    throw problemError(problem, response.status);
  }
  const usage = response.headers.get('bitplan-usage');
  // fetch joins a repeated header with ", ", which warnings (they list layers) also hold: shown as one.
  const warning = response.headers.get('bitplan-warning');
  return { contentType: response.headers.get('content-type') ?? 'application/octet-stream', body: text, ...(usage ? { usage } : {}), ...(warning ? { warnings: [warning] } : {}) };
}
