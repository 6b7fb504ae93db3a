import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Layer } from '../../../src/contract/model.js';
import { findFormat } from '../../../src/core/formats/registry.js';
import { CoreError, makePlan, parseCandidate, type PlanInput } from '../../../src/core/index.js';
import { estimatePerturbation } from '../../../src/core/sensitivity/estimate.js';
import { perturbationFor, restsOnWeightStatsAlone, scoreCandidate } from '../../../src/core/sensitivity/score.js';

const candidate = (id: string) => parseCandidate(id)!;
const layer = (sensitivity: Layer['sensitivity'], params = 1000): Layer => ({ name: 'conv', params, macs: 1, sensitivity });
const format = (id: string) => findFormat(id)!;

describe('sensitivity scores', () => {
  it('prefers a measured loss change', () => {
    const score = scoreCandidate(layer({ lossDelta: { 'int4/int4': 0.3 }, hessianTrace: 1, perturbation: { int4: 9 } }), candidate('int4/int4'));
    expect(score).toEqual({ value: 0.3, source: 'lossDelta' });
  });

  it('multiplies the Hessian trace by the measured perturbation', () => {
    const score = scoreCandidate(layer({ hessianTrace: 0.06857826, perturbation: { int4: 6.743, int8: 0.0235 } }), candidate('int8/int8'));
    expect(score).toEqual({ value: 0.06857826 * 0.0235, source: 'hessianTrace x perturbation' });
  });

  it('uses the top Hessian eigenvalue when there is no trace (HAWQ-V1)', () => {
    const score = scoreCandidate(layer({ hessianEigenvalue: 12, perturbation: { int8: 0.5 } }), candidate('int8/int8'));
    expect(score).toEqual({ value: 6, source: 'hessianEigenvalue x perturbation' });
  });

  it('extrapolates a missing integer perturbation by the uniform-noise law, from the nearest measured width', () => {
    // int4 -> int2: (2^3-1)^2 / (2^1-1)^2 = 49 times the int4 error.
    expect(perturbationFor({ int4: 6.743, int8: 0.0235 }, format('int2'))).toMatchObject({ value: 6.743 * 49, how: 'extrapolated' });
    expect(perturbationFor({ int8: 0.0235 }, format('int6'))!.value).toBeCloseTo(0.0235 * (127 / 31) ** 2, 12);
  });

  it('notes every extrapolation and estimate', () => {
    const score = scoreCandidate(layer({ hessianTrace: 1, perturbation: { int4: 1 } }), candidate('int2/int2'));
    expect(score).toMatchObject({ source: 'hessianTrace x extrapolated perturbation', value: 49, estimates: ['weight perturbation for int2 extrapolated from int4 by the uniform-noise law'] });
    const estimated = scoreCandidate(layer({ hessianTrace: 1, weightStats: { absMax: 0.5, rms: 0.05 } }), candidate('nvfp4/nvfp4'));
    expect(estimated).toMatchObject({ source: 'hessianTrace x estimated perturbation', estimates: ['weight perturbation for nvfp4 estimated from weightStats'] });
  });

  it('adds the activation term', () => {
    const score = scoreCandidate(
      layer({ hessianTrace: 2, perturbation: { int4: 3 }, activationTrace: 5, activationPerturbation: { int8: 0.1 } }),
      candidate('int4/int8'),
    );
    expect(score).toMatchObject({ value: 2 * 3 + 5 * 0.1, source: 'hessianTrace x perturbation' });
  });

  it('explains why a layer cannot be scored', () => {
    expect(scoreCandidate(layer(undefined), candidate('int4/int4'))).toMatch(/has no sensitivity/);
    expect(scoreCandidate(layer({ lossDelta: { 'int8/int8': 0 } }), candidate('int4/int4'))).toMatch(/no lossDelta for int4\/int4 and no hessianTrace/);
    expect(scoreCandidate(layer({ hessianTrace: 1, perturbation: { int4: 1 } }), candidate('nvfp4/nvfp4'))).toMatch(/no perturbation for weight format nvfp4.*no weightStats/);
  });
});

describe('perturbation estimates from weight statistics', () => {
  const stats = { absMax: 0.8, rms: 0.05, count: 65536 };

  it('integer per tensor: n (absMax / (2^(b-1)-1))^2 / 12', () => {
    expect(estimatePerturbation(format('int8'), stats)).toBeCloseTo((65536 * (0.8 / 127) ** 2) / 12, 15);
    expect(estimatePerturbation(format('int4'), stats)).toBeCloseTo((65536 * (0.8 / 7) ** 2) / 12, 15);
  });

  it('integer per group of 128: the step follows the group maximum min(absMax, rms sqrt(2 ln 128))', () => {
    const groupMax = 0.05 * Math.sqrt(2 * Math.log(128));
    expect(estimatePerturbation(format('int4-g128'), stats)).toBeCloseTo((65536 * (groupMax / 7) ** 2) / 12, 15);
    expect(estimatePerturbation(format('int4-g128'), stats)).toBeLessThan(estimatePerturbation(format('int4'), stats));
  });

  it('floating point: relative steps plus the subnormal grid; more mantissa bits, less error', () => {
    const e4m3 = estimatePerturbation(format('fp8-e4m3'), stats);
    const expected = 65536 * ((0.05 ** 2 * 2 ** -6) / 24 + ((0.8 / 448) * 2 ** -9) ** 2 / 12);
    expect(e4m3).toBeCloseTo(expected, 15);
    expect(estimatePerturbation(format('fp8-e5m2'), stats)).toBeGreaterThan(e4m3);
    expect(estimatePerturbation(format('fp4-e2m1'), stats)).toBeGreaterThan(estimatePerturbation(format('fp6-e2m3'), stats));
  });

  it('block-scaled: nvfp4 (exact E4M3 scales per 16) beats mxfp4 (power-of-two scales per 32)', () => {
    expect(estimatePerturbation(format('nvfp4'), stats)).toBeLessThan(estimatePerturbation(format('mxfp4'), stats));
    expect(estimatePerturbation(format('mxfp4'), stats)).toBeLessThan(estimatePerturbation(format('fp4-e2m1'), stats));
  });

  it.each(['resnet18', 'resnet50'])('matches HAWQ-V3 measured int4/int8 ratios on %s within 20%% per layer', (model) => {
    const data = JSON.parse(readFileSync(new URL(`../../../seeds/hawq-v3/${model}.json`, import.meta.url), 'utf8')) as {
      layers: { name: string; params: number; deltaWeightSq: { int4: number; int8: number } }[];
    };
    const estimated = estimatePerturbation(format('int4'), stats) / estimatePerturbation(format('int8'), stats);
    expect(estimated).toBeCloseTo((127 / 7) ** 2, 9);
    const ratios = data.layers.map((l) => l.deltaWeightSq.int4 / l.deltaWeightSq.int8);
    for (const ratio of ratios) expect(Math.abs(ratio / estimated - 1)).toBeLessThan(0.2);
    const median = [...ratios].sort((a, b) => a - b)[ratios.length >> 1]!;
    expect(Math.abs(median / estimated - 1)).toBeLessThan(0.03);
  });

  describe('a plan from weight statistics alone (issue #29.4)', () => {
    const stats = (absMax: number, rms: number) => ({ weightStats: { absMax, rms } });
    const input = (layers: Layer[]): PlanInput => ({
      model: { name: 'stats-alone', layers },
      modelPath: 'model',
      batchSize: 1,
      budgets: [{ metric: 'avgBits', max: 6 }],
      objective: { minimize: 'sensitivity' },
      solver: { backend: 'mckp', timeLimitMs: 10_000, relativeGap: 0 },
    });
    const twoLayers = (second: Layer['sensitivity']): Layer[] => [
      { name: 'outlier', params: 4096, macs: 4096, candidates: ['int4', 'int8'], sensitivity: stats(1, 0.05) },
      { name: 'flat', params: 4096, macs: 4096, candidates: ['int4', 'int8'], sensitivity: second },
    ];
    const clock = { now: () => 0 };

    it('scores the relative weight error ||Q(W)-W||^2 / ||W||^2 when no layer has a loss-side measurement', () => {
      const scored = scoreCandidate(layer(stats(0.5, 0.05), 4096), candidate('int4'), true);
      const expected = estimatePerturbation(format('int4'), { absMax: 0.5, rms: 0.05, count: 4096 }) / (4096 * 0.05 ** 2);
      expect(scored).toMatchObject({ source: 'relative weight error (weightStats alone)' });
      expect((scored as { value: number }).value).toBeCloseTo(expected, 15);
      // A measured perturbation beats the estimate.
      expect(scoreCandidate(layer({ ...stats(0.5, 0.05), perturbation: { int4: 2 } }, 4096), candidate('int4'), true)).toMatchObject({ value: 2 / (4096 * 0.05 ** 2) });
      const plan = makePlan(input(twoLayers(stats(0.1, 0.05))), clock);
      expect(plan.status).toBe('optimal');
      // absMax 20 x rms against 2 x rms: the heavy-tailed layer keeps int8.
      expect(plan.layers.map((planned) => planned.candidate.id)).toEqual(['int8', 'int4']);
      expect(plan.warnings.some((warning) => warning.includes('the plan minimizes the summed relative weight error'))).toBe(true);
    });

    it('does not apply beside a loss-side measurement, or with pair terms', () => {
      expect(restsOnWeightStatsAlone({ layers: twoLayers(stats(0.1, 0.05)) })).toBe(true);
      expect(restsOnWeightStatsAlone({ layers: twoLayers({ ...stats(0.1, 0.05), hessianTrace: 1 }) })).toBe(false);
      expect(restsOnWeightStatsAlone({ layers: twoLayers({ lossDelta: { int4: 1, int8: 0 } }) })).toBe(false);
      expect(restsOnWeightStatsAlone({ layers: twoLayers(stats(0.1, 0.05)), interactions: [{}] })).toBe(false);
      expect(restsOnWeightStatsAlone({ layers: twoLayers(undefined) })).toBe(true);
      // A model that mixes the two is refused at the layer without a loss side, as before.
      let error: unknown;
      try {
        makePlan(input(twoLayers({ ...stats(0.1, 0.05), hessianTrace: 1 })), clock);
      } catch (caught) {
        error = caught;
      }
      expect((error as CoreError).issues[0]).toMatchObject({ path: 'model.layers[0].sensitivity', message: expect.stringContaining('no hessianTrace or hessianEigenvalue') });
    });

    it('names the layer without weightStats when the plan rests on them alone', () => {
      let error: unknown;
      try {
        makePlan(input(twoLayers({ perturbation: { int4: 1, int8: 0.01 } })), clock);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(CoreError);
      expect((error as CoreError).issues[0]).toMatchObject({ path: 'model.layers[1].sensitivity', message: expect.stringContaining('has no weightStats, which every layer needs') });
    });
  });
});
