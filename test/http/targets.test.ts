import { execFileSync } from 'node:child_process';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { startApp } from '../support/app.js';

const python = (script: string, input: unknown) => JSON.parse(execFileSync('python3', ['-c', script], { input: JSON.stringify(input), encoding: 'utf8' })) as unknown;

describe('runtime targets', () => {
  let app: FastifyInstance;
  let http: Awaited<ReturnType<typeof startApp>>['http'];
  beforeAll(async () => ({ app, http } = await startApp()));
  afterAll(() => app.close());

  it('GET /v1/targets lists each runtime with its checkpoints, schemes and sources', async () => {
    const { body } = await http.get('/v1/targets').expect(200);
    expect(body.targets.map((t: { id: string }) => t.id)).toEqual(['vllm', 'tensorrt-llm', 'llama.cpp', 'hawq']);
    const vllm = body.targets[0];
    expect(vllm.checkpoints.map((c: { id: string; export: string }) => `${c.id}:${c.export}`)).toEqual(['compressed-tensors:llm-compressor', 'modelopt:modelopt', 'gptq:gptq']);
    expect(vllm.checkpoints[1].schemes.map((s: { scheme: string }) => s.scheme)).toEqual(['FP8', 'NVFP4', 'W4A16_NVFP4', 'unquantized']);
    for (const target of body.targets) for (const checkpoint of target.checkpoints) expect(checkpoint.reader).toMatch(/https:\/\/github\.com\//);
  });

  it('a target names a checkpoint its runtime reads, written by the ?format= asked (400 otherwise)', async () => {
    const wrongFormat = await http.post('/v1/plans?format=llama-cpp').send({ seed: 'llama-2-7b', target: 'vllm' }).expect(400);
    expect(wrongFormat.body.errors[0]).toMatchObject({ path: 'target' });
    expect(wrongFormat.body.errors[0].message).toMatch(/vLLM reads compressed-tensors \(\?format=llm-compressor\), modelopt \(\?format=modelopt\), gptq \(\?format=gptq\)/);
    const wrongCheckpoint = await http.post('/v1/plans').send({ seed: 'llama-2-7b', target: { runtime: 'llama.cpp', checkpoint: 'modelopt' } }).expect(400);
    expect(wrongCheckpoint.body.errors[0]).toMatchObject({ path: 'target.checkpoint' });
    const unknown = await http.post('/v1/plans').send({ seed: 'llama-2-7b', target: 'onnxruntime' }).expect(400);
    expect(unknown.body.errors[0].path).toMatch(/^target/);
  });

  it('answers the target and its fusion groups in the plan and the frontier', async () => {
    const plan = await http.post('/v1/plans').send({ seed: 'mixtral-8x7b', target: 'vllm', candidates: ['int4-g128', 'int8', 'bf16'], budgets: [{ metric: 'avgBits', max: 6 }] }).expect(200);
    expect(plan.body.target).toMatchObject({ runtime: 'vllm', checkpoint: 'compressed-tensors', export: 'llm-compressor' });
    const experts = plan.body.target.fusionGroups.filter((g: { rule: string }) => g.rule === 'experts');
    expect(experts).toHaveLength(32);
    const of = new Map((plan.body.layers as { name: string; candidate: string }[]).map((l) => [l.name, l.candidate]));
    for (const group of plan.body.target.fusionGroups as { layers: string[] }[]) expect(new Set(group.layers.map((n) => of.get(n))).size).toBe(1);
    const frontier = await http.post('/v1/frontiers').send({ seed: 'llama-2-7b', hardware: 'nvidia-h100', target: 'tensorrt-llm', axis: 'sizeBytes', points: 4 }).expect(200);
    expect(frontier.body.target).toMatchObject({ runtime: 'tensorrt-llm', checkpoint: 'modelopt' });
  });

  it('llm-compressor: every config group as compressed-tensors validates QuantizationArgs, targets exact under re.match, sorted keys in written order', async () => {
    const body = { seed: 'llama-2-7b', hardware: 'nvidia-h100', target: 'vllm', candidates: ['int4-g128', 'int8', 'int8/int8', 'fp8-e4m3/fp8-e4m3', 'bf16/bf16'], budgets: [{ metric: 'avgBits', max: 6 }] };
    const recipe = await http.post('/v1/plans?format=llm-compressor').send(body).expect(200);
    expect(recipe.headers['content-type']).toMatch(/^application\/yaml/);
    expect(recipe.headers['bitplan-usage']).toMatch(/oneshot\(model=model, recipe="PLAN\.yaml"/);
    const plan = (await http.post('/v1/plans').send(body).expect(200)).body as { layers: { name: string; candidate: string }[] };
    const modifier = (parseYaml(recipe.text) as { quant_stage: { quant_modifiers: { QuantizationModifier: { ignore?: string[]; config_groups: Record<string, { targets: string[]; weights: Record<string, unknown>; input_activations?: Record<string, unknown> }> } } } }).quant_stage.quant_modifiers.QuantizationModifier;
    const keys = Object.keys(modifier.config_groups);
    expect([...keys].sort()).toEqual(keys);
    // QuantizationArgs.validate_model_after (compressed-tensors quant_args.py), field by field.
    for (const group of Object.values(modifier.config_groups)) {
      for (const args of [group.weights, group.input_activations].filter(Boolean) as Record<string, unknown>[]) {
        expect(Object.keys(args).every((k) => ['num_bits', 'type', 'symmetric', 'strategy', 'group_size', 'dynamic', 'observer', 'scale_dtype'].includes(k))).toBe(true);
        expect(['int', 'float']).toContain(args.type);
        expect(['tensor', 'channel', 'group', 'token', 'tensor_group']).toContain(args.strategy);
        if (args.strategy === 'group' || args.strategy === 'tensor_group') expect(args.group_size).toBeGreaterThan(0);
        else expect(args.group_size).toBeUndefined();
        if (args.strategy === 'token') expect(args.dynamic).toBe(true);
        if (args.dynamic === 'local') expect(args.strategy).toBe('tensor_group');
      }
    }
    const names = plan.layers.map((l) => l.name);
    const targets = { ...Object.fromEntries(Object.entries(modifier.config_groups).map(([k, g]) => [k, g.targets])), ignore: modifier.ignore ?? [] };
    const matched = python('import json, re, sys\nq = json.load(sys.stdin)\nprint(json.dumps({k: [n for n in q["names"] if any(re.match(t[3:], n) for t in ts)] for k, ts in q["targets"].items()}))', { targets, names }) as Record<string, string[]>;
    // Each layer in exactly one group (or ignored), every group one candidate of the plan.
    expect(Object.values(matched).flat().sort()).toEqual([...names].sort());
    const candidateOf = new Map(plan.layers.map((l) => [l.name, l.candidate]));
    for (const [key, members] of Object.entries(matched)) if (key !== 'ignore') expect(new Set(members.map((n) => candidateOf.get(n))).size, key).toBe(1);
    expect(matched.ignore).toEqual(expect.arrayContaining(['model.embed_tokens', 'lm_head']));
  });

  it('gptq: vLLM\'s get_dynamic_override on its fused module names gives every layer its planned bits', async () => {
    const body = { seed: 'mixtral-8x7b', target: { runtime: 'vllm', checkpoint: 'gptq' }, candidates: ['int4-g128', 'int8', 'bf16'], budgets: [{ metric: 'avgBits', max: 5 }] };
    const file = await http.post('/v1/plans?format=gptq').send(body).expect(200);
    const plan = (await http.post('/v1/plans').send(body).expect(200)).body as { layers: { name: string; candidate: string }[] };
    const config = JSON.parse(file.text) as { bits: number; group_size: number; dynamic?: Record<string, Record<string, number>> };
    // vllm/model_executor/layers/quantization/utils/gptq_utils.py get_dynamic_override, as written there.
    const script = [
      'import json, re, sys',
      'q = json.load(sys.stdin)',
      'def get_dynamic_override(dynamic, layer_name, key, default_value):',
      '    for pattern, pattern_dict in dynamic.items():',
      '        if pattern.startswith("-:"):',
      '            if re.match(pattern.removeprefix("-:"), layer_name): return False',
      '        elif re.match(pattern.removeprefix("+:"), layer_name): return pattern_dict.get(key, default_value)',
      '    return default_value',
      'print(json.dumps({n: [get_dynamic_override(q["dynamic"], n, "bits", q["bits"]), get_dynamic_override(q["dynamic"], n, "group_size", q["group_size"])] for n in q["names"]}))',
    ].join('\n');
    const fused = (name: string) => name.replace(/\.experts\.\d+\.w\d$/, '.experts').replace(/\.(q|k|v)_proj$/, '.qkv_proj');
    const names = [...new Set(plan.layers.map((l) => fused(l.name)))];
    const got = python(script, { dynamic: config.dynamic ?? {}, bits: config.bits, group_size: config.group_size, names }) as Record<string, [number | false, number]>;
    const expected = (candidate: string): [number | false, number] => (candidate === 'bf16' ? [false, false as unknown as number] : candidate === 'int8' ? [8, -1] : [4, 128]);
    for (const layer of plan.layers) {
      const [bits, group] = got[fused(layer.name)]!;
      const [wantBits, wantGroup] = expected(layer.candidate);
      expect(bits, layer.name).toBe(wantBits);
      if (wantBits !== false) expect(group, layer.name).toBe(wantGroup);
    }
  });
});
