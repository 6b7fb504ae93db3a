import type { PlannedLayer } from '../plan/planResult.js';

/** A layer the target toolkit cannot express, for the 400 that says so. */
export interface UnexportableLayer {
  layer: PlannedLayer;
  reason: string;
}
