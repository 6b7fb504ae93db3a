import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { XMLParser } from 'fast-xml-parser';
import { parse as parseYaml } from 'yaml';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp } from '../support/app.js';
import { readTensorTypeFile } from '../support/llamaCppGrammar.js';

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
    // The activation quantizer feeding each conv takes the plan's activation bits, as in HAWQ's shipped configs.
    expect(entries['quant_input']).toBe(8);
    expect(entries['quant_act_output']).toBe(8);
    for (const layer of data.layers) {
      const unit = /^(.+\.)quant_(identity_)?convbn(\d)$/.exec(layer.hawqKey);
      if (!unit) continue;
      const feeding = `${unit[1]}quant_act${unit[2] || unit[3] === '1' ? '' : Number(unit[3]) - 1}`;
      if (!unit[2]) expect(entries[feeding], feeding).toBe(entries[layer.hawqKey]);
      expect(entries[`${unit[1]}quant_act_int32`]).toBe(16);
    }
    expect(entries['quant_act_int32']).toBe(16);
    expect(response.text).not.toMatch(/keep HAWQ's default/);
  });

  it("hawq: says which activations keep HAWQ's 4-bit default (weight-only candidates)", async () => {
    const seed = (await http.get('/v1/seeds/resnet18-hawq-v3').expect(200)).body as { model: { layers: Record<string, unknown>[] } };
    const model = { ...seed.model, layers: seed.model.layers.map(({ candidates: _, ...layer }) => layer) };
    const response = await http.post('/v1/plans?format=hawq').send({ model, candidates: ['int4', 'int8'], budgets: [{ metric: 'sizeBytes', fraction: 0.5 }] }).expect(200);
    expect(response.text).toMatch(/^# 19 modules take weight-only candidates: their input activations are not set here and keep HAWQ's default \(QuantAct, 4 bits\)\.$/m);
    // The first and last layers are pinned to int8/int8: their activations are set.
    expect(response.text).toMatch(/"quant_input": 8,/);
    expect(response.text).not.toMatch(/stage\d\.unit\d\.quant_act/);
  });

  it('modelopt: a MIXED_PRECISION hf_quant_config.json that vLLM reads, for a plan made for it', async () => {
    // The request of issue #24 with its target: every fused group one algorithm, every algorithm one vLLM runs.
    const response = await http
      .post('/v1/plans?format=modelopt')
      .send({ seed: 'llama-2-7b', hardware: 'nvidia-h100', target: 'vllm', budgets: [{ metric: 'sizeBytes', fraction: 0.3 }] })
      .expect(200);
    expect(response.headers['bitplan-warning']).toBeUndefined();
    const config = JSON.parse(response.text);
    // vLLM recognises a ModelOpt checkpoint by producer.name (ModelOptQuantConfigBase, vllm/model_executor/layers/quantization/modelopt.py).
    expect(config.producer.name).toBe('modelopt');
    expect(config.writer.name).toBe('bitplan');
    expect(config.quantization.quant_algo).toBe('MIXED_PRECISION');
    const layers = config.quantization.quantized_layers as Record<string, { quant_algo: string; group_size?: number }>;
    // ModelOptMixedPrecisionConfig runs FP8, NVFP4 and W4A16_NVFP4 per layer; anything else loads unquantized.
    for (const entry of Object.values(layers)) {
      expect(['NVFP4', 'FP8', 'W4A16_NVFP4']).toContain(entry.quant_algo);
      if (entry.quant_algo !== 'FP8') expect(entry.group_size).toBe(16);
    }
    expect(Object.keys(layers).length).toBeGreaterThan(150);
    for (let block = 0; block < 32; block++) {
      const algo = (leaf: string) => layers[`model.layers.${block}.${leaf}`]?.quant_algo ?? 'excluded';
      expect(new Set(['self_attn.q_proj', 'self_attn.k_proj', 'self_attn.v_proj'].map(algo)).size, `block ${block} qkv`).toBe(1);
      expect(algo('mlp.gate_proj'), `block ${block} gate/up`).toBe(algo('mlp.up_proj'));
    }
    expect(layers['model.embed_tokens']).toBeUndefined();
    expect(layers['lm_head']).toBeUndefined();
    expect(config.quantization.exclude_modules).toEqual(expect.arrayContaining(['model.embed_tokens', 'lm_head']));
    expect(Object.keys(layers).length + config.quantization.exclude_modules.length).toBe(226);
  });

  it('modelopt: the same plan made without its target is refused (422), naming the fused groups it splits', async () => {
    const response = await http
      .post('/v1/plans?format=modelopt')
      .send({ seed: 'llama-2-7b', hardware: 'nvidia-h100', budgets: [{ metric: 'sizeBytes', fraction: 0.3 }] })
      .expect(422);
    expect(response.body.type).toBe('/problems/not-exportable');
    const messages = (response.body.errors as { path: string; message: string }[]).map((issue) => issue.message);
    expect(messages.some((m) => /^vLLM \(modelopt\): .*\{model\.layers\.\d+\.self_attn\.q_proj, model\.layers\.\d+\.self_attn\.k_proj, model\.layers\.\d+\.self_attn\.v_proj\}.*vLLM fuses them \(projections\)/.test(m))).toBe(true);
    // What vLLM would load unquantized is said too, and the way out.
    expect(messages.some((m) => /W8A8|int8\/int8|int4-g128\/fp16/.test(m) && /otherwise than planned/.test(m))).toBe(true);
    expect(response.body.detail).toMatch(/plan with "target": \{"runtime": "vllm", "checkpoint": "modelopt"\}/);
  });

  it('modelopt: warns (Bitplan-Warning) where its readers run a layer otherwise than planned', async () => {
    const stats = { absMax: 1, rms: 0.1 };
    const model = { name: 'two', layers: [{ name: 'a', params: 4096, macs: 4096, sensitivity: { hessianTrace: 1, weightStats: stats } }, { name: 'b', params: 4096, macs: 4096, sensitivity: { hessianTrace: 2, weightStats: stats } }] };
    const response = await http.post('/v1/plans?format=modelopt').send({ model, candidates: ['int8/int8'] }).expect(200);
    const warnings = String(response.headers['bitplan-warning']);
    expect(warnings).toMatch(/vLLM \(modelopt\): 2 layers \(a, b\): int8\/int8: vLLM reading modelopt has no scheme for int8\/int8/);
    expect(warnings).toMatch(/TensorRT-LLM \(modelopt\)/);
    expect(JSON.parse(response.text).quantization.quantized_layers.a).toEqual({ quant_algo: 'W8A8_SQ_PER_CHANNEL' });
  });

  it('refuses a layer the toolkit cannot express (422), naming it', async () => {
    const response = await http
      .post('/v1/plans?format=modelopt')
      .send({ seed: 'llama-2-7b', candidates: ['int3-g128/fp16'] })
      .expect(422);
    expect(response.body.errors[0]).toMatchObject({ path: 'format' });
        // Embeddings and the head go to exclude_modules (no reader quantizes them from this file), the rest cannot be written.
    expect(response.body.errors[0].message).toMatch(/^224 layers \(model\.layers\.0\.self_attn\.q_proj at int3-g128\/fp16, .*, \.\.\.\): ModelOpt has no such format/);
  });

  it('llama-cpp: a --tensor-type-file, one anchored pattern per GGUF tensor; merged experts must agree', async () => {
    const ok = await http
      .post('/v1/plans?format=llama-cpp')
      .send({ seed: 'llama-2-7b', candidates: ['int4-g128/fp16', 'int8/int8'], budgets: [{ metric: 'sizeBytes', fraction: 0.5 }] })
      .expect(200);
    expect(ok.headers['bitplan-usage']).toMatch(/^llama-quantize --tensor-type-file PLAN\.txt /);
    const entries = readTensorTypeFile(ok.text);
    expect(entries).toHaveLength(226);
    expect(ok.text.split('\n').filter(Boolean)).toHaveLength(226);
    expect(entries.every((e) => /^\^[a-z0-9_\\.]+\\\.weight\$$/.test(e.source) && ['q4_0', 'q8_0'].includes(e.type))).toBe(true);
    // Each pattern matches exactly its own tensor among all the model's tensor names.
    const tensors = entries.map((e) => e.source.slice(1, -1).replace(/\\\./g, '.'));
    for (const entry of entries) expect(tensors.filter((t) => entry.pattern.test(t))).toHaveLength(1);
    expect(tensors).toContain('token_embd.weight');
    expect(tensors).toContain('blk.31.ffn_down.weight');
    const moe = await http
      .post('/v1/plans?format=llama-cpp')
      .send({ seed: 'mixtral-8x7b', candidates: ['int4-g128/fp16', 'int8/int8'], budgets: [{ metric: 'sizeBytes', fraction: 0.3 }] })
      .expect(422);
    expect(moe.body.errors[0].message).toMatch(/^llama\.cpp \(gguf\): .*\{model\.layers\.\d+\.block_sparse_moe\.experts\.0\.w1, .*\}.*llama\.cpp fuses them \(gguf-tensors\)/);
    expect(moe.body.detail).toMatch(/plan with "target": \{"runtime": "llama\.cpp", "checkpoint": "gguf"\}/);
  });

  it('llama-cpp: refuses a model whose layers have no GGUF tensor names', async () => {
    const response = await http.post('/v1/plans?format=llama-cpp').send({ seed: 'resnet18-hawq-v3' }).expect(422);
    // The stem's row (3 x 7 x 7 = 147) is no multiple of q8_0's block either: said beside it.
    expect(response.body.errors[1].message).toMatch(/^llama\.cpp \(gguf\): layer init_block\.convbn: int8\/int8: q8_0 needs a row length that is a multiple of 32, and the layer's inFeatures is 147/);
    expect(response.body.errors[0].message).toMatch(/^20 layers \(init_block\.convbn at int8\/int8, .*\): no GGUF tensor name/);
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

describe('exports are inert: hostile names', () => {
  let app: FastifyInstance;
  let http: Awaited<ReturnType<typeof startApp>>['http'];
  beforeAll(async () => ({ app, http } = await startApp()));
  afterAll(() => app.close());

  // Visible characters a name may hold, chosen to break out of a Python string, a shell line,
  // a CSV field or a spreadsheet cell.
  const HOSTILE = [
    `a"; import os; os.system('id') #`,
    "b'''; __import__('os').system('id'); '''",
    '$(touch /tmp/pwned)',
    '`id`',
    'c\\", "d": 9, "e',
    '=HYPERLINK("http://evil.example","x")',
    'f,g "h"',
    'émoji 😀',
  ];
  const layer = (name: string, i: number) => ({
    name,
    params: 1000 * (i + 1),
    macs: 1000,
    sensitivity: { hessianTrace: 1 / (i + 1), weightStats: { absMax: 1, rms: 0.1 } },
    aliases: { gguf: `blk.${i}.attn_q` },
  });
  const body = { model: { name: `m"; import os #`, layers: HOSTILE.map(layer) }, candidates: ['int4/int4', 'int8/int8'], budgets: [{ metric: 'sizeBytes', fraction: 0.5 }] };
  const python = (script: string, input: string) => execFileSync('python3', ['-c', script], { input, encoding: 'utf8' });

  it('refuses names with control or invisible characters (400 naming the field)', async () => {
    for (const name of ['a\nimport os', 'a\rb', 'tab\there', 'bidi\u202Eevil', 'zero\u200Bwidth', 'nul\u0000', 'sep\u2028']) {
      const response = await http.post('/v1/plans').send({ ...body, model: { ...body.model, layers: [layer(name, 0)] } }).expect(400);
      expect(response.body.errors[0]).toMatchObject({ path: 'model.layers[0].name' });
      expect(response.body.errors[0].message).toMatch(/control and invisible characters/);
    }
    const modelName = await http.post('/v1/plans?format=hawq').send({ ...body, model: { ...body.model, name: "m\nimport os; os.system('id') #" } }).expect(400);
    expect(modelName.body.errors[0]).toMatchObject({ path: 'model.name' });
    const alias = await http.post('/v1/plans?format=llama-cpp').send({ ...body, model: { ...body.model, layers: [{ ...layer('a', 0), aliases: { gguf: 'x\n.*=f32' } }] } }).expect(400);
    expect(alias.body.errors[0]).toMatchObject({ path: 'model.layers[0].aliases.gguf' });
  });

  it('hawq: a Python module holding one dict of the names, nothing else (python ast)', async () => {
    const response = await http.post('/v1/plans?format=hawq').send(body).expect(200);
    const parsed = JSON.parse(
      python(
        [
          'import ast, json, sys',
          'tree = ast.parse(sys.stdin.read())',
          'assert len(tree.body) == 1 and isinstance(tree.body[0], ast.Assign), ast.dump(tree)',
          'd = tree.body[0].value',
          'assert isinstance(d, ast.Dict)',
          'assert all(isinstance(k, ast.Constant) and isinstance(k.value, str) for k in d.keys)',
          'assert all(isinstance(v, ast.Constant) and isinstance(v.value, int) for v in d.values)',
          'print(json.dumps([k.value for k in d.keys]))',
        ].join('\n'),
        response.text,
      ),
    );
    expect(parsed).toEqual(HOSTILE);
    expect(response.text.split('\n').filter((line) => line.startsWith('#')).every((line) => /^[\x20-\x7e]*$/.test(line))).toBe(true);
  });

  it('llama-cpp: only pattern=type tokens (the tensor-type-file grammar)', async () => {
    const response = await http.post('/v1/plans?format=llama-cpp').send(body).expect(200);
    const entries = readTensorTypeFile(response.text);
    expect(entries.map((e) => e.source)).toEqual(HOSTILE.map((_, i) => `^blk\\.${i}\\.attn_q\\.weight$`));
    const hostileAlias = await http.post('/v1/plans?format=llama-cpp').send({ ...body, model: { ...body.model, layers: [{ ...layer('a', 0), aliases: { gguf: 'x .*=f32' } }] } }).expect(422);
    expect(hostileAlias.body.errors[0].message).toMatch(/may hold only lower-case letters, digits/);
  });

  it('llm-compressor, gptq: patterns that select exactly the named layers under Python re.match, and no other YAML or JSON', async () => {
    const recipe = await http.post('/v1/plans?format=llm-compressor').send(body).expect(200);
    // Parsed as llm-compressor parses a recipe (YAML), the targets applied as compressed-tensors does (re.match after "re:").
    const doc = parseYaml(recipe.text) as { quant_stage: { quant_modifiers: { QuantizationModifier: { ignore?: string[]; config_groups: Record<string, { targets: string[] }> } } } };
    expect(Object.keys(doc)).toEqual(['quant_stage']);
    const modifier = doc.quant_stage.quant_modifiers.QuantizationModifier;
    for (const group of Object.values(modifier.config_groups)) expect(Object.keys(group).every((key) => ['targets', 'weights', 'input_activations'].includes(key))).toBe(true);
    const targets = Object.fromEntries(Object.entries(modifier.config_groups).map(([key, group]) => [key, group.targets.map((target) => target.slice(3))]));
    const script = 'import json, re, sys\nq = json.load(sys.stdin)\nprint(json.dumps({k: [n for n in q["names"] if any(re.match(t, n) for t in ts)] for k, ts in q["targets"].items()}))';
    const matched = JSON.parse(python(script, JSON.stringify({ targets, names: HOSTILE }))) as Record<string, string[]>;
    expect(Object.values(matched).flat().sort()).toEqual([...HOSTILE].sort());
    expect(recipe.text.split('\n').filter((line) => line.startsWith('#')).every((line) => /^[\x20-\x7e]*$/.test(line))).toBe(true);
    const gptq = await http.post('/v1/plans?format=gptq').send({ ...body, candidates: ['int4', 'int8'] }).expect(200);
    const config = JSON.parse(gptq.text) as { bits: number; dynamic?: Record<string, { bits?: number }> };
    const overridden = JSON.parse(python('import json, re, sys\nq = json.load(sys.stdin)\nprint(json.dumps([n for n in q["names"] if any(re.match(p[2:], n) for p in q["dynamic"])]))', JSON.stringify({ dynamic: config.dynamic ?? {}, names: HOSTILE }))) as string[];
    const planned = (await http.post('/v1/plans').send({ ...body, candidates: ['int4', 'int8'] }).expect(200)).body as { layers: { name: string; candidate: string }[] };
    expect(overridden.sort()).toEqual(planned.layers.filter((l) => l.candidate !== `int${config.bits}`).map((l) => l.name).sort());
  });

  it('modelopt: JSON whose keys are the names', async () => {
    const response = await http.post('/v1/plans?format=modelopt').send({ ...body, candidates: ['int8/int8', 'bf16/bf16'] }).expect(200);
    const config = JSON.parse(response.text);
    expect([...Object.keys(config.quantization.quantized_layers), ...(config.quantization.exclude_modules ?? [])].sort()).toEqual([...HOSTILE].sort());
  });

  it('csv: RFC 4180 records whose first field is the name, formulas neutralised (python csv)', async () => {
    const response = await http.post('/v1/plans?format=csv').send(body).expect(200);
    const rows = JSON.parse(python('import csv, json, sys; print(json.dumps(list(csv.reader(sys.stdin))))', response.text)) as string[][];
    expect(rows).toHaveLength(HOSTILE.length + 1);
    expect(rows.every((row) => row.length === rows[0]!.length)).toBe(true);
    expect(rows.slice(1).map((row) => row[0])).toEqual(HOSTILE.map((name) => (/^[=+\-@]/.test(name) ? `'${name}` : name)));
  });

  it('frontier csv and svg: names stay data (python csv, XML parser)', async () => {
    const frontierBody = { model: body.model, candidates: body.candidates, axis: 'sizeBytes', points: 4 };
    const csv = await http.post('/v1/frontiers?format=csv').send(frontierBody).expect(200);
    const layersLine = csv.text.split('\n').find((line) => line.startsWith('# layers: '))!;
    const names = JSON.parse(python('import csv, json, sys; print(json.dumps(next(csv.reader(sys.stdin))))', layersLine.slice('# layers: '.length)));
    expect(names).toEqual(HOSTILE.map((name) => (/^[=+\-@]/.test(name) ? `'${name}` : name)));
    const svg = await http.post('/v1/frontiers?format=svg').buffer(true).parse((res, done) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      res.on('end', () => done(null, text));
    }).send(frontierBody).expect(200);
    const title = new XMLParser().parse(svg.body as string).svg.title;
    expect(title).toContain(body.model.name);
  });
});
