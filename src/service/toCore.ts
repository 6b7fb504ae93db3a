import type { FrontierRequest } from '../contract/frontier.js';
import type { PlanRequest } from '../contract/request.js';
import type { EvidencePolicy, FrontierInput, PlanExport, PlanInput } from '../core/index.js';
import type { resolveModelAndHardware } from './resolve.js';
import { resolveTarget } from './target.js';

type Resolved = ReturnType<typeof resolveModelAndHardware>;

/** The evidence policy a request asks for. */
function evidencePolicy(request: PlanRequest | FrontierRequest): EvidencePolicy {
  return { lossDelta: request.evidence.lossDelta, z: request.robust?.z ?? 0, negativeTrace: request.evidence.negativeTrace };
}

/** The core's input for a validated plan request, its model and hardware resolved; `format` picks the target's checkpoint. */
export function planInput(request: PlanRequest, resolved: Resolved, format?: PlanExport): PlanInput {
  const { candidates, budgets, objective, batchSize, allowEmulated, solver, alternatives } = request;
  const target = resolveTarget(request.target, format);
  return { ...resolved, candidates, budgets, objective, batchSize, allowEmulated, solver, alternatives, evidence: evidencePolicy(request), negativeInteractions: request.interactions.negative, ...(target ? { target } : {}) };
}

/** The core's input for a validated frontier request, its model and hardware resolved. */
export function frontierInput(request: FrontierRequest, resolved: Resolved): FrontierInput {
  const { candidates, allowEmulated, axis, budgets, points, all, maxPoints, batchSize, solver } = request;
  const target = resolveTarget(request.target);
  return { ...resolved, candidates, allowEmulated, axis, budgets, points, all, maxPoints, batchSize, solver, evidence: evidencePolicy(request), negativeInteractions: request.interactions.negative, ...(target ? { target } : {}) };
}
