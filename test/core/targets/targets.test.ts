import { describe, expect, it } from 'vitest';
import { ARCHITECTURE_SEEDS, architectureSeed, findHardware, findRuntime, makeFrontier, makePlan, type ModelDescriptor, type ResolvedTarget } from '../../../src/core/index.js';
import { CoreError } from '../../../src/core/errors.js';
import { fusionGroups } from '../../../src/core/targets/fusion.js';

const clock = { now: () => performance.now() };
const seedModel = (name: string): ModelDescriptor => {
  const definition = ARCHITECTURE_SEEDS.find((seed) => seed.name === name)!;
  return architectureSeed(definition, definition.build()).model;
};
const target = (runtime: string, checkpoint?: string): ResolvedTarget => {
  const found = findRuntime(runtime)!;
  return { runtime: found, checkpoint: checkpoint ? found.checkpoints.find((c) => c.id === checkpoint)! : found.checkpoints[0]! };
};
const solver = { backend: 'auto' as const, timeLimitMs: 20000, relativeGap: 0 };

describe('fusion groups', () => {
  it('vLLM fuses q/k/v and gate/up in every llama block', () => {
    const groups = fusionGroups(seedModel('llama-2-7b'), findRuntime('vllm')!.fusion);
    expect(groups).toHaveLength(64);
    expect(groups[0]).toEqual({ rule: 'projections', layers: ['model.layers.0.self_attn.q_proj', 'model.layers.0.self_attn.k_proj', 'model.layers.0.self_attn.v_proj'] });
    expect(groups[1]).toEqual({ rule: 'projections', layers: ['model.layers.0.mlp.gate_proj', 'model.layers.0.mlp.up_proj'] });
  });

  it('vLLM gives all experts of one MoE layer one scheme; GGUF one type per merged expert tensor', () => {
    const model = seedModel('mixtral-8x7b');
    const experts = fusionGroups(model, findRuntime('vllm')!.fusion).filter((group) => group.rule === 'experts');
    expect(experts).toHaveLength(32);
    expect(experts.every((group) => group.layers.length === 24)).toBe(true);
    const tensors = fusionGroups(model, findRuntime('llama.cpp')!.fusion);
    expect(tensors).toHaveLength(96);
    expect(tensors[0]!.layers).toEqual(Array.from({ length: 8 }, (_, e) => `model.layers.0.block_sparse_moe.experts.${e}.w1`));
  });
});

describe('plans for a runtime target', () => {
  it('vLLM (ModelOpt file) on llama-2-7b: fused groups agree, every layer on a scheme vLLM runs, the groups listed', () => {
    const plan = makePlan(
      { model: seedModel('llama-2-7b'), modelPath: 'seed(llama-2-7b)', hardware: findHardware('nvidia-h100'), budgets: [{ metric: 'sizeBytes', fraction: 0.3 }], batchSize: 1, allowEmulated: false, objective: { minimize: 'sensitivity' }, solver, target: target('vllm', 'modelopt') },
      clock,
    );
    const byName = new Map(plan.layers.map((layer) => [layer.name, layer.candidate.id]));
    expect(plan.target?.fusionGroups).toHaveLength(64);
    for (const group of plan.target!.fusionGroups) expect(new Set(group.layers.map((name) => byName.get(name))).size).toBe(1);
    const runs = new Set(['fp8-e4m3/fp8-e4m3', 'nvfp4/nvfp4', 'nvfp4', 'bf16/bf16', 'fp16/fp16', 'bf16', 'fp16']);
    for (const layer of plan.layers) expect(runs.has(layer.candidate.id), `${layer.name}: ${layer.candidate.id}`).toBe(true);
    expect(byName.get('model.embed_tokens')).toMatch(/^(bf16|fp16)/);
    expect(plan.warnings.some((w) => /^target vllm \(modelopt\) left int8\/int8 out on 226 layers \(model\.embed_tokens, lm_head, /.test(w))).toBe(true);
  });

  it('leaves out a candidate whose group does not divide the row, naming the layers, and says when rows are unknown', () => {
    const sensitivity = { hessianTrace: 1, weightStats: { absMax: 1, rms: 0.1 } };
    const model: ModelDescriptor = {
      name: 'rows',
      layers: [
        { name: 'a', op: 'linear', params: 4096 * 4096, inFeatures: 4096, macs: 4096 * 4096, sensitivity },
        { name: 'b', op: 'linear', params: 4096 * 100, inFeatures: 100, macs: 4096 * 100, sensitivity },
        { name: 'c', op: 'linear', params: 4096 * 300, macs: 4096 * 300, sensitivity },
      ],
    };
    const plan = makePlan({ model, modelPath: 'model', candidates: ['int4-g128', 'int8', 'bf16'], budgets: [{ metric: 'avgBits', max: 6 }], batchSize: 1, allowEmulated: false, objective: { minimize: 'sensitivity' }, solver, target: target('vllm') }, clock);
    expect(plan.layers.find((l) => l.name === 'b')!.candidate.id).not.toBe('int4-g128');
    expect(plan.warnings).toContain("target vllm (compressed-tensors) left int4-g128 out on layer b: int4-g128 needs a row length that is a multiple of 128, and the layer's inFeatures is 100");
    expect(plan.warnings.some((w) => /the row length of layer c is not known \(no inFeatures\)/.test(w))).toBe(true);
  });

  it('refuses a pin the runtime cannot run, at the pin', () => {
    const model: ModelDescriptor = { name: 'pin', layers: [{ name: 'a', op: 'linear', params: 4096, inFeatures: 64, macs: 4096, pin: 'int8/int8', sensitivity: { hessianTrace: 1 } }] };
    let error: unknown;
    try {
      makePlan({ model, modelPath: 'model', budgets: [], batchSize: 1, allowEmulated: false, objective: { minimize: 'sensitivity' }, solver, target: target('vllm', 'modelopt') }, clock);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(CoreError);
    expect((error as CoreError).issues[0]).toMatchObject({ path: 'model.layers[0].pin' });
    expect((error as CoreError).issues[0]!.message).toMatch(/target vllm \(modelopt\) cannot run the pin int8\/int8/);
  });

  it('k best plans and every frontier point keep the fused groups together', () => {
    const model = seedModel('llama-2-7b');
    const common = { model, modelPath: 'seed(llama-2-7b)', candidates: ['int4-g128', 'int8', 'bf16'], batchSize: 1, allowEmulated: false, target: target('vllm') };
    const groups = fusionGroups(model, findRuntime('vllm')!.fusion);
    const plan = makePlan({ ...common, budgets: [{ metric: 'avgBits', max: 6 }], objective: { minimize: 'sensitivity' }, solver, alternatives: 5 }, clock);
    expect(plan.alternatives!.length).toBe(5);
    for (const alternative of plan.alternatives!) {
      const of = new Map(alternative.layers.map((layer) => [layer.name, layer.candidate.id]));
      for (const group of groups) expect(new Set(group.layers.map((name) => of.get(name))).size).toBe(1);
    }
    const frontier = makeFrontier({ ...common, axis: 'sizeBytes', budgets: [], points: 8, all: false, maxPoints: 1000, solver }, clock);
    expect(frontier.target?.fusionGroups).toHaveLength(64);
    const index = new Map(frontier.layers.map((name, i) => [name, i]));
    for (const point of frontier.points) {
      for (const group of groups) expect(new Set(group.layers.map((name) => point.assignment[index.get(name)!])).size).toBe(1);
    }
  });
});
