import { invalidInput } from '../errors.js';
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
 */
export function budgetMeaning(budgets: readonly Budget[], values: ItemValues, layers: readonly PlannableLayer[]): string[] {
  const warnings: string[] = [];
  budgets.forEach((budget, k) => {
    const { least, most } = quantityRange(values, budget.metric);
    if (most === 0) {
      const why = OPERATION_COUNTS.has(budget.metric) ? ' (every layer\'s macs is 0: give macs; bitplan.torch.describe measures them)' : '';
      throw invalidInput([{ path: `budgets[${k}]`, message: `${budget.metric} is 0 for every allowed assignment${why}, so a budget on it cannot mean anything; budget another metric or give the costs it needs` }]);
    }
    if (budget.fraction !== undefined && most === least) {
      warnings.push(`budget ${budget.metric} fraction ${budget.fraction}: every allowed assignment has ${budget.metric} ${least} (the layers' candidates do not differ in it), so it holds for any plan and decided nothing; widen the candidates or give an absolute max`);
    }
    if (OPERATION_COUNTS.has(budget.metric)) {
      const silent = layers.filter(({ layer }) => !layer.macs && layerKind(layer) !== 'embedding').map(({ layer }) => layer.name);
      if (silent.length > 0) warnings.push(`budget ${budget.metric}: no MACs (0 or not given) on ${namedLayers(silent)}, so the budget does not count them and the plan may give them any candidate; give their macs (bitplan.torch.describe measures them)`);
    }
  });
  return warnings;
}
