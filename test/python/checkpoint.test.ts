import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EXIT_PLAN } from '../../src/cli/main.js';
import { llamaTensors, writeGguf, writeSafetensors } from '../support/checkpointFiles.js';
import { cli } from '../support/cli.js';
import { pythonWith, runAsync } from '../support/process.js';

const packageDir = fileURLToPath(new URL('../../clients/python', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'bitplan-describe-py-'));

/** bitplan.describe_checkpoint's descriptor and its warnings (CheckpointNote), from Debian's Python. */
async function fromPython(path: string, weightStats: boolean): Promise<{ model: unknown; notes: string[] }> {
  const script = `
import json, sys, warnings, bitplan
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    model = bitplan.describe_checkpoint(sys.argv[1], weight_stats=sys.argv[2] == "1")
print(json.dumps({"model": model, "notes": [str(w.message) for w in caught]}))
`;
  const run = await runAsync(pythonWith(['numpy']), ['-c', script, path, weightStats ? '1' : '0'], { env: { ...process.env, PYTHONPATH: packageDir } });
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as { model: unknown; notes: string[] };
}

/** The same from the Node CLI. */
async function fromNode(path: string, weightStats: boolean): Promise<{ model: unknown; notes: string[] }> {
  const { code, out, err } = await cli('describe', path, ...(weightStats ? ['--weight-stats'] : []));
  expect(code, err).toBe(EXIT_PLAN);
  return { model: JSON.parse(out), notes: err.split('\n').filter((line) => line.startsWith('note: ')).map((line) => line.slice('note: '.length)) };
}

describe('bitplan.describe_checkpoint (Python) describes a checkpoint as bitplan describe does (issue #29.4)', () => {
  const values = (count: number, seed: number) => Array.from({ length: count }, (_, i) => ((((i * 37 + seed * 11) % 17) - 8) / 8));
  const withValues = (tensors: { name: string; shape: number[] }[]) => tensors.map((tensor, k) => ({ ...tensor, values: values(tensor.shape.reduce((p, n) => p * n, 1), k) }));

  const cases: [string, () => string][] = [
    ['a Llama safetensors file (bf16)', () => {
      const path = join(dir, 'llama');
      mkdirSync(path);
      writeSafetensors(join(path, 'model.safetensors'), withValues(llamaTensors(3, 32, 64, 16, 50)));
      return path;
    }],
    ['a Mixtral with config.json, sharded, f16', () => {
      const path = join(dir, 'mixtral');
      mkdirSync(path);
      const tensors = withValues([
        { name: 'model.embed_tokens.weight', shape: [50, 32] },
        ...[0, 1].flatMap((n) => [
          { name: `model.layers.${n}.self_attn.q_proj.weight`, shape: [32, 32] },
          { name: `model.layers.${n}.block_sparse_moe.gate.weight`, shape: [4, 32] },
          ...[0, 1, 2, 3].map((e) => ({ name: `model.layers.${n}.block_sparse_moe.experts.${e}.w2.weight`, shape: [32, 64] })),
          ...[0, 1, 2, 3].map((e) => ({ name: `model.layers.${n}.block_sparse_moe.experts.${e}.w1.weight`, shape: [64, 32] })),
        ]),
        { name: 'model.norm.weight', shape: [32] },
        { name: 'custom_head.weight', shape: [7, 32] },
      ]);
      writeSafetensors(join(path, 'a.safetensors'), tensors.slice(0, 9), 'F16');
      writeSafetensors(join(path, 'b.safetensors'), tensors.slice(9), 'F16');
      writeFileSync(join(path, 'model.safetensors.index.json'), JSON.stringify({ weight_map: Object.fromEntries(tensors.map((t, i) => [t.name, i < 9 ? 'a.safetensors' : 'b.safetensors'])) }));
      writeFileSync(join(path, 'config.json'), JSON.stringify({ num_local_experts: 4, num_experts_per_tok: 2 }));
      return join(path, 'model.safetensors.index.json');
    }],
    ['a GGUF file with a vocabulary array and stacked experts (f32)', () => {
      const path = join(dir, 'moe.gguf');
      writeGguf(path, { 'general.architecture': 'qwen2moe', 'general.name': 'tiny qwen moe', 'tokenizer.ggml.tokens': ['<s>', 'a', 'b'], 'qwen2moe.expert_count': 4, 'qwen2moe.expert_used_count': 2 }, withValues([
        { name: 'token_embd.weight', shape: [32, 50] },
        { name: 'blk.0.attn_norm.weight', shape: [32] },
        { name: 'blk.0.attn_v.weight', shape: [32, 16] },
        { name: 'blk.0.attn_q.weight', shape: [32, 32] },
        { name: 'blk.0.ffn_up_exps.weight', shape: [32, 64, 4] },
        { name: 'blk.0.ffn_gate_inp.weight', shape: [32, 4] },
        { name: 'output.weight', shape: [32, 50] },
      ]), 'F32');
      return path;
    }],
  ];

  it.each(cases)('%s: the same descriptor, notes and weightStats', async (_, write) => {
    const path = write();
    for (const weightStats of [false, true]) {
      const [python, node] = await Promise.all([fromPython(path, weightStats), fromNode(path, weightStats)]);
      if (!weightStats) {
        expect(python).toEqual(node);
        continue;
      }
      // Statistics summed in another order (float64 in numpy, in JavaScript): equal to rounding.
      const strip = (model: unknown) => JSON.parse(JSON.stringify(model), (key, value) => (key === 'rms' ? Number(value.toPrecision(12)) : value));
      expect(strip(python.model)).toEqual(strip(node.model));
      expect(python.notes).toEqual(node.notes);
      expect((node.model as { layers: { sensitivity?: unknown }[] }).layers.every((layer) => layer.sensitivity)).toBe(true);
    }
  }, 120_000);
});
