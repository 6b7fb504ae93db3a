/**
 * Families broader than the ones the solver was tuned on (issue #26.5; test/support/broadFamily.ts):
 * 12-20 candidates with fp8, fp6, fp4, MX and NVFP4 formats under five budgets (B200), the FPGA
 * profile's integer and minifloat candidates under four budgets with macLuts, heavy ties with
 * pins, degenerate data (traces over 12 decades, zeros, budgets at the edges of their range) and
 * the sensitivity-bounded form. Per cell: the share proven, median and worst time, strict HiGHS's
 * in the same run, their ratio, and the worst gap answered.
 *
 *   npm run bench -- --broad         this section only
 *   BROAD_SEEDS=3 BROAD_LAYERS=150   fewer or smaller instances
 */
import type { PlanInput } from '../src/core/index.js';
import { degenerateInput, fpgaInput, heavyTiesInput, manyCandidatesInput, sensitivityBoundedInput } from '../test/support/broadFamily.js';
import { benchCellAgainstHighs } from './againstHighs.js';

export async function benchBroad(): Promise<void> {
  const seeds = Number(process.env.BROAD_SEEDS ?? 5);
  const layers = Number(process.env.BROAD_LAYERS ?? 300);
  console.log(`\n[broad] families the solver was not tuned on, ${layers} layers, ${seeds} seeds a cell; mckp (default limits, 10 s) against strict HiGHS, same run`);
  console.log('  case                                              | proven | mckp median / worst ms | HiGHS median / worst ms | ratio median, worst instance');
  const cells: [string, (layers: number, seed: number) => PlanInput][] = [
    ['12-20 candidates incl. fp4/MX/NVFP4, 5 budgets', manyCandidatesInput],
    ['FPGA: 8-12 int/minifloat, 4 budgets incl. macLuts', fpgaInput],
    ['heavy ties: 12 shapes, ties and pins, 3 budgets', heavyTiesInput],
    ['degenerate: 12 decades, zeros, edge budgets', degenerateInput],
    ['sensitivity-bounded: min sizeBytes, 1 budget', sensitivityBoundedInput],
  ];
  for (const [label, input] of cells) await benchCellAgainstHighs(label, 49, (seed) => input(layers, seed), seeds);
}
