import type { Target } from '../contract/target.js';
import { checkpointOf, findRuntime, type PlanExport, type ResolvedTarget } from '../core/index.js';
import { invalidRequest } from './validation/issueSink.js';

/**
 * The runtime and checkpoint a request's target names (the schema admits only known ids). The
 * checkpoint defaults to the one `format` writes when the runtime reads it, else the runtime's
 * first; a 400 on `target` when the runtime does not read the checkpoint asked or the export.
 */
export function resolveTarget(target: Target | undefined, format?: PlanExport): ResolvedTarget | undefined {
  if (target === undefined) return undefined;
  const { runtime: runtimeId, checkpoint: asked } = typeof target === 'string' ? { runtime: target, checkpoint: undefined } : target;
  const runtime = findRuntime(runtimeId)!;
  const reads = runtime.checkpoints.map((checkpoint) => `${checkpoint.id} (?format=${checkpoint.export})`).join(', ');
  const exported = format !== undefined && format !== 'json' && format !== 'csv' ? format : undefined;
  const id = asked ?? (exported ? runtime.checkpoints.find((checkpoint) => checkpoint.export === exported)?.id : undefined);
  const checkpoint = checkpointOf(runtime, id);
  if (!checkpoint) throw invalidRequest([{ path: 'target.checkpoint', message: `${runtime.name} does not read ${asked}; it reads ${reads}` }]);
  if (exported && checkpoint.export !== exported) {
    throw invalidRequest([{ path: 'target', message: `a plan for ${runtime.name} reading ${checkpoint.id} is written by ?format=${checkpoint.export}, not ${exported}; ${runtime.name} reads ${reads}` }]);
  }
  return { runtime, checkpoint };
}
