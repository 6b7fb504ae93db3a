import { describe, expect, it } from 'vitest';
import { ARCHITECTURE_SEEDS, architectureSeed } from '../../../src/core/index.js';
import { ModelDescriptor } from '../../../src/contract/model.js';

// Linear-layer MACs per sample (per token for language models), as computed in
// from each model's public config (the seeds' `source`; routers excluded here: they are not layers).
const PUBLISHED_MACS: Record<string, number> = {
  'mobilenet-v2': 300_774_272,
  'bert-base': 84_934_656 + 589_824,
  'llama-2-7b': 6_607_077_376,
  'llama-2-70b': 68_713_185_280,
  'mixtral-8x7b': 12_748_587_008 - 32 * 8 * 4096,
  'deepseek-v3': 36_624_596_992 - 58 * 256 * 7168,
};
const LAYERS: Record<string, number> = {
  'mobilenet-v2': 53,
  'bert-base': 74,
  'llama-2-7b': 226,
  'llama-2-70b': 562,
  'mixtral-8x7b': 898,
  'deepseek-v3': 45_034,
};

describe.each(ARCHITECTURE_SEEDS)('architecture seed $name', (definition) => {
  const built = definition.build();

  it('has the published total parameter count, exactly', () => {
    expect(built.totalParams).toBe(definition.publishedParams);
  });

  it('has the computed MACs and layer count', () => {
    expect(built.totalMacs).toBe(PUBLISHED_MACS[definition.name]);
    expect(built.layers).toHaveLength(LAYERS[definition.name]!);
  });

  it('is a valid descriptor with graph inputs and synthetic sensitivities, marked synthetic', () => {
    const seed = architectureSeed(definition, built);
    expect(ModelDescriptor.safeParse(seed.model).success).toBe(true);
    expect(seed.provenance.synthetic).toBe(true);
    // Row lengths for the targets' shape rules: every weight is outFeatures x inFeatures.
    for (const layer of seed.model.layers) {
      expect(layer.inFeatures, layer.name).toBeGreaterThan(0);
      expect(Number.isInteger(layer.params / layer.inFeatures!), layer.name).toBe(true);
    }
    expect(seed.provenance.notes).toMatch(/hessianTrace = k x 10\^\(-4 \+ 3 u1\)/);
    expect(new Set(seed.model.layers.map((l) => l.name)).size).toBe(seed.model.layers.length);
    for (const layer of seed.model.layers) {
      expect(layer.inputs?.length).toBeGreaterThan(0);
      expect(layer.sensitivity?.hessianTrace).toBeGreaterThan(0);
      expect(layer.sensitivity?.weightStats?.absMax).toBeGreaterThan(layer.sensitivity!.weightStats!.rms);
    }
  });
});
