import type { CostMetric } from '../costs/metric.js';
import { invalidInput, type FieldIssue } from '../errors.js';
import type { HardwareProfile } from '../hardware/profile.js';
import type { ModelDescriptor } from '../model/model.js';
import type { Budget, Objective } from './budget.js';
import { buildItems, type Item } from './items.js';
import { ItemValues } from './itemValues.js';
import { layerOptions, type PlannableLayer } from './layerOptions.js';
import { canonicalCandidates, normalizeModel } from './normalize.js';
import { DEFAULT_MODEL_PRECISION } from '../formats/candidate.js';
import { DEFAULT_EVIDENCE_POLICY, type EvidencePolicy } from '../sensitivity/evidence.js';
import { reduce, type ReducedProblem } from './instance.js';
import { DEFAULT_INTERACTION_POLICY, itemPairs, layerPairs, type ItemPair, type LayerPair, type NegativeInteractions } from './interactions.js';
import { checkQuantityKnown, type Quantity, type ResolvedLimit } from './rows.js';
import { resolveLimits } from './limits.js';
import { budgetMeaning } from './budgetMeaning.js';
import { TargetAdmission } from '../targets/admission.js';
import { fusionGroups, type FusionGroup } from '../targets/fusion.js';
import type { ResolvedTarget } from '../targets/runtimes.js';

/** What a plan or a frontier is made of: the model, what it may take, and the limits. */
export interface ProblemInput {
  model: ModelDescriptor;
  /** Path prefix of the model in the request, for error paths (`model`, or `seed(name)` for a seed). */
  modelPath: string;
  hardware?: HardwareProfile;
  candidates?: string[];
  allowEmulated?: boolean;
  batchSize: number;
  budgets: Budget[];
  objective: Objective;
  /** Costs the caller needs beyond the budgets and the objective (a frontier's axis). */
  axes?: CostMetric[];
  /** How measured evidence is treated (default: loss changes projected, no robust margin). */
  evidence?: EvidencePolicy;
  /** What negative interaction terms may do (default cap; see interactions.ts). */
  negativeInteractions?: NegativeInteractions;
  /** The runtime the plan is for: its schemes, shape rules and fusion groups are enforced (targets/). */
  target?: ResolvedTarget;
}

/** Everything a plan is made from, once the request has been checked. */
export interface PreparedProblem {
  model: ModelDescriptor;
  layers: PlannableLayer[];
  items: Item[];
  objective: Quantity;
  /** The budgets (and the objective's sensitivity bound), resolved to absolute limits. */
  limits: ResolvedLimit[];
  warnings: string[];
  /** Layers whose evidence is indistinguishable from zero (layerOptions.ts): warned with what a plan gives them. */
  zeroEvidence: string[];
  /** Which of the layers' own candidates the request's list left out (also among the warnings); an infeasible answer repeats it. */
  leftOut?: string;
  /** The model's interactions over the layers' options (empty without any). */
  pairs: LayerPair[];
  /** The same over the items' candidates, as the solver sees them. */
  itemPairs: ItemPair[];
  /** Each item's value of each quantity at each of its candidates, made once per quantity. */
  values: ItemValues;
  /** The reduction for a list of row quantities, made once per list (see reducedFor). */
  reductions: Map<string, ReducedProblem>;
  /** The runtime target and the fusion groups it tied, when the request names one. */
  target?: { resolved: ResolvedTarget; fusionGroups: FusionGroup[] };
}

/** Checks the request against the model and builds the problem; throws invalid-input with every issue found. */
export function prepareProblem(input: ProblemInput): PreparedProblem {
  const modelIssues: FieldIssue[] = [];
  const normalized = normalizeModel(input.model, modelIssues);
  // A target's fusion groups are ties after the model's own (layers a runtime fuses take one format).
  const fused = input.target ? fusionGroups(normalized, input.target.runtime.fusion) : [];
  const ownGroups = normalized.groups?.length ?? 0;
  const model = fused.length > 0 ? { ...normalized, groups: [...(normalized.groups ?? []), ...fused.map((group) => group.layers)] } : normalized;
  const issues: FieldIssue[] = modelIssues.map((issue) => ({ ...issue, path: `${input.modelPath}.${issue.path}` }));
  const precision = model.precision ?? DEFAULT_MODEL_PRECISION;
  const requested = input.candidates
    ? canonicalCandidates(input.candidates, 'candidates', issues, precision)
    : input.hardware && canonicalCandidates(input.hardware.defaultCandidates, 'hardware.defaultCandidates', issues, precision);
  if (issues.length > 0) throw invalidInput(issues);

  const requestedFrom = input.candidates ? 'the request\'s candidates' : input.hardware ? `hardware ${input.hardware.id}'s defaultCandidates` : undefined;
  const { layers, warnings, leftOut, zeroEvidence } = layerOptions(
    model,
    {
      requested,
      ...(requestedFrom ? { requestedFrom } : {}),
      hardware: input.hardware,
      batchSize: input.batchSize,
      allowEmulated: input.allowEmulated ?? false,
      modelPath: input.modelPath,
      precision,
      evidence: input.evidence ?? DEFAULT_EVIDENCE_POLICY,
      ...(input.target ? { admission: new TargetAdmission(input.target, input.hardware?.id) } : {}),
    },
    issues,
  );
  const groupIssues: FieldIssue[] = [];
  // A fusion group without a common candidate is the target's doing: reported on `target`.
  const groupPath = (g: number) => (g < ownGroups ? `groups[${g}]` : 'target');
  const items = buildItems(model, layers, groupIssues, groupPath);
  issues.push(...groupIssues.map((issue) => ({ ...issue, path: issue.path === 'target' ? 'target' : `${input.modelPath}.${issue.path}` })));
  const objective: Quantity = input.objective.minimize;
  const evidence = input.evidence ?? DEFAULT_EVIDENCE_POLICY;
  const pairIssues: FieldIssue[] = [];
  const pairs = layerPairs(model, layers, { negative: input.negativeInteractions ?? DEFAULT_INTERACTION_POLICY.negative, z: evidence.z }, precision, pairIssues);
  issues.push(...pairIssues.map((issue) => ({ ...issue, path: `${input.modelPath}.${issue.path}` })));
  if (pairs.length > 0 && objective !== 'sensitivity') {
    issues.push({ path: 'objective.minimize', message: `interactions make total sensitivity a sum over pairs of layers, which the solver minimizes but cannot hold under a bound; with model.interactions minimize sensitivity (and budget ${objective} instead)` });
  }
  const hardwareGiven = input.hardware !== undefined;
  input.budgets.forEach((budget, k) => checkQuantityKnown(layers, budget.metric, `budgets[${k}].metric`, issues, warnings, hardwareGiven));
  if (objective !== 'sensitivity') checkQuantityKnown(layers, objective, 'objective.minimize', issues, warnings, hardwareGiven);
  for (const axis of input.axes ?? []) checkQuantityKnown(layers, axis, 'axis', issues, warnings, hardwareGiven);
  if (issues.length > 0) throw invalidInput(issues);

  const values = new ItemValues(items, layers);
  values.make([...input.budgets.map((budget) => budget.metric), objective, ...(input.axes ?? [])]);
  const limits = resolveLimits(input.budgets, input.objective, values);
  const decideAlone = objective === 'sensitivity' && (input.axes ?? []).length === 0;
  warnings.push(...budgetMeaning(input.budgets, values, layers, decideAlone, leftOut && `The ${leftOut}`));
  if (model.unplanned && model.unplanned.params > 0) {
    const { params, tensors } = model.unplanned;
    warnings.push(`${params} parameters in ${tensors.length} tensors the descriptor does not plan (${tensors.slice(0, 3).join(', ')}${tensors.length > 3 ? ', ...' : ''}: biases, norms) stay in the model's precision and are not in sizeBytes or avgBits`);
  }
  return { model, layers, items, objective, limits, warnings, zeroEvidence, ...(leftOut ? { leftOut } : {}), pairs, itemPairs: itemPairs(items, pairs, layers), values, reductions: new Map(), ...(input.target ? { target: { resolved: input.target, fusionGroups: fused } } : {}) };
}

/** The problem reduced for these row quantities, made once per distinct list. */
export function reducedFor(problem: PreparedProblem, rows: readonly Quantity[]): ReducedProblem {
  const key = rows.join(',');
  let reduced = problem.reductions.get(key);
  if (!reduced) {
    reduced = reduce(problem.values, problem.objective, rows, problem.itemPairs);
    problem.reductions.set(key, reduced);
  }
  return reduced;
}
