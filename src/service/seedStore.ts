import { readFileSync } from 'node:fs';
import type { Seed } from '../core/index.js';
import { ARCHITECTURE_SEEDS, architectureSeed, hawqV3Seed, type HawqV3Data } from '../core/index.js';
import { projectPath } from '../projectRoot.js';

/** The built-in seed models: the HAWQ-V3 ones read from seeds/ at start-up, the architecture ones built on first use. */
export interface SeedStore {
  names(): string[];
  find(name: string): Seed | undefined;
  /** Layers of a seed (builds it once if needed). */
  layerCount(name: string): number;
  /** The seed is built already (finding it costs nothing). */
  isBuilt(name: string): boolean;
}

export function loadSeedStore(): SeedStore {
  const read = (file: string) => JSON.parse(readFileSync(projectPath('seeds', 'hawq-v3', file), 'utf8')) as HawqV3Data;
  const built = new Map<string, Seed>([read('resnet18.json'), read('resnet50.json')].map((data) => {
    const seed = hawqV3Seed(data);
    return [seed.name, seed];
  }));
  const lazy = new Map(ARCHITECTURE_SEEDS.map((definition) => [definition.name, definition]));
  const names = [...built.keys(), ...lazy.keys()];
  const counts = new Map<string, number>();
  const store: SeedStore = {
    names: () => names,
    isBuilt: (name) => built.has(name),
    layerCount: (name) => {
      if (!counts.has(name)) counts.set(name, store.find(name)?.model.layers.length ?? 0);
      return counts.get(name)!;
    },
    find: (name) => {
      const ready = built.get(name);
      if (ready) return ready;
      const definition = lazy.get(name);
      if (!definition) return undefined;
      const seed = architectureSeed(definition, definition.build());
      built.set(name, seed);
      return seed;
    },
  };
  return store;
}
