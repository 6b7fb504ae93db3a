import { MEASURED_LATENCY_UNIT, METRIC_UNITS, type CostMetric } from '../costs/metric.js';
import { CoreError, coreError, invalidInput } from '../errors.js';
import type { Candidate } from '../formats/candidate.js';
import type { HardwareProfile } from '../hardware/profile.js';
import type { ModelDescriptor } from '../model/model.js';
import { infeasible, solvePlan } from '../plan/solvePlan.js';
import { verifyAssignment } from '../plan/verify.js';
import type { Budget } from '../problem/budget.js';
import type { EvidencePolicy } from '../sensitivity/evidence.js';
import { expandChoice, instanceFor } from '../problem/instance.js';
import { prepareProblem, reducedFor, type PreparedProblem } from '../problem/prepare.js';
import { optionValue, type ResolvedLimit } from '../problem/rows.js';
import { quantityRange } from '../problem/itemValues.js';
import { relativeGap, withinCapacity, type Clock } from '../solvers/instance.js';
import type { BaselinePoint, FrontierPoint, FrontierResult } from './frontierResult.js';
import { supportedPoints, type HullPoint } from './hull.js';
import type { NegativeInteractions } from '../problem/interactions.js';
import { kneeIndex } from './knee.js';
import { zeroEvidenceWarning } from '../plan/zeroEvidence.js';
import { allParetoPoints } from './pareto.js';
import type { ResolvedTarget } from '../targets/runtimes.js';

export interface FrontierInput {
  model: ModelDescriptor;
  modelPath: string;
  hardware?: HardwareProfile;
  candidates?: string[];
  allowEmulated: boolean;
  axis: CostMetric;
  budgets: Budget[];
  points: number;
  all: boolean;
  maxPoints: number;
  batchSize: number;
  solver: { timeLimitMs: number; relativeGap: number };
  evidence?: EvidencePolicy;
  negativeInteractions?: NegativeInteractions;
  /** The runtime every point is for (targets/): its schemes, shape rules and fusion groups hold at every point. */
  target?: ResolvedTarget;
}

/**
 * The frontier of total sensitivity against `axis`, the other budgets held: the supported points
 * (exact, from one hull sweep) merged with the exact optimum at `points` evenly spaced axis
 * budgets, each solved like a plan (solvePlan), or with `all`, every Pareto-optimal point. Every
 * point is verified on the per-layer problem; dominated points are dropped.
 */
export function makeFrontier(input: FrontierInput, clock: Clock): FrontierResult {
  const start = clock.now();
  const problem = prepareProblem({ ...input, objective: { minimize: 'sensitivity' }, axes: [input.axis] });
  const { layers, items, limits: others, model } = problem;
  if (others.some((limit) => !withinCapacity(limit.leastReachable, limit.limit))) throw infeasible(others, problem.leftOut);
  const range = quantityRange(problem.values, input.axis);
  const axisLimit = (limit: number): ResolvedLimit => ({ quantity: input.axis, limit, leastReachable: range.least });
  const withAxis = [...others, axisLimit(Infinity)];
  const reduced = reducedFor(problem, withAxis.map((limit) => limit.quantity));
  const instance = instanceFor(reduced, withAxis);
  const axisRow = others.length;

  // Candidates the assignments index, in order of first appearance.
  const candidates: Candidate[] = [];
  const candidateIndex = new Map<string, number>();
  for (const { options } of layers) {
    for (const option of options) {
      if (!candidateIndex.has(option.candidate.id)) {
        candidateIndex.set(option.candidate.id, candidates.length);
        candidates.push(option.candidate);
      }
    }
  }
  const collected: FrontierPoint[] = [];
  const accept = (assignment: number[], status: FrontierPoint['status'], gap: number, source: FrontierPoint['source']) => {
    const verified = verifyAssignment(problem, assignment, 'sensitivity', withAxis);
    collected.push({
      cost: verified.used[axisRow]!,
      sensitivity: verified.objective,
      status,
      gap,
      source,
      assignment: assignment.map((option, i) => candidateIndex.get(layers[i]!.options[option]!.candidate.id)!),
    });
  };
  const meetsOthers = (point: HullPoint) =>
    others.every((_, k) => {
      let used = 0;
      instance.items.forEach((item, i) => (used += item.options[point.choice[i]!]!.weights[k]!));
      return withinCapacity(used, instance.capacities[k]!);
    });

  let solves = 0;
  let supportedTotal = 0;
  // The supported points and the all-points enumeration sum additive sensitivities; with
  // interactions every point is a plan solved exactly at its budget.
  const withPairs = problem.pairs.length > 0;
  if (input.all && withPairs) {
    throw invalidInput([{ path: 'all', message: 'the all-points frontier enumerates additive sensitivities; with model.interactions ask for points (each an exact plan at its budget)' }]);
  }
  if (input.all) {
    const deadline = start + input.solver.timeLimitMs;
    const all = allParetoPoints(instance, axisRow, input.maxPoints, { now: clock.now, deadline });
    if ('exceeded' in all) throw coreError('BITPLAN_ERR_FRONTIER_TOO_LARGE', [input.maxPoints, all.exceeded]);
    const slow = (done: number, points: number) => coreError('BITPLAN_ERR_FRONTIER_TOO_SLOW', [input.solver.timeLimitMs, done, instance.items.length, points]);
    if ('timedOutAt' in all) throw slow(all.timedOutAt, all.points);
    // Verifying every point is the rest of the work: it also answers to the clock.
    all.forEach((point, n) => {
      if (n % 256 === 0 && clock.now() > deadline) throw slow(instance.items.length, all.length);
      accept(expandChoice(items, reduced, point.choice), 'optimal', 0, 'pareto');
    });
    supportedTotal = supportedPoints(instance, axisRow, 1).total;
  } else {
    if (!withPairs) {
      const hull = supportedPoints(instance, axisRow, input.maxPoints);
      supportedTotal = hull.total;
      for (const point of hull.points) if (meetsOthers(point)) accept(expandChoice(items, reduced, point.choice), 'optimal', 0, 'supported');
    }
    const deadline = start + input.solver.timeLimitMs;
    for (let j = 0; j < input.points; j++) {
      const remaining = deadline - clock.now();
      if (remaining <= 0) break;
      const budget = range.least + ((range.most - range.least) * j) / (input.points - 1);
      const solver = { backend: 'mckp' as const, timeLimitMs: remaining / (input.points - j), relativeGap: input.solver.relativeGap };
      solves++;
      const solution = solveOrSkip(problem, [...others, axisLimit(budget)], solver, clock);
      if (!solution) continue;
      accept(solution.verified.options, solution.status, solution.gap, 'budget');
    }
  }

  const points = nonDominated(collected);
  const warnings = [...problem.warnings, ...zeroEvidenceWarning(problem)];
  if (!input.all && points.length < input.points) {
    // Neighbouring budgets often share their optimum, and a plan another beats is dropped.
    const stopped = solves < input.points ? ` (the time limit stopped the other ${input.points - solves})` : '';
    warnings.push(`${input.points} points asked, ${solves} axis budgets solved${stopped}: they and the supported points gave ${points.length} distinct non-dominated plans, since neighbouring budgets often share their optimum`);
  }
  return {
    modelName: model.name,
    ...(input.hardware ? { hardwareId: input.hardware.id } : {}),
    axis: input.axis,
    unit: input.axis === 'latencyMs' && model.layers.some((layer) => layer.latencyMs !== undefined) ? MEASURED_LATENCY_UNIT : METRIC_UNITS[input.axis],
    layers: layers.map((l) => l.layer.name),
    candidates,
    points,
    knee: kneeIndex(points),
    baselines: baselines(problem, candidates, input.axis, others),
    supportedPoints: supportedTotal,
    solver: { timeMs: clock.now() - start, solves },
    ...(problem.target ? { target: problem.target } : {}),
    warnings,
  };
}

/** A budget point's plan, or undefined when the point is infeasible under the other budgets or ran out of time. */
function solveOrSkip(problem: PreparedProblem, limits: ResolvedLimit[], solver: Parameters<typeof solvePlan>[2], clock: Clock) {
  try {
    const solution = solvePlan(problem, limits, solver, clock);
    return { ...solution, gap: relativeGap(solution.verified.objective, solution.bound) };
  } catch (error) {
    if (error instanceof CoreError && (error.code === 'BITPLAN_ERR_INFEASIBLE' || error.code === 'BITPLAN_ERR_NO_SOLUTION_IN_TIME')) return undefined;
    throw error;
  }
}

/** Sorted by cost; a point stays only if it is strictly less sensitive than every cheaper one. */
function nonDominated(points: FrontierPoint[]): FrontierPoint[] {
  const sourceRank = { supported: 0, pareto: 0, budget: 1 } as const;
  const sorted = [...points].sort((a, b) => a.cost - b.cost || a.sensitivity - b.sensitivity || sourceRank[a.source] - sourceRank[b.source]);
  const kept: FrontierPoint[] = [];
  for (const point of sorted) {
    const last = kept[kept.length - 1];
    const tolerance = 1e-12 * Math.max(1, Math.abs(point.sensitivity));
    if (!last || point.sensitivity < last.sensitivity - tolerance) kept.push(point);
  }
  return kept;
}

/** Every unpinned layer at one candidate (pinned layers keep their pin), for each candidate all unpinned layers allow. */
function baselines(problem: PreparedProblem, candidates: Candidate[], axis: CostMetric, others: ResolvedLimit[]): BaselinePoint[] {
  const { layers } = problem;
  const out: BaselinePoint[] = [];
  for (const candidate of candidates) {
    const chosen = layers.map((plannable) => (plannable.pinned ? plannable.options[0] : plannable.options.find((o) => o.candidate.id === candidate.id)));
    if (chosen.some((option) => option === undefined)) continue;
    const total = (quantity: ResolvedLimit['quantity']) => chosen.reduce((sum, option) => sum + (optionValue(option!, quantity) ?? 0), 0);
    out.push({
      candidate,
      cost: total(axis),
      sensitivity: total('sensitivity'),
      meetsBudgets: others.every((limit) => withinCapacity(total(limit.quantity), limit.limit)),
    });
  }
  return out;
}
