/**
 * HiGHS (the npm `highs` WebAssembly build) run strictly on a ChoiceInstance, as an independent
 * reference for mckp. At default settings HiGHS and CBC return plans that break a budget by up
 * to 1e-7 relative (their feasibility tolerance) and stop at a 1e-4 relative gap; strictly, every
 * budget is shrunk by 2e-9 relative, the feasibility tolerances (primal, dual, MIP) are 1e-9 and
 * the gaps 0 (with the dual tolerance at its default 1e-7, HiGHS answered "Optimal" 1.8e-7 above
 * a proven optimum on one 560-layer instance), and the
 * rows are scaled to order one (each budget row divided by its capacity, the objective by its
 * largest coefficient). Pair terms are linearized (a continuous y per pair of options whose row
 * and column sums are the two items' choices). The objective is recomputed from the choice in
 * the instance's own units.
 */
// A namespace import: the package's types describe a CommonJS module, its ESM build exports `default`.
import * as highsModule from 'highs';
import type { Highs } from 'highs';
import { prepareProblem, type PlanInput } from '../../src/core/index.js';
import { instanceFor } from '../../src/core/problem/instance.js';
import { reducedFor } from '../../src/core/problem/prepare.js';
import type { ChoiceInstance } from '../../src/core/solvers/instance.js';

const loadHighs = highsModule.default as unknown as typeof highsModule.default.default;
let loaded: Promise<Highs> | undefined;
/** The solver, loaded once per process (the WebAssembly module takes a moment to compile). */
export const highs = (): Promise<Highs> => (loaded ??= loadHighs());

export const STRICT_SHRINK = 2e-9;

export interface HighsAnswer {
  status: 'optimal' | 'infeasible' | 'time-limit' | string;
  /** One option index per item (when optimal). */
  choice?: number[];
  objective?: number;
  timeMs: number;
}

const number = (value: number) => (Object.is(value, -0) ? '0' : value.toPrecision(17));

/**
 * The instance as a CPLEX LP-format model: x_i_j binary, one per item, every budget row scaled
 * and shrunk; each of `excluded` (one option index per item) cut off by a no-good row.
 */
export function lpModel(instance: ChoiceInstance, excluded: readonly (readonly number[])[] = []): string {
  const largest = Math.max(1e-300, ...instance.items.flatMap((item) => item.options.map((option) => Math.abs(option.cost))));
  const objective: string[] = [];
  const rows: string[] = [];
  const binaries: string[] = [];
  instance.items.forEach((item, i) => {
    const terms: string[] = [];
    item.options.forEach((option, j) => {
      const x = `x_${i}_${j}`;
      binaries.push(x);
      terms.push(x);
      objective.push(`${number(option.cost / largest)} ${x}`);
    });
    rows.push(` one_${i}: ${terms.join(' + ')} = 1`);
  });
  // Pair terms, linearized: y_p_j_k >= 0 with row sums x_a_j and column sums x_b_k (which makes
  // y the product of the two choices), costing the term.
  (instance.pairs ?? []).forEach((pair, p) => {
    const widthB = instance.items[pair.b]!.options.length;
    const widthA = instance.items[pair.a]!.options.length;
    const y = (j: number, k: number) => `y_${p}_${j}_${k}`;
    for (let j = 0; j < widthA; j++) {
      for (let k = 0; k < widthB; k++) {
        const value = pair.cost[j * widthB + k]!;
        if (value !== 0) objective.push(`${number(value / largest)} ${y(j, k)}`);
      }
      rows.push(` pa_${p}_${j}: ${Array.from({ length: widthB }, (_, k) => y(j, k)).join(' + ')} - x_${pair.a}_${j} = 0`);
    }
    for (let k = 0; k < widthB; k++) rows.push(` pb_${p}_${k}: ${Array.from({ length: widthA }, (_, j) => y(j, k)).join(' + ')} - x_${pair.b}_${k} = 0`);
  });
  instance.capacities.forEach((capacity, k) => {
    const scale = Math.abs(capacity) > 0 ? Math.abs(capacity) : 1;
    const terms = instance.items.flatMap((item, i) => item.options.map((option, j) => `${number(option.weights[k]! / scale)} x_${i}_${j}`));
    rows.push(` budget_${k}: ${terms.join(' + ').replace(/\+ -/g, '- ')} <= ${number((capacity / scale) * (1 - STRICT_SHRINK))}`);
  });
  excluded.forEach((choice, n) => rows.push(` nogood_${n}: ${choice.map((j, i) => `x_${i}_${j}`).join(' + ')} <= ${choice.length - 1}`));
  return ['Minimize', ` cost: ${objective.join(' + ').replace(/\+ -/g, '- ')}`, 'Subject To', ...rows, 'Binaries', ` ${binaries.join(' ')}`, 'End'].join('\n');
}

/** Solves strictly, every choice of `excluded` cut off; `timeLimitMs` caps HiGHS's own time. */
export async function solveStrictly(instance: ChoiceInstance, timeLimitMs = 60_000, excluded: readonly (readonly number[])[] = []): Promise<HighsAnswer> {
  const solver = await highs();
  const model = lpModel(instance, excluded);
  const start = performance.now();
  const result = solver.solve(model, {
    output_flag: false,
    time_limit: timeLimitMs / 1000,
    mip_rel_gap: 0,
    mip_abs_gap: 0,
    primal_feasibility_tolerance: 1e-9,
    dual_feasibility_tolerance: 1e-9,
    mip_feasibility_tolerance: 1e-9,
  });
  const timeMs = performance.now() - start;
  if (result.Status === 'Infeasible') return { status: 'infeasible', timeMs };
  if (result.Status !== 'Optimal') return { status: result.Status === 'Time limit reached' ? 'time-limit' : result.Status, timeMs };
  const columns = result.Columns as Record<string, { Primal: number }>;
  const choice = instance.items.map((item, i) => item.options.findIndex((_, j) => (columns[`x_${i}_${j}`]?.Primal ?? 0) > 0.5));
  let objective = choice.reduce((sum, j, i) => sum + instance.items[i]!.options[j]!.cost, 0);
  for (const pair of instance.pairs ?? []) objective += pair.cost[choice[pair.a]! * instance.items[pair.b]!.options.length + choice[pair.b]!]!;
  return { status: 'optimal', choice, objective, timeMs };
}

/**
 * The k best distinct plans by strict HiGHS: the best, then the best with it cut off, and so
 * on (fewer when fewer plans fit). An upper bound on each rank's true value: each is a plan.
 */
export async function kBestStrictly(instance: ChoiceInstance, k: number): Promise<HighsAnswer[]> {
  const answers: HighsAnswer[] = [];
  for (let n = 0; n < k; n++) {
    const answer = await solveStrictly(instance, 60_000, answers.map((found) => found.choice!));
    if (answer.status !== 'optimal') break;
    answers.push(answer);
  }
  return answers;
}

/**
 * Strict HiGHS on a plan request's own instance (its budgets as rows, the fixed layers, pinned or
 * with one candidate, taken off): its answer and the optimum in the plan's units (the fixed
 * layers' sensitivity added back).
 */
export async function strictPlanOptimum(input: PlanInput, timeLimitMs = 60_000): Promise<{ reference: HighsAnswer; optimum: number }> {
  const problem = prepareProblem(input);
  const reduced = reducedFor(problem, problem.limits.map((limit) => limit.quantity));
  const reference = await solveStrictly(instanceFor(reduced, problem.limits), timeLimitMs);
  return { reference, optimum: (reference.objective ?? Number.NaN) + reduced.fixedObjective };
}
