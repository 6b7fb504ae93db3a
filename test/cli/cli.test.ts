import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_ERROR, EXIT_INFEASIBLE, EXIT_PLAN } from '../../src/cli/main.js';
import { Frontier } from '../../src/contract/frontier.js';
import { Plan } from '../../src/contract/plan.js';
import { loadSeedStore } from '../../src/service/seedStore.js';
import { startListening } from '../support/app.js';
import { readTensorTypeFile } from '../support/llamaCppGrammar.js';
import { cli } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'bitplan-cli-'));


describe('bitplan CLI, in-process', () => {
  it('plans, prints a summary table and writes the plan with --out; exit 0', async () => {
    const file = join(dir, 'plan.json');
    const { code, out } = await cli('plan', '--seed', 'resnet18-hawq-v3', '--budget', 'bops:0.25', '--out', file);
    expect(code).toBe(EXIT_PLAN);
    expect(out).toMatch(/resnet18: optimal \(proven\), /);
    expect(out).not.toMatch(/gap 1\.0e-12/);
    expect(out).toMatch(/stage4\.unit2\.convbn2\s+int4\/int4/);
    const plan = Plan.parse(JSON.parse(readFileSync(file, 'utf8')));
    expect(plan.budgets[0]!.metric).toBe('bops');
  });

  it('plans a whole seed answer given as --model (its .model), named by its descriptor (issue #28.9)', async () => {
    const file = join(dir, 'seed.json');
    writeFileSync(file, JSON.stringify(loadSeedStore().find('resnet18-hawq-v3')));
    const { code, out, err } = await cli('plan', '--model', file, '--budget', 'bops:0.25');
    expect(code).toBe(EXIT_PLAN);
    expect(err).toMatch(/is a seed answer \(GET \/v1\/seeds\/NAME\); planning its \.model/);
    expect(out).toMatch(/^bitplan: resnet18: optimal/);
  });

  it('lists the k best plans with --alternatives, each with where it differs from the best', async () => {
    const file = join(dir, 'alternatives.json');
    const { code, out } = await cli('plan', '--seed', 'resnet18-hawq-v3', '--budget', 'sizeBytes:0.5', '--alternatives', '3', '--out', file);
    expect(code).toBe(EXIT_PLAN);
    expect(out).toMatch(/the 3 best plans/);
    expect(out).toMatch(/^ {3}2\. 0\.\d+ {2}stage\d/m);
    const plan = Plan.parse(JSON.parse(readFileSync(file, 'utf8')));
    expect(plan.alternatives!.map((a) => a.rank)).toEqual([1, 2, 3]);
  });

  it('exits 2 on an infeasible budget, so a CI step fails the build', async () => {
    const { code, err } = await cli('plan', '--seed', 'resnet18-hawq-v3', '--budget', 'sizeBytes<=1e6');
    expect(code).toBe(EXIT_INFEASIBLE);
    expect(err).toMatch(/sizeBytes limit 1000000 is below the least reachable 6100160/);
  });

  it('exits 1 on any other error, naming it', async () => {
    expect((await cli('plan', '--seed', 'resnet18-hawq-v3', '--budget', 'watts<=3')).err).toMatch(/\n  --budget watts<=3: /);
    // A fraction that is an absolute value: named as written, with the absolute form of that value (issue #28.3).
    const fraction = await cli('plan', '--seed', 'resnet18-hawq-v3', '--budget', 'sizeBytes:0.5', '--budget', 'avgBits:4');
    expect(fraction.code).toBe(EXIT_ERROR);
    expect(fraction.err).toMatch(/\n  --budget avgBits:4: a fraction is relative, .*for an absolute limit of 4 give max instead: .*\(CLI: --budget avgBits<=4\)/);
    expect(fraction.err).not.toMatch(/budgets\[1\]|#2/);
    expect((await cli('plan', '--seed', 'resnet18-hawq-v3', '--budget', 'sizeBytes=3')).code).toBe(EXIT_ERROR);
    expect((await cli('plan', '--model', join(dir, 'missing.json'))).err).toMatch(/cannot read/);
    expect((await cli('nonsense')).code).toBe(EXIT_ERROR);
  });

  it('exports HAWQ, ModelOpt and llama.cpp formats with --format', async () => {
    const hawq = join(dir, 'bit_config.py');
    expect((await cli('plan', '--seed', 'resnet18-hawq-v3', '--budget', 'sizeBytes:0.5', '--format', 'hawq', '--out', hawq, '--quiet')).code).toBe(0);
    const text = readFileSync(hawq, 'utf8');
    expect(text).toMatch(/bit_config_dict\["bit_config_resnet18_bitplan"\] = \{/);
    expect(text).toMatch(/"quant_init_block_convbn": 8,/);
    expect(text).toMatch(/"stage4\.unit2\.quant_convbn2": 4,/);
    // Six significant digits at most, not the sum's floating-point tail (0.21064437350100002).
    const total = /total sensitivity ([0-9.e-]+)\.\n/.exec(text)?.[1] ?? '';
    expect(total.replace(/^0\.0*/, '').replace('.', '').length).toBeLessThanOrEqual(6);
    expect(Number(total)).toBeGreaterThan(0);
    const modelopt = join(dir, 'hf_quant_config.json');
    const trt = await cli('plan', '--seed', 'llama-2-7b', '--target', 'tensorrt-llm', '--candidates', 'fp8-e4m3/fp8-e4m3,int4-g128/fp16,bf16/bf16', '--budget', 'sizeBytes:0.4', '--format', 'modelopt', '--out', modelopt, '--quiet');
    expect(trt.code).toBe(0);
    const config = JSON.parse(readFileSync(modelopt, 'utf8'));
    expect(config.quantization.quant_algo).toBe('MIXED_PRECISION');
    const algos = new Set(Object.values(config.quantization.quantized_layers).map((l) => (l as { quant_algo: string }).quant_algo));
    expect([...algos].every((a) => a === 'FP8' || a === 'W4A16_AWQ')).toBe(true);
    const gguf = join(dir, 'overrides.txt');
    await cli('plan', '--seed', 'llama-2-7b', '--candidates', 'int4-g128/fp16,int8/int8', '--budget', 'sizeBytes:0.5', '--format', 'llama-cpp', '--out', gguf, '--quiet');
    const entries = readTensorTypeFile(readFileSync(gguf, 'utf8'));
    expect(entries).toHaveLength(226);
    expect(entries.some((e) => e.source === '^token_embd\\.weight$')).toBe(true);
    expect(entries.some((e) => e.source === '^blk\\.31\\.ffn_down\\.weight$')).toBe(true);
    expect(entries.every((e) => e.type === 'q4_0' || e.type === 'q8_0')).toBe(true);
    // The usage names the file; a positional type that makes llama-quantize ignore it is warned of.
    const f16 = await cli('plan', '--seed', 'llama-2-7b', '--target', 'llama.cpp', '--candidates', 'q4_k,q6_k,q8_0', '--budget', 'sizeBytes:0.5', '--format', 'llama-cpp', '--out', gguf, '--positional-type', 'F16', '--quiet');
    expect(f16.code).toBe(0);
    expect(f16.err).toContain(`usage: llama-quantize --tensor-type-file ${gguf} model-f16.gguf model-mixed.gguf F16`);
    expect(f16.err).toMatch(/warning: --positional-type F16: llama-quantize ignores the whole --tensor-type-file/);
    expect(readTensorTypeFile(readFileSync(gguf, 'utf8')).every((e) => ['q4_k', 'q6_k', 'q8_0'].includes(e.type))).toBe(true);
  });

  it('plans for a runtime with --target and writes llm-compressor, gptq and autoround files', async () => {
    const recipe = join(dir, 'recipe.yaml');
    const vllm = await cli('plan', '--seed', 'llama-2-7b', '--target', 'vllm', '--candidates', 'int4-g128,int8,bf16', '--budget', 'avgBits<=6', '--format', 'llm-compressor', '--out', recipe, '--quiet');
    expect(vllm.code).toBe(0);
    expect(vllm.err).toContain(`recipe="${recipe}"`);
    expect(readFileSync(recipe, 'utf8')).toMatch(/^quant_stage:\n  quant_modifiers:\n    QuantizationModifier:/m);
    const gptq = join(dir, 'quantize_config.json');
    expect((await cli('plan', '--seed', 'llama-2-7b', '--target', 'vllm', '--candidates', 'int4-g128,int8,bf16', '--budget', 'avgBits<=6', '--format', 'gptq', '--out', gptq, '--quiet')).code).toBe(0);
    expect(JSON.parse(readFileSync(gptq, 'utf8'))).toMatchObject({ quant_method: 'gptq', sym: true, desc_act: false });
    const autoround = join(dir, 'layer_config.json');
    expect((await cli('plan', '--seed', 'llama-2-7b', '--candidates', 'int4-g128,int8,bf16', '--budget', 'avgBits<=6', '--format', 'autoround', '--out', autoround, '--quiet')).code).toBe(0);
    expect(Object.keys(JSON.parse(readFileSync(autoround, 'utf8')))).toHaveLength(226);
  });

  it('draws a frontier to CSV or SVG', async () => {
    const svg = join(dir, 'frontier.svg');
    const { code, out } = await cli('frontier', '--seed', 'resnet18-hawq-v3', '--axis', 'sizeBytes', '--points', '8', '--format', 'svg', '--out', svg);
    expect(code).toBe(0);
    expect(out).toMatch(/\(knee\)/);
    expect(readFileSync(svg, 'utf8')).toMatch(/^<svg /);
  });
});

describe('bitplan CLI against a server', () => {
  let app: FastifyInstance;
  let server: string;
  beforeAll(async () => ({ app, url: server } = await startListening()));
  afterAll(() => app.close());

  it('plans through --server with the same exit codes', async () => {
    const file = join(dir, 'remote.json');
    const ok = await cli('plan', '--server', server, '--seed', 'resnet50-hawq-v3', '--budget', 'sizeBytes:0.5', '--budget', 'latencyMs:0.5', '--out', file);
    expect(ok.code).toBe(EXIT_PLAN);
    expect(Plan.parse(JSON.parse(readFileSync(file, 'utf8'))).layers).toHaveLength(54);
    const infeasible = await cli('plan', '--server', server, '--seed', 'resnet50-hawq-v3', '--budget', 'sizeBytes<=1');
    expect(infeasible.code).toBe(EXIT_INFEASIBLE);
    expect(infeasible.err).toMatch(/error 422/);
    const bad = await cli('plan', '--server', server, '--seed', 'resnet50-hawq-v3', '--candidates', 'int9/int9');
    expect(bad.code).toBe(EXIT_ERROR);
    expect(bad.err).toMatch(/candidates\[0\]: unknown candidate "int9\/int9"/);
    const unreachable = await cli('plan', '--server', 'http://127.0.0.1:9', '--seed', 'resnet18-hawq-v3');
    expect(unreachable.code).toBe(EXIT_ERROR);
    expect(unreachable.err).toMatch(/cannot reach/);
  });

  it('draws a frontier through --server', async () => {
    const file = join(dir, 'remote-frontier.json');
    expect((await cli('frontier', '--server', server, '--seed', 'resnet18-hawq-v3', '--axis', 'bops', '--points', '6', '--out', file)).code).toBe(0);
    expect(Frontier.parse(JSON.parse(readFileSync(file, 'utf8'))).points.length).toBeGreaterThan(3);
  });
});

describe('npx bitplan', () => {
  it('prints at most one line about the Node version, and none on Node 24 or newer (issue #28.8)', () => {
    const answer = spawnSync('npx', ['--no-install', 'bitplan', '--help'], { cwd: fileURLToPath(new URL('../..', import.meta.url)), encoding: 'utf8' });
    expect(answer.status).toBe(EXIT_PLAN);
    expect(answer.stdout).toMatch(/^usage:/);
    const aboutNode = answer.stderr.split('\n').filter((line) => /node|engine/i.test(line));
    expect(aboutNode.length).toBe(Number(process.versions.node.split('.')[0]) < 24 ? 1 : 0);
    expect(answer.stderr).not.toMatch(/EBADENGINE/);
  }, 60_000);
});
