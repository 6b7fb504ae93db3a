/** The cut model simplex against javascript-lp-solver. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as lpSolverModule from 'javascript-lp-solver';
import type { SolverAPI } from 'javascript-lp-solver';
import { maximizeCutModel } from '../../../../src/core/solvers/mckp/cutModel.js';

const lp = lpSolverModule.default as unknown as SolverAPI;
const small = fc.integer({ min: -16, max: 16 }).map((n) => n / 4);

describe('cut model simplex', () => {
  const SHIFT = 100;
  it('finds the maximum javascript-lp-solver finds', () => {
    const model = fc
      .record({ m: fc.integer({ min: 1, max: 4 }), cuts: fc.integer({ min: 1, max: 30 }) })
      .chain(({ m, cuts }) =>
        fc.record({
          m: fc.constant(m),
          offsets: fc.array(small, { minLength: cuts, maxLength: cuts }),
          slopes: fc.array(small, { minLength: cuts * m, maxLength: cuts * m }),
          width: fc.array(fc.integer({ min: 0, max: 12 }).map((n) => n / 4), { minLength: m, maxLength: m }),
        }),
      );
    fc.assert(
      fc.property(model, ({ m, offsets, slopes, width }) => {
        const ours = maximizeCutModel(offsets, slopes, width);
        const constraints: Record<string, { max: number }> = {};
        const variables: Record<string, Record<string, number>> = { z: { objective: 1 } };
        width.forEach((w, k) => {
          variables[`y${k}`] = { [`box${k}`]: 1 };
          constraints[`box${k}`] = { max: w };
        });
        offsets.forEach((b, t) => {
          variables.z![`cut${t}`] = 1;
          for (let k = 0; k < m; k++) variables[`y${k}`]![`cut${t}`] = -slopes[t * m + k]!;
          // Shifted up: javascript-lp-solver answers 0 where a free z must be negative.
          constraints[`cut${t}`] = { max: b + SHIFT };
        });
        const reference = lp.Solve({ optimize: 'objective', opType: 'max', constraints, variables, unrestricted: { z: 1 } } as never) as unknown as { result: number };
        // Feasible (within the box) and as good as the reference.
        ours.y.forEach((y, k) => {
          expect(y).toBeGreaterThanOrEqual(0);
          expect(y).toBeLessThanOrEqual(width[k]!);
        });
        expect(ours.value).toBeCloseTo(reference.result - SHIFT, 7);
      }),
      { numRuns: 300, seed: 3 },
    );
  });
});

/** Sorted runs of states as the core program produces them (each run in lexicographic order). */
