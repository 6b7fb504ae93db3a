import { describe, expect, it } from 'vitest';
import { estimatedWork, HEAVY_WORK, isHeavy } from '../../src/service/resolve.js';
import { loadSeedStore } from '../../src/service/seedStore.js';

const seeds = loadSeedStore();

describe('heavy requests are judged by estimated work, not layer count', () => {
  it('keeps small plans and frontiers light', () => {
    expect(isHeavy({ seed: 'resnet18-hawq-v3' }, seeds)).toBe(false);
    expect(isHeavy({ seed: 'resnet18-hawq-v3', axis: 'sizeBytes', points: 50 }, seeds)).toBe(false);
    expect(isHeavy({ seed: 'llama-2-70b' }, seeds)).toBe(false);
  });

  it('calls heavy what holds a thread long: all-points frontiers of large models, many frontier points, the k best, huge models', () => {
    expect(isHeavy({ seed: 'llama-2-70b', axis: 'sizeBytes', all: true }, seeds)).toBe(true);
    expect(isHeavy({ seed: 'llama-2-7b', axis: 'sizeBytes', points: 200 }, seeds)).toBe(true);
    expect(isHeavy({ seed: 'llama-2-7b', alternatives: 20 }, seeds)).toBe(true);
    expect(isHeavy({ seed: 'deepseek-v3' }, seeds)).toBe(true);
    expect(estimatedWork({ seed: 'resnet18-hawq-v3', candidates: ['int4/int4', 'int8/int8'] }, seeds)).toBe(21 * 2);
    const layers = Array.from({ length: 100 }, (_, i) => ({ name: `l${i}`, params: 1 }));
    const interactions = Array.from({ length: 300 }, (_, i) => ({ layers: [`l${i % 100}`, `l${(i + 1) % 100}`] as [string, string], delta: {} }));
    expect(estimatedWork({ model: { name: 'm', layers, interactions } }, seeds)).toBe(100 * 4 + 36 * 300);
    expect(estimatedWork({ model: { name: 'm', layers, interactions } }, seeds)).toBeGreaterThan(HEAVY_WORK);
  });
});
