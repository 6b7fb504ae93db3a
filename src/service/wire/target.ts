import type { FusionGroup, ResolvedTarget } from '../../core/index.js';

/** The target a plan or frontier was made for, as the wire PlannedTarget. */
export function wireTarget(target: { resolved: ResolvedTarget; fusionGroups: FusionGroup[] }) {
  const { runtime, checkpoint } = target.resolved;
  return { runtime: runtime.id, checkpoint: checkpoint.id, export: checkpoint.export, fusionGroups: target.fusionGroups };
}
