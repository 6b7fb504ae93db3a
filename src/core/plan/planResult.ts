import type { CostMetric } from '../costs/metric.js';
import type { Candidate } from '../formats/candidate.js';
import type { NumericFormat } from '../formats/format.js';
import type { LayerAliases, ModelDescriptor } from '../model/model.js';
import type { FusionGroup } from '../targets/fusion.js';
import type { ResolvedTarget } from '../targets/runtimes.js';
import type { Quantity } from '../problem/rows.js';
import type { SensitivitySource } from '../sensitivity/source.js';
import type { SolverBackendName } from '../solvers/backend.js';
import type { StopReason } from '../solvers/instance.js';

/**
 * A plan as the core makes it: formats as objects, so that exporters and renderings read them
 * without parsing ids. src/service maps it to the wire Plan once.
 */
export interface PlanResult {
  modelName: string;
  /** optimal: proven within the requested gap; feasible: stopped before (bound and gap say how far). */
  status: 'optimal' | 'feasible';
  objective: { quantity: Quantity; value: number };
  /** Proven lower bound on the objective. */
  bound: number;
  /** (objective - bound) / |objective|. */
  gap: number;
  totals: Partial<Record<Quantity, number>>;
  /** With interactions: the predicted sensitivity split into the layers' own and the pairs' terms. */
  sensitivityParts?: SensitivityParts;
  budgets: BudgetUse[];
  layers: PlannedLayer[];
  /** With alternatives > 1: the best distinct plans, best first (this plan is the first). */
  alternatives?: PlanAlternative[];
  solver: SolverReport;
  warnings: string[];
  /** The runtime the plan was made for, with the fusion groups it tied. */
  target?: { resolved: ResolvedTarget; fusionGroups: FusionGroup[] };
  /** The model as planned (names, ops, row lengths, inputs): exports check the plan against its readers with it. */
  model: ModelDescriptor;
}

export interface SensitivityParts {
  layers: number;
  interactions: number;
}

/** One of the k best plans: its objective, totals and every layer's candidate. */
export interface PlanAlternative {
  rank: number;
  objective: number;
  sensitivityParts?: SensitivityParts;
  totals: Partial<Record<Quantity, number>>;
  layers: { name: string; candidate: Candidate }[];
}

export interface PlannedLayer {
  name: string;
  aliases?: LayerAliases;
  candidate: Candidate;
  sensitivity: number;
  sensitivitySource: SensitivitySource;
  pinned: boolean;
  /** With a hardware profile: the format the layer computes in, and whether natively. */
  computesIn?: { format: NumericFormat; native: boolean };
  /** Costs at the chosen candidate; avgBits is the layer's own bits per weight. */
  costs: Partial<Record<CostMetric, number>>;
}

export interface BudgetUse {
  metric: Quantity;
  limit: number;
  used: number;
  slack: number;
  /** slack / limit: how much of the budget is left, as a share of it (0 when the limit is 0). */
  slackFraction: number;
  /**
   * This budget blocks at least one single-layer change that would improve the objective (a
   * budget can bind with slack left: the blocked change needs more than the slack).
   */
  binding: boolean;
}

export interface SolverReport {
  backend: Exclude<SolverBackendName, 'auto'>;
  timeMs: number;
  nodes: number;
  /** For a feasible (unproven) plan: what stopped the search before the proof. */
  stoppedBy?: StopReason;
}
