import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { XMLParser } from 'fast-xml-parser';
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
    expect(response.body.errors).toHaveLength(1);
    expect(response.body.errors[0].message).toMatch(/^226 layers \(model\.embed_tokens at int3-g128\/fp16, .*, \.\.\.\): ModelOpt has no such format/);
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
      .expect(400);
    expect(moe.body.errors[0].message).toMatch(/GGUF stores it in tensor blk\.\d+\.ffn_\w+_exps .* tie these layers with groups/);
  });

  it('llama-cpp: refuses a model whose layers have no GGUF tensor names', async () => {
    const response = await http.post('/v1/plans?format=llama-cpp').send({ seed: 'resnet18-hawq-v3' }).expect(400);
    expect(response.body.errors).toHaveLength(1);
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
    const hostileAlias = await http.post('/v1/plans?format=llama-cpp').send({ ...body, model: { ...body.model, layers: [{ ...layer('a', 0), aliases: { gguf: 'x .*=f32' } }] } }).expect(400);
    expect(hostileAlias.body.errors[0].message).toMatch(/may hold only lower-case letters, digits/);
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
