import { COST_METRICS } from '../costs/metric.js';
import type { PreparedProblem } from '../problem/prepare.js';
import { totalOf, type Quantity } from '../problem/rows.js';
import type { LayerCosts } from '../costs/layerCosts.js';
import { relativeGap, withinCapacity } from '../solvers/instance.js';
import type { BudgetUse, PlannedLayer, PlanResult } from './planResult.js';
import type { PlanSolution } from './solvePlan.js';
import type { VerifiedAssignment } from './verify.js';
import { unsupportedNegatives } from '../problem/interactions.js';
import { zeroEvidenceWarning } from './zeroEvidence.js';

/** The plan a client reads: per-layer choices, totals, how each budget is used. */
export function describePlan(problem: PreparedProblem, solution: PlanSolution): PlanResult {
  const { layers, limits, objective, model } = problem;
  const { verified } = solution;
  const chosen = layers.map((plannable, i) => plannable.options[verified.options[i]!]!);
  const totals = totalsOf(problem, verified);
  const withPairs = problem.pairs.length > 0;
  const blocked = blockingLimits(problem, verified);
  const budgets: BudgetUse[] = limits.map((limit, k) => ({
    metric: limit.quantity,
    limit: limit.limit,
    used: verified.used[k]!,
    slack: limit.limit - verified.used[k]!,
    slackFraction: limit.limit === 0 ? 0 : (limit.limit - verified.used[k]!) / Math.abs(limit.limit),
    binding: blocked[k]!,
  }));
  return {
    modelName: model.name,
    model,
    ...(problem.target ? { target: problem.target } : {}),
    status: solution.status,
    objective: { quantity: objective, value: verified.objective },
    bound: solution.bound,
    gap: relativeGap(verified.objective, solution.bound),
    totals,
    ...(withPairs ? { sensitivityParts: { layers: totals.sensitivity! - verified.interactions, interactions: verified.interactions } } : {}),
    budgets,
    layers: layers.map((plannable, i): PlannedLayer => {
      const option = chosen[i]!;
      const { layer } = plannable;
      const costs = plannedCosts(option.costs, layer.params);
      return {
        name: layer.name,
        ...(layer.aliases ? { aliases: layer.aliases } : {}),
        candidate: option.candidate,
        sensitivity: option.score.value,
        sensitivitySource: option.score.source,
        pinned: plannable.pinned,
        ...(option.compute ? { computesIn: { format: option.compute.format, native: option.compute.native } } : {}),
        costs,
      };
    }),
    ...(solution.alternatives
      ? {
          alternatives: solution.alternatives.map((alternative, n) => {
            const parts = totalsOf(problem, alternative);
            return {
              rank: n + 1,
              objective: alternative.objective,
              ...(withPairs ? { sensitivityParts: { layers: parts.sensitivity! - alternative.interactions, interactions: alternative.interactions } } : {}),
              totals: parts,
              layers: layers.map((plannable, i) => ({ name: plannable.layer.name, candidate: plannable.options[alternative.options[i]!]!.candidate })),
            };
          }),
        }
      : {}),
    solver: solution.solver,
    warnings: [
      ...problem.warnings,
      ...zeroEvidenceWarning(problem, verified.options),
      ...(solution.status === 'feasible' ? [stoppedEarly(solution, relativeGap(verified.objective, solution.bound))] : []),
      ...negativeReliance(problem, verified),
    ],
  };
}

/** Totals of an assignment: every quantity all its layers can say, sensitivity with its interactions. */
function totalsOf(problem: PreparedProblem, verified: VerifiedAssignment): PlanResult['totals'] {
  const chosen = problem.layers.map((plannable, i) => plannable.options[verified.options[i]!]!);
  const totals: PlanResult['totals'] = {};
  for (const quantity of ['sensitivity', ...COST_METRICS] as Quantity[]) {
    const sum = totalOf(chosen, quantity);
    if (sum !== undefined) totals[quantity] = sum;
  }
  if (totals.sensitivity !== undefined) totals.sensitivity += verified.interactions;
  return totals;
}

/**
 * A planned layer's costs: every metric its option has, and its own mean bits per weight as
 * avgBits (the option's avgBits is its share of the model's). Read by name, not in a loop over
 * the metrics: 45,000 layers.
 */
function plannedCosts(optionCosts: LayerCosts, params: number): PlannedLayer['costs'] {
  // Every metric is named here: a new one fails to compile until it is (`others` must be empty).
  const { sizeBytes, avgBits: _share, bops, latencyMs, energyJ, macLuts, ...others } = optionCosts;
  const none: Record<string, never> = others;
  const costs: PlannedLayer['costs'] = { ...none, sizeBytes };
  if (bops !== undefined) costs.bops = bops;
  if (latencyMs !== undefined) costs.latencyMs = latencyMs;
  if (energyJ !== undefined) costs.energyJ = energyJ;
  if (macLuts !== undefined) costs.macLuts = macLuts;
  costs.avgBits = params > 0 ? (sizeBytes * 8) / params : 0;
  return costs;
}

/** The warning of a plan whose predicted sensitivity leans on negative interactions its evidence does not support. */
function negativeReliance(problem: PreparedProblem, verified: VerifiedAssignment): string[] {
  const { total, count } = unsupportedNegatives(problem.pairs, problem.layers, verified.options);
  if (count === 0) return [];
  return [
    `the predicted sensitivity relies on ${count} negative interaction term${count === 1 ? '' : 's'} (together ${total.toPrecision(3)}) larger than their standard errors or without one: pairs predicted to hurt less together than apart; measure this plan, or plan with interactions.negative "clip"`,
  ];
}

/**
 * For each limit: does it block at least one single-item change (one layer, or one tied group)
 * that would lower the objective?
 */
function blockingLimits(problem: PreparedProblem, verified: VerifiedAssignment): boolean[] {
  const { items, limits, objective, values } = problem;
  const blocked = limits.map(() => false);
  const objectiveColumn = values.of(objective);
  const limitColumns = limits.map((limit) => values.of(limit.quantity));
  for (let i = 0; i < items.length; i++) {
    if (blocked.every(Boolean)) break;
    const item = items[i]!;
    const first = item.members[0]!;
    // Item i's candidate j at values.start[i] + j in every column.
    const base = values.start[i]!;
    const current = base + item.choices.findIndex((choice) => choice[0] === verified.options[first]);
    for (let j = 0; j < item.candidateIds.length; j++) {
      if (base + j === current || objectiveColumn[base + j]! >= objectiveColumn[current]!) continue;
      for (let k = 0; k < limits.length; k++) {
        if (blocked[k]) continue;
        const delta = limitColumns[k]![base + j]! - limitColumns[k]![current]!;
        if (!withinCapacity(verified.used[k]! + delta, limits[k]!.limit)) blocked[k] = true;
      }
    }
  }
  return blocked;
}

const STOP_REASONS: Record<NonNullable<PlanSolution['solver']['stoppedBy']>, string> = {
  'time-limit': 'the time limit (solver.timeLimitMs, capped by the server) stopped the search',
  'memory-limit': 'the search reached its memory limit',
  'node-limit': 'the search reached its node limit',
};

/** The warning of a plan not proven optimal: why the search stopped and the gap it proved. */
function stoppedEarly(solution: PlanSolution, gap: number): string {
  const why = STOP_REASONS[solution.solver.stoppedBy ?? 'time-limit'];
  return `not proven optimal: ${why}; this plan is at most ${(gap * 100).toPrecision(3)}% above the optimum (gap ${gap.toExponential(2)}); raise solver.timeLimitMs or accept a relativeGap to finish`;
}
