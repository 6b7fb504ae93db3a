import type { HardwareProfile } from '../contract/hardware.js';
import type { ModelDescriptor } from '../contract/model.js';
import { findHardware } from '../core/index.js';
import type { SeedStore } from './seedStore.js';
import { BUILT_IN_HARDWARE } from '../core/index.js';
import { serviceError } from './errors.js';

export const unknownSeed = (name: string, seeds: SeedStore) => serviceError('BITPLAN_ERR_UNKNOWN_SEED', [name, seeds.names().join(', ')]);
export const unknownHardware = (id: string) => serviceError('BITPLAN_ERR_UNKNOWN_HARDWARE', [id, BUILT_IN_HARDWARE.map((profile) => profile.id).join(', ')]);

/** The model (inline or a seed) and hardware (an id or inline) a request names; 404 for unknown names. */
export function resolveModelAndHardware(
  body: { model?: ModelDescriptor; seed?: string; hardware?: string | HardwareProfile },
  seeds: SeedStore,
): { model: ModelDescriptor; modelPath: string; hardware?: HardwareProfile; seedWarning?: string } {
  let model = body.model;
  let seedWarning: string | undefined;
  if (body.seed !== undefined) {
    const seed = seeds.find(body.seed);
    if (!seed) throw unknownSeed(body.seed, seeds);
    model = seed.model;
    if (seed.provenance.synthetic) {
      seedWarning = `seed ${body.seed} has synthetic sensitivities (its shapes are the real architecture's; its scores are not measured): the plan shows how budgets and formats trade on this architecture, not which of its layers are sensitive; measure your model (bitplan.torch) and send it as model`;
    }
  }
  let hardware = typeof body.hardware === 'object' ? body.hardware : undefined;
  if (typeof body.hardware === 'string') {
    hardware = findHardware(body.hardware);
    if (!hardware) throw unknownHardware(body.hardware);
  }
  return { model: model!, modelPath: body.seed !== undefined ? `seed(${body.seed})` : 'model', hardware, ...(seedWarning ? { seedWarning } : {}) };
}

/** 404 early, on the event loop, for a seed or hardware id that does not exist. */
export function checkNames(body: { seed?: string; hardware?: string | HardwareProfile }, seeds: SeedStore): void {
  if (body.seed !== undefined && !seeds.names().includes(body.seed)) throw unknownSeed(body.seed, seeds);
  if (typeof body.hardware === 'string' && !findHardware(body.hardware)) throw unknownHardware(body.hardware);
}

/**
 * Estimated work above which a request is heavy: it never takes the last free solver thread, so
 * that small requests keep one. About a plan of 2,000 layers with four candidates each.
 */
export const HEAVY_WORK = 8_000;

/** What a request may carry that multiplies its work. */
interface WorkShape {
  model?: ModelDescriptor;
  seed?: string;
  candidates?: readonly string[];
  alternatives?: number;
  points?: number;
  all?: boolean;
  axis?: string;
}

/**
 * A request's work, estimated before solving: layers x candidates (4 where the layers bring their
 * own) x the integer programs it solves (a frontier's points; an all-points frontier as 200), x 20
 * for the k best plans, plus 36 a measured interaction pair. Layer count alone would call two
 * all-points frontiers of a 562-layer model light, and they held both threads for 100 s.
 */
export function estimatedWork(body: WorkShape, seeds: SeedStore): number {
  const layers = body.model?.layers.length ?? (body.seed !== undefined ? seeds.layerCount(body.seed) : 0);
  const candidates = body.candidates?.length ?? 4;
  const solves = body.axis === undefined ? 1 : body.all ? 200 : (body.points ?? 50);
  const alternatives = (body.alternatives ?? 1) > 1 ? 20 : 1;
  return layers * candidates * solves * alternatives + 36 * (body.model?.interactions?.length ?? 0);
}

export function isHeavy(body: WorkShape, seeds: SeedStore): boolean {
  return estimatedWork(body, seeds) > HEAVY_WORK;
}
