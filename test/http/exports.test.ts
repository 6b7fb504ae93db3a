import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp } from '../support/app.js';

const data = JSON.parse(readFileSync(new URL('../../seeds/hawq-v3/resnet18.json', import.meta.url), 'utf8')) as {
  layers: { name: string; hawqKey: string }[];
  publishedBitConfigs: Record<string, Record<string, number>>;
};

describe('plan exports (?format=)', () => {
  let app: FastifyInstance;
  let http: Awaited<ReturnType<typeof startApp>>['http'];
  beforeAll(async () => ({ app, http } = await startApp()));
  afterAll(() => app.close());

  it('hawq: the bit_config.py entry HAWQ-V3 shipped for bops_0.25, module by module', async () => {
    const response = await http.post('/v1/plans?format=hawq').send({ seed: 'resnet18-hawq-v3', budgets: [{ metric: 'bops', fraction: 0.25 }] }).expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/x-python/);
    const entries = Object.fromEntries([...response.text.matchAll(/^\s+"([^"]+)": (\d+),$/gm)].map((m) => [m[1], Number(m[2])]));
    for (const layer of data.layers) expect(entries[layer.hawqKey], layer.hawqKey).toBe(data.publishedBitConfigs['bops_0.25']![layer.name]);
    expect(entries['quant_init_block_convbn']).toBe(8);
    expect(entries['quant_output']).toBe(8);
  });

  it('modelopt: a MIXED_PRECISION hf_quant_config.json, unquantized layers excluded', async () => {
    const response = await http
      .post('/v1/plans?format=modelopt')
      .send({ seed: 'llama-2-7b', candidates: ['nvfp4/nvfp4', 'fp8-e4m3/fp8-e4m3', 'bf16/bf16'], budgets: [{ metric: 'sizeBytes', fraction: 0.3 }] })
      .expect(200);
    const config = JSON.parse(response.text);
    expect(config.producer.name).toBe('bitplan');
    expect(config.quantization.quant_algo).toBe('MIXED_PRECISION');
    const layers = config.quantization.quantized_layers as Record<string, { quant_algo: string; group_size?: number }>;
    for (const entry of Object.values(layers)) {
      expect(['NVFP4', 'FP8']).toContain(entry.quant_algo);
      if (entry.quant_algo === 'NVFP4') expect(entry.group_size).toBe(16);
    }
    expect(Object.keys(layers).length + (config.quantization.exclude_modules?.length ?? 0)).toBe(226);
  });

  it('refuses a layer the toolkit cannot express, naming it', async () => {
    const response = await http
      .post('/v1/plans?format=modelopt')
      .send({ seed: 'llama-2-7b', candidates: ['int3-g128/fp16'] })
      .expect(400);
    expect(response.body.errors[0]).toMatchObject({ path: 'format' });
    expect(response.body.errors[0].message).toMatch(/layer model\.embed_tokens at int3-g128\/fp16: ModelOpt has no such format/);
  });

  it('llama-cpp: one anchored override per GGUF tensor; merged experts must agree', async () => {
    const ok = await http
      .post('/v1/plans?format=llama-cpp')
      .send({ seed: 'llama-2-7b', candidates: ['int4-g128/fp16', 'int8/int8'], budgets: [{ metric: 'sizeBytes', fraction: 0.5 }] })
      .expect(200);
    const flags = ok.text.split('\n').filter((l) => l.startsWith('--tensor-type'));
    expect(flags).toHaveLength(226);
    expect(flags.every((f) => /^--tensor-type '\^[a-z0-9_\\.]+\\\.weight\$=(q4_0|q8_0)'$/.test(f))).toBe(true);
    const moe = await http
      .post('/v1/plans?format=llama-cpp')
      .send({ seed: 'mixtral-8x7b', candidates: ['int4-g128/fp16', 'int8/int8'], budgets: [{ metric: 'sizeBytes', fraction: 0.3 }] })
      .expect(400);
    expect(moe.body.errors[0].message).toMatch(/GGUF stores it in tensor blk\.\d+\.ffn_\w+_exps .* tie these layers with groups/);
  });

  it('csv: one row per layer', async () => {
    const response = await http.post('/v1/plans?format=csv').send({ seed: 'resnet18-hawq-v3' }).expect(200);
    const rows = response.text.trim().split('\n');
    expect(rows[0]).toBe('layer,candidate,weight,activation,pinned,sensitivity,sensitivitySource,sizeBytes,avgBits,bops,latencyMs');
    expect(rows).toHaveLength(22);
  });

  it('rejects an unknown format', async () => {
    const response = await http.post('/v1/plans?format=onnx').send({ seed: 'resnet18-hawq-v3' }).expect(400);
    expect(response.body.errors[0]).toMatchObject({ path: 'format' });
  });
});
