import type { HardwareProfile } from '../../contract/hardware.js';
import type { Frontier, FrontierPoint } from '../../contract/frontier.js';
import type { ModelDescriptor } from '../../contract/model.js';
import type { Budget } from '../../contract/request.js';
import { METRIC_UNITS, type CostMetric } from '../costs/metric.js';
import { CoreError } from '../errors.js';
import type { Clock } from '../plan/makePlan.js';
import { infeasible, prepareProblem } from '../plan/makePlan.js';
import { verifyAssignment } from '../plan/verify.js';
import { expandChoice, reduce } from '../problem/instance.js';
import { optionValue } from '../problem/rows.js';
import { solveWithMckp } from '../solvers/mckp/solve.js';
import { withinCapacity } from '../solvers/instance.js';
import { supportedPoints, type HullPoint } from './hull.js';
import { kneeIndex } from './knee.js';
import { allParetoPoints } from './pareto.js';

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
}

/**
 * The frontier of total sensitivity against `axis`, the other budgets held: the supported points
 * (exact, from one hull sweep) merged with the exact optimum at `points` evenly spaced axis
 * budgets, or with `all`, every Pareto-optimal point. Every point is verified on the per-layer
 * problem like a plan; dominated points are dropped.
 */
export function makeFrontier(input: FrontierInput, clock: Clock): Frontier {
  const start = clock.now();
  const problem = prepareProblem({
    model: input.model,
    modelPath: input.modelPath,
    hardware: input.hardware,
    candidates: input.candidates,
    allowEmulated: input.allowEmulated,
    // The axis is the last row; its limit is set per point.
    budgets: [...input.budgets, { metric: input.axis, max: 0 }],
    objective: { minimize: 'sensitivity' },
    batchSize: input.batchSize,
    solver: { backend: 'mckp', ...input.solver },
  });
  const { layers, items, limits, model } = problem;
  const axisRow = limits.length - 1;
  const others = limits.slice(0, axisRow);
  if (others.some((limit) => !withinCapacity(limit.leastReachable, limit.limit))) throw infeasible(others, 'the other budgets cannot be met');
  const reduced = reduce(items, layers, 'sensitivity', limits);
  const { instance } = reduced;
  const fixedAxis = -instance.capacities[axisRow]!; // reduce subtracted the fixed items from the placeholder 0
  const cheapest = limits[axisRow]!.leastReachable;
  const mostExpensive = instance.items.reduce((sum, item) => sum + Math.max(...item.options.map((o) => o.weights[axisRow]!)), fixedAxis);

  // Candidate ids the assignments index, in order of first appearance.
  const candidateIds: string[] = [];
  const candidateIndex = new Map<string, number>();
  for (const { options } of layers) {
    for (const option of options) {
      if (!candidateIndex.has(option.candidate.id)) {
        candidateIndex.set(option.candidate.id, candidateIds.length);
        candidateIds.push(option.candidate.id);
      }
    }
  }

  const collected: FrontierPoint[] = [];
  const accept = (choice: ArrayLike<number>, status: FrontierPoint['status'], gap: number, source: FrontierPoint['source']) => {
    const assignment = expandChoice(items, reduced, choice);
    const verified = verifyAssignment(model, layers, assignment, 'sensitivity', [...others, { ...limits[axisRow]!, limit: Infinity }]);
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
  if (input.all) {
    const all = allParetoPoints(instance, axisRow, input.maxPoints);
    if (!Array.isArray(all)) {
      throw new CoreError(
        'BITPLAN_ERR_FRONTIER_TOO_LARGE',
        `the exact frontier has more than maxPoints=${input.maxPoints} Pareto-optimal points (a partial frontier reached ${all.exceeded}); raise maxPoints (up to 100000) or ask for points evenly spaced budgets with all=false`,
      );
    }
    for (const point of all) accept(point.choice, 'optimal', 0, 'pareto');
    supportedTotal = supportedPoints(instance, axisRow, 1).total;
  } else {
    const hull = supportedPoints(instance, axisRow, input.maxPoints);
    supportedTotal = hull.total;
    for (const point of hull.points) if (meetsOthers(point)) accept(point.choice, 'optimal', 0, 'supported');
    const deadline = start + input.solver.timeLimitMs;
    for (let j = 0; j < input.points; j++) {
      const budget = cheapest + ((mostExpensive - cheapest) * j) / (input.points - 1);
      const remaining = deadline - clock.now();
      if (remaining <= 0) break;
      const capacities = [...instance.capacities];
      capacities[axisRow] = budget - fixedAxis;
      const outcome = solveWithMckp(
        { items: instance.items, capacities },
        { timeLimitMs: remaining / (input.points - j), relativeGap: input.solver.relativeGap, now: clock.now },
      );
      solves++;
      if (!outcome.choice) continue; // infeasible under the other budgets, or out of time
      const objective = outcome.objective ?? 0;
      const gap = Math.max(0, (objective - (outcome.bound ?? objective)) / Math.max(Math.abs(objective), Number.MIN_VALUE));
      accept(outcome.choice, outcome.status === 'optimal' ? 'optimal' : 'feasible', gap, 'budget');
    }
  }

  const points = nonDominated(collected);
  return {
    axis: input.axis,
    unit: METRIC_UNITS[input.axis],
    layers: layers.map((l) => l.layer.name),
    candidates: candidateIds,
    points,
    knee: kneeIndex(points),
    baselines: baselines(problem, candidateIds, axisRow),
    supportedPoints: supportedTotal,
    solver: { timeMs: clock.now() - start, solves },
    warnings: problem.warnings,
  };
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

function baselines(problem: ReturnType<typeof prepareProblem>, candidateIds: string[], axisRow: number): Frontier['baselines'] {
  const { layers, limits } = problem;
  const out: Frontier['baselines'] = [];
  for (const id of candidateIds) {
    const chosen = layers.map((plannable) => (plannable.pinned ? plannable.options[0] : plannable.options.find((o) => o.candidate.id === id)));
    if (chosen.some((option) => option === undefined)) continue;
    const total = (quantity: (typeof limits)[number]['quantity']) => chosen.reduce((sum, option) => sum + (optionValue(option!, quantity) ?? 0), 0);
    out.push({
      candidate: id,
      cost: total(limits[axisRow]!.quantity),
      sensitivity: total('sensitivity'),
      meetsBudgets: limits.slice(0, axisRow).every((limit) => withinCapacity(total(limit.quantity), limit.limit)),
    });
  }
  return out;
}
