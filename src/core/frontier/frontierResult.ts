import type { CostMetric } from '../costs/metric.js';
import type { Candidate } from '../formats/candidate.js';
import type { FusionGroup } from '../targets/fusion.js';
import type { ResolvedTarget } from '../targets/runtimes.js';

/**
 * A frontier as the core makes it (candidates as objects); src/service maps it to the wire
 * Frontier. The contract's FrontierPoint schema describes FrontierPoint exactly.
 */
export interface FrontierResult {
  modelName: string;
  hardwareId?: string;
  axis: CostMetric;
  unit: string;
  /** Layer names, the order of every assignment. */
  layers: string[];
  /** The candidates assignments index. */
  candidates: Candidate[];
  /** Non-dominated points ordered by cost. */
  points: FrontierPoint[];
  knee: number | null;
  baselines: BaselinePoint[];
  /** Vertices of the lower convex hull (all exact). */
  supportedPoints: number;
  solver: { timeMs: number; solves: number };
  /** The runtime every point was made for, with the fusion groups tied. */
  target?: { resolved: ResolvedTarget; fusionGroups: FusionGroup[] };
  warnings: string[];
}

export interface FrontierPoint {
  cost: number;
  sensitivity: number;
  status: 'optimal' | 'feasible';
  gap: number;
  source: 'supported' | 'budget' | 'pareto';
  /** One index into candidates per layer. */
  assignment: number[];
}

export interface BaselinePoint {
  candidate: Candidate;
  cost: number;
  sensitivity: number;
  meetsBudgets: boolean;
}
