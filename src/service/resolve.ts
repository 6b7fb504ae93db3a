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
): { model: ModelDescriptor; modelPath: string; hardware?: HardwareProfile } {
  let model = body.model;
  if (body.seed !== undefined) {
    const seed = seeds.find(body.seed);
    if (!seed) throw unknownSeed(body.seed, seeds);
    model = seed.model;
  }
  let hardware = typeof body.hardware === 'object' ? body.hardware : undefined;
  if (typeof body.hardware === 'string') {
    hardware = findHardware(body.hardware);
    if (!hardware) throw unknownHardware(body.hardware);
  }
  return { model: model!, modelPath: body.seed !== undefined ? `seed(${body.seed})` : 'model', hardware };
}

/** 404 early, on the event loop, for a seed or hardware id that does not exist. */
export function checkNames(body: { seed?: string; hardware?: string | HardwareProfile }, seeds: SeedStore): void {
  if (body.seed !== undefined && !seeds.names().includes(body.seed)) throw unknownSeed(body.seed, seeds);
  if (typeof body.hardware === 'string' && !findHardware(body.hardware)) throw unknownHardware(body.hardware);
}

/** Models above this many layers are heavy: they never take the last free solver thread. */
export const HEAVY_LAYERS = 2000;

export function isHeavy(body: { model?: ModelDescriptor; seed?: string }, seeds: SeedStore): boolean {
  const layers = body.model?.layers.length ?? (body.seed !== undefined ? seeds.layerCount(body.seed) : 0);
  return layers > HEAVY_LAYERS;
}
