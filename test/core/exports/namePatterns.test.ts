import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exactPattern, exactPatterns } from '../../../src/core/exports/namePatterns.js';

/** Which names each pattern matches under Python's re.match, as compressed-tensors and vLLM apply them. */
function pythonMatches(patterns: string[], names: string[]): boolean[][] {
  const script = 'import json, re, sys\nq = json.load(sys.stdin)\nprint(json.dumps([[re.match(p, n) is not None for n in q["names"]] for p in q["patterns"]]))';
  return JSON.parse(execFileSync('python3', ['-c', script], { input: JSON.stringify({ patterns, names }), encoding: 'utf8' })) as boolean[][];
}

const llamaNames = (blocks: number) => {
  const names = ['model.embed_tokens', 'lm_head'];
  for (let i = 0; i < blocks; i++) for (const leaf of ['self_attn.q_proj', 'self_attn.k_proj', 'self_attn.v_proj', 'self_attn.o_proj', 'mlp.gate_proj', 'mlp.up_proj', 'mlp.down_proj']) names.push(`model.layers.${i}.${leaf}`);
  for (let i = 0; i < 2; i++) for (let e = 0; e < 8; e++) for (const w of ['w1', 'w2', 'w3']) names.push(`model.layers.${i}.block_sparse_moe.experts.${e}.${w}`);
  return names;
};

describe('exact name patterns', () => {
  it('match exactly the chosen names among the model\'s under Python re.match, for random subsets', () => {
    const all = llamaNames(12);
    const cases = fc.sample(fc.array(fc.boolean(), { minLength: all.length, maxLength: all.length }), { numRuns: 40, seed: 7 });
    const patterns: string[] = [];
    const chosenSets: Set<string>[] = [];
    for (const picks of cases) {
      const chosen = all.filter((_, i) => picks[i]);
      if (chosen.length === 0) continue;
      patterns.push(exactPattern(chosen, all));
      chosenSets.push(new Set(chosen));
    }
    const matches = pythonMatches(patterns, all);
    matches.forEach((row, p) => expect(all.filter((_, i) => row[i])).toEqual(all.filter((name) => chosenSets[p]!.has(name))));
  });

  it('say a whole family once: every o_proj is one [0-9]+ pattern, a few blocks an alternation', () => {
    const all = llamaNames(32);
    expect(exactPatterns(all.filter((name) => name.endsWith('o_proj')), all)).toEqual(['model\\.layers\\.[0-9]+\\.self_attn\\.o_proj$']);
    const some = all.filter((name) => /layers\.(1|3)\.self_attn\.[qkv]_proj$/.test(name));
    expect(exactPatterns(some, all)).toEqual(['model\\.layers\\.(?:1|3)\\.self_attn\\.(?:q_proj|k_proj|v_proj)$']);
  });

  it('escape what Python reads as syntax, and never widen past a name outside the set', () => {
    const all = ['a+b.1', 'a+b.2', 'a+b.3x', 'layer(1)', 'layer(2)'];
    const chosen = ['a+b.1', 'a+b.2', 'layer(1)'];
    const matches = pythonMatches([exactPattern(chosen, all)], all);
    expect(all.filter((_, i) => matches[0]![i])).toEqual(chosen);
  });
});
