import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT_ERROR, EXIT_PLAN } from '../../src/cli/main.js';
import { ModelDescriptor } from '../../src/contract/model.js';
import type { Layer } from '../../src/core/index.js';
import { llamaTensors, writeGguf, writeSafetensors } from '../support/checkpointFiles.js';
import { cli } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'bitplan-describe-'));


/** `bitplan describe` on `path`: the descriptor it printed, checked against the contract. */
async function described(path: string) {
  const { code, out, err } = await cli('describe', path);
  expect(code, err).toBe(EXIT_PLAN);
  return { model: ModelDescriptor.parse(JSON.parse(out)), err };
}

const byName = (layers: Layer[]) => new Map(layers.map((layer) => [layer.name, layer]));

describe('bitplan describe CHECKPOINT (issue #29.4)', () => {
  // A small Llama: 2 blocks, hidden 64, 4 heads of 16 with 2 KV heads (k, v: 32 rows), MLP 128, vocabulary 100.
  const llama = llamaTensors(2, 64, 128, 32, 100);
  const llamaDir = join(dir, 'tiny-llama');
  mkdirSync(llamaDir);
  writeSafetensors(join(llamaDir, 'model.safetensors'), llama);

  it('describes a safetensors file from its header: one layer per 2-D weight, the rest unplanned', async () => {
    const { model, err } = await described(join(llamaDir, 'model.safetensors'));
    expect(model.name).toBe('tiny-llama');
    expect(model.precision).toBe('bf16');
    expect(model.layers.map((layer) => layer.name)).toEqual([
      'model.embed_tokens',
      ...[0, 1].flatMap((n) => ['q_proj', 'k_proj', 'v_proj', 'o_proj'].map((p) => `model.layers.${n}.self_attn.${p}`).concat(['gate_proj', 'up_proj', 'down_proj'].map((p) => `model.layers.${n}.mlp.${p}`))),
      'lm_head',
    ]);
    const layers = byName(model.layers as Layer[]);
    expect(layers.get('model.layers.1.self_attn.k_proj')).toEqual({
      name: 'model.layers.1.self_attn.k_proj',
      op: 'linear',
      params: 32 * 64,
      macs: 32 * 64,
      inFeatures: 64,
      dotProductLength: 64,
      activationElements: 64 + 32,
      inputs: ['model.layers.1.input_layernorm'],
      aliases: { gguf: 'blk.1.attn_k' },
    });
    expect(layers.get('model.layers.0.mlp.down_proj')).toMatchObject({ params: 64 * 128, inFeatures: 128, inputs: ['model.layers.0.mlp.act_fn'], aliases: { gguf: 'blk.0.ffn_down' } });
    expect(layers.get('model.embed_tokens')).toMatchObject({ op: 'embedding', params: 100 * 64, macs: 0, inFeatures: 64, aliases: { gguf: 'token_embd' } });
    expect(layers.get('lm_head')).toMatchObject({ op: 'linear', macs: 100 * 64, inputs: ['model.norm'], aliases: { gguf: 'output' } });
    // Norms: 2 per block and the final one.
    expect(model.unplanned).toEqual({ params: 5 * 64, tensors: expect.arrayContaining(['model.norm.weight', 'model.layers.0.input_layernorm.weight']) });
    expect(model.unplanned!.tensors).toHaveLength(5);
    expect(err).toMatch(/^described tiny-llama: 16 layers, 86,528 planned parameters, 320 in 5 tensors not planned/);
  });

  it('plans the described model for vLLM with q/k/v and gate/up fused by the inputs it found', async () => {
    const { model } = await described(llamaDir);
    const scored = { ...model, layers: model.layers.map((layer, i) => ({ ...layer, sensitivity: { hessianTrace: 1 + (i % 5), weightStats: { absMax: 0.5, rms: 0.05 } } })) };
    const descriptor = join(dir, 'tiny-llama-scored.json');
    writeFileSync(descriptor, JSON.stringify(scored));
    const planPath = join(dir, 'tiny-llama-plan.json');
    const { code, err } = await cli('plan', '--model', descriptor, '--target', 'vllm', '--candidates', 'int4/fp16,int8/fp16,fp16/fp16', '--budget', 'sizeBytes:0.5', '--out', planPath, '--quiet');
    expect(code, err).toBe(EXIT_PLAN);
    const plan = JSON.parse(readFileSync(planPath, 'utf8')) as { status: string; layers: { name: string; candidate: string }[] };
    expect(plan.status).toBe('optimal');
    const chosen = new Map(plan.layers.map((layer) => [layer.name, layer.candidate]));
    expect(new Set(chosen.values()).size).toBeGreaterThan(1);
    for (const n of [0, 1]) {
      const attention = ['q', 'k', 'v'].map((p) => chosen.get(`model.layers.${n}.self_attn.${p}_proj`));
      expect(new Set(attention).size, `block ${n}: ${attention}`).toBe(1);
      expect(chosen.get(`model.layers.${n}.mlp.gate_proj`)).toBe(chosen.get(`model.layers.${n}.mlp.up_proj`));
    }
  });

  it('reads a sharded checkpoint through its model.safetensors.index.json, the same layers as one file', async () => {
    const sharded = join(dir, 'sharded');
    mkdirSync(sharded);
    const half = llama.length >> 1;
    writeSafetensors(join(sharded, 'model-00001-of-00002.safetensors'), llama.slice(0, half));
    writeSafetensors(join(sharded, 'model-00002-of-00002.safetensors'), llama.slice(half));
    const weightMap = Object.fromEntries(llama.map((tensor, i) => [tensor.name, `model-0000${i < half ? 1 : 2}-of-00002.safetensors`]));
    writeFileSync(join(sharded, 'model.safetensors.index.json'), JSON.stringify({ metadata: { total_size: 0 }, weight_map: weightMap }));
    const whole = (await described(llamaDir)).model;
    const fromIndex = (await described(sharded)).model;
    expect(fromIndex.layers).toEqual(whole.layers);
    expect(fromIndex.unplanned).toEqual(whole.unplanned);
  });

  it('scales a routed expert\'s MACs by the share of tokens config.json routes to it, and leaves the router unplanned', async () => {
    const mixtral = join(dir, 'tiny-mixtral');
    mkdirSync(mixtral);
    const tensors = [
      ...llama.filter((tensor) => !tensor.name.includes('.mlp.')),
      ...[0, 1].flatMap((n) => [
        { name: `model.layers.${n}.block_sparse_moe.gate.weight`, shape: [4, 64] },
        ...[0, 1, 2, 3].flatMap((e) => [
          { name: `model.layers.${n}.block_sparse_moe.experts.${e}.w1.weight`, shape: [128, 64] },
          { name: `model.layers.${n}.block_sparse_moe.experts.${e}.w2.weight`, shape: [64, 128] },
          { name: `model.layers.${n}.block_sparse_moe.experts.${e}.w3.weight`, shape: [128, 64] },
        ]),
      ]),
    ];
    writeSafetensors(join(mixtral, 'model.safetensors'), tensors, 'F16');
    writeFileSync(join(mixtral, 'config.json'), JSON.stringify({ architectures: ['MixtralForCausalLM'], num_local_experts: 4, num_experts_per_tok: 2 }));
    const { model } = await described(mixtral);
    expect(model.precision).toBe('fp16');
    const layers = byName(model.layers as Layer[]);
    expect(layers.get('model.layers.0.block_sparse_moe.experts.3.w1')).toMatchObject({ params: 128 * 64, macs: (128 * 64 * 2) / 4, inputs: ['model.layers.0.post_attention_layernorm'], aliases: { gguf: 'blk.0.ffn_gate_exps' } });
    expect(layers.has('model.layers.0.block_sparse_moe.gate')).toBe(false);
    expect(model.unplanned!.tensors).toContain('model.layers.0.block_sparse_moe.gate.weight');
    // Without config.json the share is unknown: every token counted, and the note says so.
    const bare = join(dir, 'tiny-mixtral-bare.safetensors');
    writeSafetensors(bare, tensors, 'F16');
    const unscaled = await described(bare);
    expect(byName(unscaled.model.layers as Layer[]).get('model.layers.0.block_sparse_moe.experts.3.w1')!.macs).toBe(128 * 64);
    expect(unscaled.err).toMatch(/note: 24 routed-expert layers count the MACs of every token/);
  });

  it('describes a GGUF file from its tensor table: ggml dimensions, stacked experts, GGUF names', async () => {
    const path = join(dir, 'tiny-moe.gguf');
    writeGguf(path, { 'general.architecture': 'llama', 'general.name': 'Tiny MoE', 'llama.expert_count': 4, 'llama.expert_used_count': 2 }, [
      { name: 'token_embd.weight', shape: [64, 100] },
      { name: 'blk.0.attn_norm.weight', shape: [64] },
      { name: 'blk.0.attn_q.weight', shape: [64, 64] },
      { name: 'blk.0.attn_k.weight', shape: [64, 32] },
      { name: 'blk.0.ffn_gate_inp.weight', shape: [64, 4] },
      { name: 'blk.0.ffn_gate_exps.weight', shape: [64, 128, 4] },
      { name: 'blk.0.ffn_down_exps.weight', shape: [128, 64, 4] },
      { name: 'output.weight', shape: [64, 100] },
    ]);
    const { model } = await described(path);
    expect(model.name).toBe('Tiny MoE');
    expect(model.precision).toBe('fp16');
    const layers = byName(model.layers as Layer[]);
    expect([...layers.keys()]).toEqual(['token_embd', 'blk.0.attn_q', 'blk.0.attn_k', 'blk.0.ffn_gate_exps', 'blk.0.ffn_down_exps', 'output']);
    expect(layers.get('blk.0.attn_k')).toMatchObject({ params: 64 * 32, macs: 64 * 32, inFeatures: 64, inputs: ['blk.0.attn_norm'], aliases: { gguf: 'blk.0.attn_k' } });
    // Stacked experts: all four stored, two reached per token.
    expect(layers.get('blk.0.ffn_gate_exps')).toMatchObject({ params: 64 * 128 * 4, macs: 64 * 128 * 2, inFeatures: 64 });
    expect(layers.get('blk.0.ffn_down_exps')).toMatchObject({ params: 128 * 64 * 4, inFeatures: 128 });
    expect(model.unplanned!.tensors).toEqual(['blk.0.attn_norm.weight', 'blk.0.ffn_gate_inp.weight']);
  });

  it('--weight-stats streams each float weight once and fills absMax, rms and channels', async () => {
    // q_proj of 2 rows x 4: values whose absMax and rms are exact in every dtype.
    const q = { name: 'model.layers.0.self_attn.q_proj.weight', shape: [2, 4], values: [0.5, -0.25, 1, 0, -2, 0.5, 0.25, 0] };
    const expected = { absMax: 2, rms: Math.sqrt((0.25 + 0.0625 + 1 + 4 + 0.25 + 0.0625) / 8), count: 8, granularity: 'per-channel', channels: 2 };
    for (const dtype of ['BF16', 'F16', 'F32'] as const) {
      const path = join(dir, `stats-${dtype}.safetensors`);
      writeSafetensors(path, [q, { name: 'model.layers.0.self_attn.k_proj.weight', shape: [2, 4], values: [3, 0, 0, 0, 0, 0, 0, 0] }], dtype);
      const { code, out, err } = await cli('describe', path, '--weight-stats');
      expect(code, err).toBe(EXIT_PLAN);
      const layers = byName(ModelDescriptor.parse(JSON.parse(out)).layers as Layer[]);
      expect(layers.get('model.layers.0.self_attn.q_proj')!.sensitivity!.weightStats, dtype).toEqual(expected);
      expect(layers.get('model.layers.0.self_attn.k_proj')!.sensitivity!.weightStats).toMatchObject({ absMax: 3, rms: 3 / Math.sqrt(8) });
    }
    // GGUF: ggml order [in, out], the data after the aligned header.
    const gguf = join(dir, 'stats.gguf');
    writeGguf(gguf, { 'general.architecture': 'llama' }, [{ name: 'blk.0.attn_q.weight', shape: [4, 2], values: q.values }], 'F32');
    const fromGguf = await cli('describe', gguf, '--weight-stats');
    expect(byName(JSON.parse(fromGguf.out).layers).get('blk.0.attn_q')!.sensitivity!.weightStats).toEqual(expected);
  });

  it('plans a checkpoint from its weight statistics alone, the heavy-tailed weight kept wider', async () => {
    // q_proj: one outlier among small values (absMax 16 x rms); k_proj: +-1 everywhere (absMax = rms).
    const outlier = Array.from({ length: 32 }, (_, i) => (i === 0 ? 8 : i % 2 ? 0.125 : -0.125));
    const flat = Array.from({ length: 32 }, (_, i) => (i % 2 ? 1 : -1));
    const path = join(dir, 'stats-alone.safetensors');
    writeSafetensors(path, [
      { name: 'model.layers.0.self_attn.q_proj.weight', shape: [4, 8], values: outlier },
      { name: 'model.layers.0.self_attn.k_proj.weight', shape: [4, 8], values: flat },
    ], 'F32');
    const described = await cli('describe', path, '--weight-stats');
    expect(described.code, described.err).toBe(EXIT_PLAN);
    const descriptor = join(dir, 'stats-alone.json');
    writeFileSync(descriptor, described.out);
    const planPath = join(dir, 'stats-alone-plan.json');
    // An average of 6 bits: one of the two at int8.
    const { code, err } = await cli('plan', '--model', descriptor, '--candidates', 'int4/fp16,int8/fp16', '--budget', 'avgBits<=6', '--out', planPath, '--quiet');
    expect(code, err).toBe(EXIT_PLAN);
    const plan = JSON.parse(readFileSync(planPath, 'utf8')) as { status: string; warnings: string[]; layers: { name: string; candidate: string; sensitivitySource: string }[] };
    expect(plan.status).toBe('optimal');
    expect(Object.fromEntries(plan.layers.map((layer) => [layer.name, layer.candidate]))).toEqual({
      'model.layers.0.self_attn.q_proj': 'int8/fp16',
      'model.layers.0.self_attn.k_proj': 'int4/fp16',
    });
    expect(plan.layers.every((layer) => layer.sensitivitySource === 'relative weight error (weightStats alone)')).toBe(true);
    expect(plan.warnings.join('\n')).toMatch(/no layer carries a loss-side measurement .* the plan minimizes the summed relative weight error/);
  });

  it('says what is wrong with a path that holds no checkpoint it can read', async () => {
    const notOne = join(dir, 'not-one.safetensors');
    writeFileSync(notOne, 'hello, not a checkpoint');
    const bad = await cli('describe', notOne);
    expect(bad.code).toBe(EXIT_ERROR);
    expect(bad.err).toMatch(/is not a safetensors file \(its first 8 bytes give a header of \d+ bytes\)/);
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    expect((await cli('describe', empty)).err).toMatch(/holds no \.safetensors or \.gguf file/);
    const quantized = join(dir, 'gptq.safetensors');
    writeSafetensors(quantized, [{ name: 'model.layers.0.self_attn.q_proj.qweight', shape: [8, 64] }]);
    expect((await cli('describe', quantized)).err).toMatch(/none of its 1 tensors is a 2-D weight/);
    expect((await cli('describe')).err).toMatch(/^usage:\n  bitplan describe CHECKPOINT/);
  });
});
