import type { ModelDescriptor } from '../model/model.js';

/** A built-in model with where its figures come from. */
export interface Seed {
  name: string;
  description: string;
  provenance: SeedProvenance;
  model: ModelDescriptor;
}

export interface SeedProvenance {
  source: string;
  /** True when the sensitivities follow a stated rule instead of measurements. */
  synthetic: boolean;
  notes: string;
}
