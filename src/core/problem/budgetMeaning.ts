import { coreError, invalidInput, type FieldIssue } from '../errors.js';
import { namedLayers } from '../namedLayers.js';
import { layerKind } from '../targets/layerKind.js';
import type { Budget } from './budget.js';
import { quantityRange, type ItemValues } from './itemValues.js';
import type { PlannableLayer } from './layerOptions.js';

/** Metrics that count operations alone: a layer with no MACs costs nothing there. */
const OPERATION_COUNTS = new Set(['bops']);

/**
 * What a budget can mean on these layers and candidates. A budget whose metric is 0 for every
 * allowed assignment cannot mean anything (a 400 that says why); a relative one whose range has
 * no width (cheapest = most expensive) holds for every plan, and the plan says so; a BOPs budget
 * over layers with no MACs (measured 0, bypassed forwards) does not see them, and the plan names
 * them. Embeddings read no operands and are left out of that list.
 *
 * When the budgets alone decide the plan (`decideAlone`: a plan minimizing sensitivity, not a
 * frontier) and every one of them holds for any plan, the request decides nothing: a 422 that
 * says why (`why` adds what narrowed the candidates, when something did), not an "optimal" plan
 * of the most precise candidates.
 */
export function budgetMeaning(budgets: readonly Budget[], values: ItemValues, layers: readonly PlannableLayer[], decideAlone = false, why?: string): string[] {
  const warnings: string[] = [];
  const idle: FieldIssue[] = [];
  budgets.forEach((budget, k) => {
    const { least, most } = quantityRange(values, budget.metric);
    if (most === 0) {
      const why = OPERATION_COUNTS.has(budget.metric) ? ' (every layer\'s macs is 0: give macs; bitplan.torch.describe measures them)' : '';
      throw invalidInput([{ path: `budgets[${k}]`, message: `${budget.metric} is 0 for every allowed assignment${why}, so a budget on it cannot mean anything; budget another metric or give the costs it needs` }]);
    }
    if (budget.fraction !== undefined && most === least) {
      const message = `budget ${budget.metric} fraction ${budget.fraction}: every allowed assignment has ${budget.metric} ${least} (the layers' candidates do not differ in it), so it holds for any plan`;
      idle.push({ path: `budgets[${k}].fraction`, message: `${message}; widen the candidates or give an absolute max` });
      warnings.push(`${message} and decided nothing; widen the candidates or give an absolute max`);
    }
    if (OPERATION_COUNTS.has(budget.metric)) {
      const silent = layers.filter(({ layer }) => !layer.macs && layerKind(layer) !== 'embedding').map(({ layer }) => layer.name);
      if (silent.length > 0) warnings.push(`budget ${budget.metric}: no MACs (0 or not given) on ${namedLayers(silent)}, so the budget does not count them and the plan may give them any candidate; give their macs (bitplan.torch.describe measures them)`);
    }
  });
  if (decideAlone && budgets.length > 0 && idle.length === budgets.length) {
    const first = idle[0]!.message;
    const summary = idle.length === 1 ? first : `none of the ${idle.length} budgets can decide anything; first: ${first}`;
    throw coreError('BITPLAN_ERR_BUDGETS_DECIDE_NOTHING', [`${summary}${why ? `. ${why}` : ''}`], { issues: idle });
  }
  return warnings;
}
