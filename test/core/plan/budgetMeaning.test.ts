import { describe, expect, it } from 'vitest';
import { makePlan, type ModelDescriptor } from '../../../src/core/index.js';
import { CoreError } from '../../../src/core/errors.js';

const clock = { now: () => performance.now() };
const sensitivity = { hessianTrace: 1, weightStats: { absMax: 1, rms: 0.1 } };
const plan = (model: ModelDescriptor, budgets: { metric: 'bops' | 'sizeBytes'; fraction?: number; max?: number }[], candidates = ['int4/int8', 'int8/int8']) =>
  makePlan({ model, modelPath: 'model', candidates, budgets, batchSize: 1, allowEmulated: false, objective: { minimize: 'sensitivity' }, solver: { backend: 'auto', timeLimitMs: 10000, relativeGap: 0 } }, clock);

describe('what a budget can mean', () => {
  it('names the layers a BOPs budget cannot see (no MACs), embeddings aside', () => {
    const model: ModelDescriptor = {
      name: 'mha',
      layers: [
        { name: 'embed', op: 'embedding', params: 1000, macs: 0, sensitivity },
        { name: 'in_proj', op: 'linear', params: 3000, macs: 3000, sensitivity },
        { name: 'out_proj', op: 'nondynamicallyquantizablelinear', params: 1000, macs: 0, sensitivity },
      ],
    };
    const answer = plan(model, [{ metric: 'bops', fraction: 0.5 }]);
    expect(answer.warnings).toContain('budget bops: no MACs (0 or not given) on layer out_proj, so the budget does not count them and the plan may give them any candidate; give their macs (bitplan.torch.describe measures them)');
  });

  it('refuses a plan whose every budget is relative over a range of no width (422: nothing decides it, issue #28.4)', () => {
    const model: ModelDescriptor = { name: 'pinned', layers: [{ name: 'a', params: 1000, macs: 1000, pin: 'int8/int8', sensitivity }, { name: 'b', params: 1000, macs: 1000, pin: 'int4/int8', sensitivity }] };
    for (const budgets of [[{ metric: 'bops' as const, fraction: 0.25 }], [{ metric: 'bops' as const, fraction: 0.25 }, { metric: 'sizeBytes' as const, fraction: 0.5 }]]) {
      let error: unknown;
      try {
        plan(model, budgets);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(CoreError);
      expect((error as CoreError).code).toBe('BITPLAN_ERR_BUDGETS_DECIDE_NOTHING');
      expect((error as CoreError).issues.map((issue) => issue.path)).toEqual(budgets.map((_, k) => `budgets[${k}].fraction`));
      expect((error as CoreError).issues[0]!.message).toMatch(/^budget bops fraction 0\.25: every allowed assignment has bops 96000 .* holds for any plan; widen the candidates or give an absolute max$/);
    }
  });

  it('plans with a budget of no width beside one that decides, and says the first decided nothing', () => {
    // int4/int4 and int4/int8 store the same weights: sizeBytes has no width, BOPs has.
    const layer = (name: string) => ({ name, params: 1000, macs: 1000, sensitivity: { lossDelta: { 'int4/int4': 1, 'int4/int8': 0 } } });
    const model: ModelDescriptor = { name: 'activations', layers: [layer('a'), layer('b')] };
    const candidates = ['int4/int4', 'int4/int8'];
    const answer = plan(model, [{ metric: 'sizeBytes', fraction: 0.5 }, { metric: 'bops', fraction: 0.5 }], candidates);
    expect(answer.status).toBe('optimal');
    expect(answer.warnings.some((w) => /^budget sizeBytes fraction 0\.5: every allowed assignment has sizeBytes 1000 .* decided nothing/.test(w))).toBe(true);
    expect(() => plan(model, [{ metric: 'sizeBytes', fraction: 0.5 }], candidates)).toThrow(/sizeBytes 1000 .* holds for any plan/);
  });

  it('refuses a budget on a metric that is 0 for every assignment (400 at the budget)', () => {
    const model: ModelDescriptor = { name: 'nomacs', layers: [{ name: 'a', op: 'linear', params: 1000, macs: 0, sensitivity }, { name: 'b', op: 'linear', params: 1000, macs: 0, sensitivity }] };
    let error: unknown;
    try {
      plan(model, [{ metric: 'bops', fraction: 0.25 }]);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(CoreError);
    expect((error as CoreError).issues[0]).toMatchObject({ path: 'budgets[0]' });
    expect((error as CoreError).issues[0]!.message).toMatch(/^bops is 0 for every allowed assignment \(every layer's macs is 0/);
  });
});
