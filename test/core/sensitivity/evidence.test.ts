import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCandidate } from '../../../src/core/index.js';
import { morePrecise } from '../../../src/core/formats/precisionOrder.js';
import { DEFAULT_EVIDENCE_POLICY, projectMonotone, soundEvidence } from '../../../src/core/sensitivity/evidence.js';

const parse = (id: string) => parseCandidate(id);
const candidate = (id: string) => parse(id)!;
const sound = (sensitivity: Parameters<typeof soundEvidence>[0], policy = DEFAULT_EVIDENCE_POLICY, params = 100) => soundEvidence(sensitivity, params, policy, parse);

/** Pool-adjacent violators: the exact weighted isotonic (non-increasing) regression on a chain. */
function pava(values: number[], weights: number[]): number[] {
  const blocks: { sum: number; weight: number; size: number }[] = [];
  values.forEach((value, i) => {
    blocks.push({ sum: value * weights[i]!, weight: weights[i]!, size: 1 });
    // A chain ordered from most to least precise: values must not decrease along it.
    while (blocks.length > 1 && blocks.at(-2)!.sum / blocks.at(-2)!.weight > blocks.at(-1)!.sum / blocks.at(-1)!.weight) {
      const last = blocks.pop()!;
      const previous = blocks.at(-1)!;
      previous.sum += last.sum;
      previous.weight += last.weight;
      previous.size += last.size;
    }
  });
  return blocks.flatMap((block) => Array<number>(block.size).fill(Math.max(0, block.sum / block.weight)));
}

const objective = (y: number[], values: number[], weights: number[]) => y.reduce((sum, v, i) => sum + weights[i]! * (v - values[i]!) ** 2, 0);

describe('the precision order', () => {
  it('orders formats of one family only', () => {
    expect(morePrecise(candidate('int8/int8'), candidate('int4/int4'))).toBe(true);
    expect(morePrecise(candidate('int8/int8'), candidate('int4/int8'))).toBe(true);
    expect(morePrecise(candidate('int4/int8'), candidate('int8/int4'))).toBe(false);
    expect(morePrecise(candidate('int8-g128'), candidate('int4-g128'))).toBe(true);
    expect(morePrecise(candidate('fp8-e4m3/fp8-e4m3'), candidate('int4/int4'))).toBe(false);
    expect(morePrecise(candidate('int8/int8'), candidate('fp8-e4m3/fp8-e4m3'))).toBe(false);
    expect(morePrecise(candidate('int4-g128'), candidate('int4'))).toBe(false);
    expect(morePrecise(candidate('int4/int4'), candidate('int4/int4'))).toBe(false);
  });
});

describe('sound evidence', () => {
  it('divides hessianTraceSum and its standard error by params', () => {
    const result = sound({ hessianTraceSum: 250, hessianTraceStdErr: 10, perturbation: { int4: 1 } });
    expect(result).toMatchObject({ sensitivity: { hessianTrace: 2.5, hessianTraceStdErr: 0.1 }, notes: [] });
    expect(typeof result !== 'string' && 'hessianTraceSum' in result.sensitivity).toBe(false);
    expect(sound({ hessianTraceSum: 1, hessianTrace: 1 })).toMatch(/both hessianTrace .* and hessianTraceSum/);
    expect(sound({ hessianTraceSum: 1 }, DEFAULT_EVIDENCE_POLICY, 0)).toMatch(/no params/);
  });

  it('takes a negative trace within 3 standard errors as 0 and refuses one further below', () => {
    expect(sound({ hessianTrace: -0.29, hessianTraceStdErr: 0.1 })).toMatchObject({ sensitivity: { hessianTrace: 0 }, notes: [expect.stringMatching(/within 3 standard errors/)] });
    expect(sound({ hessianTrace: -0.31, hessianTraceStdErr: 0.1 })).toMatch(/negative Hessian trace \(-0.310\), 3.1 standard errors below 0/);
    expect(sound({ hessianTrace: -0.01 })).toMatch(/without a standard error: .*give hessianTraceStdErr if it is noise/);
    expect(sound({ hessianTrace: 0 })).toMatchObject({ sensitivity: { hessianTrace: 0 }, notes: [] });
  });

  it('projects loss changes that grow with precision by default, keeps them raw on request', () => {
    const lossDelta = { 'int8/int8': 0.05, 'int4/int4': 0.03, 'int2/int2': 0.9 };
    const projected = sound({ lossDelta });
    expect(projected).toMatchObject({ irregularLossDelta: true, notes: [expect.stringMatching(/isotonic/)] });
    if (typeof projected === 'string') throw new Error(projected);
    expect(projected.sensitivity.lossDelta!['int8/int8']).toBeCloseTo(0.04, 12);
    expect(projected.sensitivity.lossDelta!['int4/int4']).toBeCloseTo(0.04, 12);
    expect(projected.sensitivity.lossDelta!['int2/int2']).toBeCloseTo(0.9, 12);
    expect(sound({ lossDelta }, { lossDelta: 'raw', z: 0 })).toMatchObject({ irregularLossDelta: true, notes: [], sensitivity: { lossDelta } });
  });

  it('weights the projection by 1 / stdErr^2', () => {
    const result = sound({ lossDelta: { 'int8/int8': 0.05, 'int4/int4': 0.03 }, lossDeltaStdErr: { 'int8/int8': 0.01, 'int4/int4': 0.02 } });
    if (typeof result === 'string') throw new Error(result);
    // Weights 10000 and 2500: (0.05 x 10000 + 0.03 x 2500) / 12500 = 0.046.
    expect(result.sensitivity.lossDelta!['int8/int8']).toBeCloseTo(0.046, 12);
    expect(result.sensitivity.lossDelta!['int4/int4']).toBeCloseTo(0.046, 12);
  });

  it('raises negative loss changes to 0 and leaves consistent ones alone', () => {
    const result = sound({ lossDelta: { 'int8/int8': -0.02, 'int4/int4': 0.3 } });
    if (typeof result === 'string') throw new Error(result);
    expect(result.sensitivity.lossDelta).toEqual({ 'int8/int8': 0, 'int4/int4': 0.3 });
    const consistent = { 'int8/int8': 0.01, 'int4/int4': 0.3, 'fp8-e4m3/fp8-e4m3': 0.5 };
    expect(sound({ lossDelta: consistent })).toMatchObject({ irregularLossDelta: false, notes: [], sensitivity: { lossDelta: consistent } });
  });

  it('adds z standard errors to every measured value that has one (robust)', () => {
    const result = sound(
      { hessianTrace: 2, hessianTraceStdErr: 0.5, lossDelta: { 'int8/int8': 0.01, 'int4/int4': 0.3 }, lossDeltaStdErr: { 'int4/int4': 0.1 } },
      { lossDelta: 'isotonic', z: 2 },
    );
    if (typeof result === 'string') throw new Error(result);
    expect(result.sensitivity.hessianTrace).toBe(3);
    expect(result.sensitivity.lossDelta!['int8/int8']).toBe(0.01);
    expect(result.sensitivity.lossDelta!['int4/int4']).toBeCloseTo(0.5, 12);
  });
});

describe('projectMonotone', () => {
  const chain = ['int8/int8', 'int6/int6', 'int5/int5', 'int4/int4', 'int3/int3', 'int2/int2'].map(candidate);

  it('equals pool-adjacent violators on a chain of widths', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 6, maxLength: 6 }),
        fc.array(fc.double({ min: 0.1, max: 10, noNaN: true }), { minLength: 6, maxLength: 6 }),
        (values, weights) => {
          const projected = projectMonotone(chain, values, weights);
          const exact = pava(values, weights);
          projected.forEach((value, i) => expect(value).toBeCloseTo(exact[i]!, 8));
        },
      ),
      { seed: 14, numRuns: 300 },
    );
  });

  it('is the nearest point of the partial order of weight and activation widths', () => {
    // A grid: weights int2..int8 against activations int4/int8; no order between int4/int8 and int8/int4.
    const grid = ['int2', 'int4', 'int8'].flatMap((w) => ['int4', 'int8'].map((a) => candidate(`${w}/${a}`)));
    const bits = (format: { elementBits: number }) => format.elementBits;
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 6, maxLength: 6 }),
        fc.array(fc.double({ min: 0.1, max: 10, noNaN: true }), { minLength: 6, maxLength: 6 }),
        fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })), { minLength: 50, maxLength: 50 }),
        (values, weights, directions) => {
          const y = projectMonotone(grid, values, weights);
          // Feasible: never below 0, never above a less precise candidate.
          grid.forEach((a, i) => {
            expect(y[i]!).toBeGreaterThanOrEqual(0);
            grid.forEach((b, j) => {
              if (morePrecise(a, b)) expect(y[i]!).toBeLessThanOrEqual(y[j]! + 1e-9);
            });
          });
          // Optimal: no feasible point (separable decreasing f(w) + g(a) >= 0) is nearer.
          const best = objective(y, values, weights);
          for (const [s, t] of directions) {
            const other = grid.map((c) => s * (8 - bits(c.weight)) + t * (8 - bits(c.activation)) * 0.5);
            expect(objective(other, values, weights)).toBeGreaterThanOrEqual(best - 1e-9);
            const between = y.map((v, i) => (v + other[i]!) / 2);
            expect(objective(between, values, weights)).toBeGreaterThanOrEqual(best - 1e-9);
          }
        },
      ),
      { seed: 7, numRuns: 100 },
    );
  });
});
