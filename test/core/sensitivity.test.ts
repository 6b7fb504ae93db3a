import { describe, expect, it } from 'vitest';
import { parseCandidate } from '../../src/core/index.js';
import { perturbationFor, scoreCandidate } from '../../src/core/sensitivity/score.js';
import { findFormat } from '../../src/core/formats/registry.js';

const candidate = (id: string) => parseCandidate(id)!;

describe('sensitivity', () => {
  it('prefers a measured loss change', () => {
    const score = scoreCandidate('a', { lossDelta: { 'int4/int4': 0.3 }, hessianTrace: 1, perturbation: { int4: 9 } }, candidate('int4/int4'));
    expect(score).toEqual({ value: 0.3, source: 'lossDelta' });
  });

  it('multiplies the Hessian trace by the measured perturbation', () => {
    const score = scoreCandidate('a', { hessianTrace: 0.06857826, perturbation: { int4: 6.743, int8: 0.0235 } }, candidate('int8/int8'));
    expect(score).toEqual({ value: 0.06857826 * 0.0235, source: 'hessianTrace x perturbation' });
  });

  it('extrapolates a missing integer perturbation by the uniform-noise law, from the nearest measured width', () => {
    // int4 -> int2: (2^3-1)^2 / (2^1-1)^2 = 49 times the int4 error.
    const int2 = perturbationFor({ int4: 6.743, int8: 0.0235 }, findFormat('int2')!);
    expect(int2).toEqual({ value: 6.743 * 49, extrapolatedFrom: 'int4' });
    // int8 -> int6: (127/31)^2, taken from int8 (distance 2) rather than int4 (distance 2: the first found wins).
    const int6 = perturbationFor({ int8: 0.0235 }, findFormat('int6')!);
    expect(int6!.value).toBeCloseTo(0.0235 * (127 / 31) ** 2, 12);
  });

  it('checks the uniform-noise law against HAWQ-V3 measured int4/int8 ratios within 15%', () => {
    // ResNet18 stage1.unit1.convbn1: measured int8/int4 = 0.0235/6.743; the law says (7/127)^2.
    const measured = 0.0235 / 6.743;
    const law = (7 / 127) ** 2;
    expect(Math.abs(measured / law - 1)).toBeLessThan(0.15);
  });

  it('warns when a score rests on an extrapolation', () => {
    const score = scoreCandidate('conv', { hessianTrace: 1, perturbation: { int4: 1 } }, candidate('int2/int2'));
    expect(score).toMatchObject({ source: 'hessianTrace x extrapolated perturbation', value: 49 });
    expect(typeof score === 'object' && score.warning).toMatch(/layer conv.*int2.*extrapolated from int4/);
  });

  it('does not extrapolate to floating-point or across block sizes', () => {
    expect(perturbationFor({ int4: 1 }, findFormat('fp8-e4m3')!)).toBeUndefined();
    expect(perturbationFor({ int4: 1 }, findFormat('int4-g128')!)).toBeUndefined();
    expect(scoreCandidate('a', { hessianTrace: 1, perturbation: { int4: 1 } }, candidate('nvfp4/nvfp4'))).toMatch(/no perturbation for weight format nvfp4/);
  });

  it('adds the activation term', () => {
    const score = scoreCandidate(
      'a',
      { hessianTrace: 2, perturbation: { int4: 3 }, activationTrace: 5, activationPerturbation: { int8: 0.1 } },
      candidate('int4/int8'),
    );
    expect(score).toMatchObject({ value: 2 * 3 + 5 * 0.1, source: 'hessianTrace x perturbation' });
  });

  it('explains why a layer cannot be scored', () => {
    expect(scoreCandidate('a', undefined, candidate('int4/int4'))).toMatch(/has no sensitivity/);
    expect(scoreCandidate('a', { lossDelta: { 'int8/int8': 0 } }, candidate('int4/int4'))).toMatch(/no lossDelta for int4\/int4 and no hessianTrace/);
  });
});
