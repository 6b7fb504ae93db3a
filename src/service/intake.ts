import type { Config } from '../config.js';
import { FrontierRequest } from '../contract/frontier.js';
import { PlanRequest } from '../contract/request.js';
import type { SeedStore } from './seedStore.js';
import { checkNames } from './resolve.js';
import { invalidRequest } from './validation/issueSink.js';
import { parseBounded } from './validation/boundedParse.js';
import { parseJsonBytes, type JsonScanResult } from './validation/jsonBytes.js';
import { checkLimits, jsonBodyLimits, modelBulkFields, type Limits } from './validation/limits.js';
import { shareCandidateLists } from './validation/sharedLists.js';

/**
 * A request body not yet parsed: bodies above INLINE_JSON_BYTES travel to a solver thread as
 * bytes and are parsed and validated there, so that the event loop never spends long on one.
 */
export interface JsonBytes {
  json: Uint8Array;
  /** The view's buffer belongs to this body alone, so it can move to a thread instead of being copied. */
  ownsBuffer?: boolean;
  /** What scanJson found as the body arrived (then it is not scanned again). */
  scanned?: JsonScanResult;
}

/** Bodies up to this size are parsed and validated on the event loop (a few milliseconds at most). */
export const INLINE_JSON_BYTES = 256 * 1024;

export function isJsonBytes(body: unknown): body is JsonBytes {
  return typeof body === 'object' && body !== null && (body as JsonBytes).json instanceof Uint8Array;
}

/** The parsed body of a request: JSON bytes are parsed here (bounded, see scanJson). */
function parsedBody(body: unknown, limits: Limits): unknown {
  const parsed = isJsonBytes(body) ? parseJsonBytes(body.json, jsonBodyLimits(limits), body.scanned) : body;
  refuseSeedAnswer(parsed);
  return parsed;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A whole GET /v1/seeds/NAME answer sent as `model` (a common first try: save the seed, edit it,
 * send it back) would be a list of unknown fields; one 400 at `model` says to send its `.model`.
 */
function refuseSeedAnswer(body: unknown): void {
  if (!isRecord(body) || !isRecord(body.model)) return;
  const given = body.model;
  if (given.layers !== undefined || !isRecord(given.model) || !Array.isArray(given.model.layers)) return;
  const name = typeof given.name === 'string' ? given.name.slice(0, 64) : 'NAME';
  throw invalidRequest([{ path: 'model', message: `this is a seed answer (GET /v1/seeds/${name}), whose descriptor is its .model: send that as model (jq '{model: .model}'), or give "seed": ${JSON.stringify(name)} to plan the seed as it is` }]);
}

/** A validated plan request within the configured limits; a 400 or 413 otherwise. */
export function readPlanRequest(body: unknown, limits: Limits): PlanRequest {
  return withinLimits(parseBounded(PlanRequest, modelBulkFields(limits), parsedBody(body, limits)), limits);
}

/** A validated frontier request within the configured limits; a 400 or 413 otherwise. */
export function readFrontierRequest(body: unknown, limits: Limits): FrontierRequest {
  return withinLimits(parseBounded(FrontierRequest, modelBulkFields(limits), parsedBody(body, limits)), limits);
}

/** A parsed request checked against the configured limits, its repeated candidate lists shared. */
function withinLimits<T extends Parameters<typeof checkLimits>[0]>(request: T, limits: Limits): T {
  checkLimits(request, limits);
  shareCandidateLists(request.model?.layers);
  return request;
}

/** What admitting a request needs to know of the configuration. */
export type IntakeLimits = Limits & Pick<Config, 'SOLVE_TIME_CEILING_MS'>;

/**
 * A request ready for the solver: validated, within the limits, its seed and hardware known
 * (404 otherwise), its time limit capped by the server-wide SOLVE_TIME_CEILING_MS.
 */
export function admitPlan(body: unknown, limits: IntakeLimits, seeds: SeedStore): PlanRequest {
  return capTimeLimit(named(readPlanRequest(body, limits), seeds), limits);
}

/** A frontier request ready for the solver (see admitPlan). */
export function admitFrontier(body: unknown, limits: IntakeLimits, seeds: SeedStore): FrontierRequest {
  return capTimeLimit(named(readFrontierRequest(body, limits), seeds), limits);
}

function named<T extends PlanRequest | FrontierRequest>(request: T, seeds: SeedStore): T {
  checkNames(request, seeds);
  return request;
}

function capTimeLimit<T extends PlanRequest | FrontierRequest>(request: T, limits: IntakeLimits): T {
  return { ...request, solver: { ...request.solver, timeLimitMs: Math.min(request.solver.timeLimitMs, limits.SOLVE_TIME_CEILING_MS) } };
}
