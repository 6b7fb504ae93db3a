import { describe, expect, it } from 'vitest';
import type { Layer } from '../../../src/contract/model.js';
import { layerCosts } from '../../../src/core/costs/layerCosts.js';
import { macUnitLuts } from '../../../src/core/costs/macLuts.js';
import { rooflineTime } from '../../../src/core/costs/roofline.js';
import { computePlan } from '../../../src/core/hardware/computeFormat.js';
import { findHardware, parseCandidate } from '../../../src/core/index.js';

const T4 = findHardware('nvidia-t4')!;
const candidate = (id: string) => parseCandidate(id)!;
// HAWQ-V3 ResNet18 stage1.unit1.convbn1 with its 56x56x64 input and output (2 x 200,704 elements).
const conv: Layer = { name: 'stage1.unit1.convbn1', params: 36864, macs: 115605504, activationElements: 401408, dotProductLength: 576 };

function costs(layer: Layer, id: string, hardwareId?: string, batchSize = 8) {
  const hardware = hardwareId ? findHardware(hardwareId)! : undefined;
  const c = candidate(id);
  return layerCosts(layer, c, hardware && computePlan(hardware, c), { totalParams: 11678912, batchSize, hardware, latencyFrom: 'roofline' });
}

describe('cost formulas, checked by hand', () => {
  it('sizeBytes and avgBits count scale overhead', () => {
    expect(costs(conv, 'int4/int4').sizeBytes).toBe(18432); // 36864 x 4 / 8
    expect(costs(conv, 'int4-g128/fp16').sizeBytes).toBe(19008); // 36864 x 4.125 / 8
    expect(costs(conv, 'nvfp4/nvfp4').sizeBytes).toBe(20736); // 36864 x 4.5 / 8
    expect(costs(conv, 'mxfp4/mxfp4').sizeBytes).toBe(19584); // 36864 x 4.25 / 8
    expect(costs(conv, 'int8/int8').avgBits).toBeCloseTo((36864 * 8) / 11678912, 15);
  });

  it('bops = MACs x weight bits x activation bits, per sample', () => {
    expect(costs(conv, 'int4/int8').bops).toBe(115605504 * 32);
    expect(costs(conv, 'int4-g128/fp16').bops).toBe(115605504 * 64);
  });

  it('roofline latency on the T4 at batch 8: int8 tensor cores for int4/int8', () => {
    const c = candidate('int4/int8');
    expect(computePlan(T4, c)).toMatchObject({ format: { id: 'int8' }, native: true });
    const computeMs = ((2 * 115605504 * 8) / 130e12) * 1e3; // 0.014228 ms
    const bytes = 36864 * 0.5 + 8 * 401408 * 1; // int4 weights + 8 samples of int8 activations
    const memoryMs = (bytes / 320e9) * 1e3; // 0.010094 ms
    expect(costs(conv, 'int4/int8', 'nvidia-t4').latencyMs).toBeCloseTo(Math.max(computeMs, memoryMs), 12);
    expect(computeMs).toBeGreaterThan(memoryMs);
  });

  it('energy = MACs x batch x pJ per MAC + bytes x pJ per byte (Horowitz 45 nm)', () => {
    // int8/int8 on the T4: 0.2 pJ mult + 0.1 pJ int32 add; DRAM 1.3 nJ / 8 B = 162.5 pJ/B.
    const bytes = 36864 + 8 * 401408;
    const expected = (115605504 * 8 * 0.3 + bytes * 162.5) * 1e-12;
    expect(costs(conv, 'int8/int8', 'nvidia-t4').energyJ).toBeCloseTo(expected, 15);
    // fp16/fp16: 1.1 + 0.4 pJ per MAC.
    const fp16Bytes = 36864 * 2 + 8 * 401408 * 2;
    expect(costs(conv, 'fp16/fp16', 'nvidia-t4').energyJ).toBeCloseTo((115605504 * 8 * 1.5 + fp16Bytes * 162.5) * 1e-12, 15);
  });

  it('macLuts after the FPGA minifloat study: multiplier + accumulator', () => {
    // int4 x int4, n = 576: 4 x 4 multiplier + (4 + 4 + ceil(log2 576) = 10, + 1) accumulator = 16 + 19.
    expect(macUnitLuts(candidate('int4/int4'), 576)).toBe(35);
    // e4m3 x e4m3: 4 x 4 significands + (2^4 + 3 + 2^4 + 3 + 10 - 1) = 16 + 47: exponents make minifloats dearer.
    expect(macUnitLuts(candidate('fp8-e4m3/fp8-e4m3'), 576)).toBe(63);
    // e2m1 x e2m1: 2 x 2 + (4 + 1 + 4 + 1 + 10 - 1) = 4 + 19.
    expect(macUnitLuts(candidate('fp4-e2m1/fp4-e2m1'), 576)).toBe(23);
    expect(costs({ ...conv, macUnits: 16 }, 'int4/int4', 'fpga-versal-vc1902').macLuts).toBe(16 * 35);
    expect(costs(conv, 'int4/int4', 'nvidia-t4').macLuts).toBeUndefined();
  });
});

describe('roofline regimes', () => {
  it('turns from memory-bound to compute-bound at the batch size where the two times meet', () => {
    // A 4096 x 4096 linear layer at int8 on the T4: per sample 16.8 M MACs, 8192 activation bytes.
    const linear: Layer = { name: 'fc', params: 4096 * 4096, macs: 4096 * 4096, activationElements: 8192 };
    const c = candidate('int8/int8');
    const int8 = computePlan(T4, c)!.format;
    // 2 M B / 130e12 = (W + 8192 B) / 320e9  ->  B = W / (2 M x 320e9 / 130e12 - 8192)
    const crossover = (4096 * 4096) / ((2 * 4096 * 4096 * 320e9) / 130e12 - 8192);
    // The T4's int8 ridge: 130e12 / 320e9 = 406 operations per byte, so about 225 samples here.
    expect(crossover).toBeGreaterThan(220);
    expect(crossover).toBeLessThan(230);
    const below = rooflineTime(linear, c, int8, T4, Math.floor(crossover))!;
    const above = rooflineTime(linear, c, int8, T4, Math.ceil(crossover))!;
    expect(below.memoryMs).toBeGreaterThan(below.computeMs);
    expect(below.latencyMs).toBe(below.memoryMs);
    expect(above.computeMs).toBeGreaterThan(above.memoryMs);
    expect(above.latencyMs).toBe(above.computeMs);
    // At batch 1 it is memory-bound by a wide margin: the weights dominate the bytes.
    const single = rooflineTime(linear, c, int8, T4, 1)!;
    expect(single.memoryMs / single.computeMs).toBeGreaterThan(50);
  });
});

describe('what a pair computes in', () => {
  it.each([
    ['nvidia-t4', 'int4/int4', 'int4', true],
    ['nvidia-t4', 'int4/int8', 'int8', true],
    ['nvidia-t4', 'int4-g128/fp16', 'fp16', true],
    ['nvidia-t4', 'fp8-e4m3/fp8-e4m3', 'fp16', false],
    ['nvidia-a100', 'bf16/bf16', 'bf16', true],
    ['nvidia-h100', 'fp8-e4m3/fp8-e4m3', 'fp8-e4m3', true],
    ['nvidia-h100', 'int4/int4', 'int8', false],
    ['nvidia-b200', 'nvfp4/nvfp4', 'nvfp4', true],
    ['nvidia-b200', 'mxfp4/mxfp4', 'mxfp4', true],
    ['cpu-x86-amx', 'int8/int8', 'int8', true],
    ['cpu-x86-amx', 'fp16/fp16', 'fp32', false],
    ['fpga-versal-vc1902', 'e3m4/e3m4', 'e3m4', true],
  ])('%s runs %s in %s (native: %s)', (hardware, id, format, native) => {
    expect(computePlan(findHardware(hardware)!, candidate(id))).toMatchObject({ format: { id: format }, native });
  });
});
