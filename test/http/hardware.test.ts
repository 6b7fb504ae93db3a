import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HardwareList } from '../../src/contract/hardware.js';
import { Plan } from '../../src/contract/plan.js';
import { NVIDIA_T4 } from '../../src/core/hardware/builtIn.js';
import { startApp } from '../support/app.js';

const sensitivity = { lossDelta: { 'fp8-e4m3/fp8-e4m3': 0.01, 'int8/int8': 0.02, 'int4/int4': 0.3, 'fp16/fp16': 0.001, 'bf16/bf16': 0.001, 'nvfp4/nvfp4': 0.2 } };
const layer = (name: string) => ({ name, params: 4096 * 4096, macs: 4096 * 4096, activationElements: 8192, sensitivity });
const model = { name: 'mlp', layers: [layer('up'), layer('down')] };

describe('hardware profiles and what they run', () => {
  let app: FastifyInstance;
  let http: Awaited<ReturnType<typeof startApp>>['http'];
  beforeAll(async () => ({ app, http } = await startApp()));
  afterAll(() => app.close());

  it('lists the built-in profiles, each figure with its source', async () => {
    const { hardware } = HardwareList.parse((await http.get('/v1/hardware').expect(200)).body);
    expect(hardware.map((h) => h.id)).toEqual(['nvidia-t4', 'nvidia-a100', 'nvidia-h100', 'nvidia-b200', 'cpu-x86-amx', 'fpga-versal-vc1902']);
    for (const profile of hardware) {
      for (const field of ['memoryBandwidthGBps', 'peakTeraOpsPerSecond', 'nativeFormats', 'defaultCandidates']) {
        expect(profile.sources[field], `${profile.id}.${field}`).toMatch(/.{20,}/);
      }
      expect(profile.energy?.source).toMatch(/Horowitz/);
    }
    expect(hardware.find((h) => h.id === 'fpga-versal-vc1902')!.extraMetrics).toEqual(['macLuts']);
  });

  it('refuses a candidate the chip cannot run, naming the layer, the candidate and what the chip runs', async () => {
    const response = await http
      .post('/v1/plans')
      .send({ model, hardware: 'nvidia-t4', candidates: ['int8/int8', 'fp8-e4m3/fp8-e4m3'] })
      .expect(400);
    const error = response.body.errors.find((e: { path: string }) => e.path === 'candidates[1]');
    expect(error.message).toMatch(/fp8-e4m3\/fp8-e4m3 \(layer up, down\) does not run natively on nvidia-t4, which runs fp32, fp16, int8, int4/);
    expect(error.message).toMatch(/allowEmulated/);
  });

  it('costs an emulated candidate in the fastest native format that holds it, and warns', async () => {
    const response = await http
      .post('/v1/plans')
      .send({ model, hardware: 'nvidia-t4', candidates: ['fp8-e4m3/fp8-e4m3'], allowEmulated: true, batchSize: 16 })
      .expect(200);
    const plan = Plan.parse(response.body);
    expect(plan.layers.map((l) => l.computesIn)).toEqual(['fp16 (emulated)', 'fp16 (emulated)']);
    expect(plan.warnings.join('\n')).toMatch(/fp8-e4m3\/fp8-e4m3 is not native on nvidia-t4: costed as emulated in fp16/);
    expect(plan.totals.latencyMs).toBeGreaterThan(0);
    expect(plan.totals.energyJ).toBeGreaterThan(0);
  });

  it('plans against a latency budget from the roofline and an energy budget', async () => {
    const response = await http
      .post('/v1/plans')
      .send({
        model,
        hardware: 'nvidia-h100',
        candidates: ['fp8-e4m3/fp8-e4m3', 'bf16/bf16'],
        batchSize: 4096,
        budgets: [{ metric: 'latencyMs', fraction: 0.5 }, { metric: 'energyJ', fraction: 1 }],
      })
      .expect(200);
    const plan = Plan.parse(response.body);
    // Compute-bound at batch 4096: fp8 halves the time, so half the range admits one fp8 layer.
    expect(plan.layers.map((l) => l.candidate).sort()).toEqual(['bf16/bf16', 'fp8-e4m3/fp8-e4m3']);
    expect(plan.layers.map((l) => l.computesIn).sort()).toEqual(['bf16', 'fp8-e4m3']);
  });

  it('takes an inline profile of the same schema', async () => {
    const inline = { ...NVIDIA_T4, id: 'my-t4-at-half-clock', peakTeraOpsPerSecond: { fp32: 4, fp16: 32.5, int8: 65, int4: 130 } };
    const plan = Plan.parse((await http.post('/v1/plans').send({ model, hardware: inline, batchSize: 1024 }).expect(200)).body);
    expect(plan.layers[0]!.computesIn).toMatch(/int4|int8/);
    const bad = await http.post('/v1/plans').send({ model, hardware: { ...inline, memoryBandwidthGBps: -1 } }).expect(400);
    expect(bad.body.errors[0].path).toMatch(/^hardware/);
  });

  it('gives FPGA plans a macLuts budget, and refuses it elsewhere', async () => {
    const fpga = Plan.parse(
      (
        await http
          .post('/v1/plans')
          .send({ model, hardware: 'fpga-versal-vc1902', candidates: ['int4/int4', 'int8/int8'], budgets: [{ metric: 'macLuts', fraction: 0 }] })
          .expect(200)
      ).body,
    );
    expect(fpga.layers.every((l) => l.candidate === 'int4/int4')).toBe(true);
    expect(fpga.totals.macLuts).toBe(2 * (16 + 4 + 4 + 12 + 1));
    const gpu = await http.post('/v1/plans').send({ model, hardware: 'nvidia-t4', budgets: [{ metric: 'macLuts', max: 100 }] }).expect(400);
    expect(gpu.body.errors[0]).toMatchObject({ path: 'budgets[0].metric' });
  });
});
