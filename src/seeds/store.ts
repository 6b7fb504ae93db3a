import { readFileSync } from 'node:fs';
import type { Seed } from '../contract/catalog.js';
import { hawqV3Seed, type HawqV3Data } from '../core/index.js';
import { projectPath } from '../projectRoot.js';

/** The built-in seed models, read once from seeds/ at start-up. */
export interface SeedStore {
  list(): Seed[];
  find(name: string): Seed | undefined;
}

export function loadSeedStore(): SeedStore {
  const read = (file: string) => JSON.parse(readFileSync(projectPath('seeds', 'hawq-v3', file), 'utf8')) as HawqV3Data;
  const seeds = [hawqV3Seed(read('resnet18.json')), hawqV3Seed(read('resnet50.json'))];
  const byName = new Map(seeds.map((seed) => [seed.name, seed]));
  return { list: () => seeds, find: (name) => byName.get(name) };
}
