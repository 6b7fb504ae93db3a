import { describe, expect, it } from 'vitest';
import { BUILT_IN_FORMATS, effectiveBits, findFormat, parseCandidate } from '../../../src/core/index.js';
import { minifloatLargestFinite } from '../../../src/core/formats/registry.js';

describe('format registry', () => {
  it.each([
    ['int4', 4],
    ['int8', 8],
    ['int4-g128', 4.125],
    ['mxfp4', 4.25],
    ['mxfp6', 6.25],
    ['mxfp8', 8.25],
    ['nvfp4', 4.5],
    ['fp16', 16],
    ['fp8-e4m3', 8],
  ])('%s costs %d bits per element, scales included', (id, bits) => {
    expect(effectiveBits(findFormat(id)!)).toBe(bits);
  });

  it.each([
    ['fp8-e4m3', 448],
    ['fp8-e5m2', 57344],
    ['fp6-e3m2', 28],
    ['fp6-e2m3', 7.5],
    ['fp4-e2m1', 6],
    ['fp16', 65504],
    ['int8', 127],
    ['int4', 7],
  ])('%s has largest finite value %d', (id, value) => {
    expect(findFormat(id)!.largestFinite).toBe(value);
  });

  it('derives custom minifloats eXmY with the OCP MX convention', () => {
    expect(minifloatLargestFinite(2, 1)).toBe(6);
    expect(minifloatLargestFinite(3, 2)).toBe(28);
    const e3m4 = findFormat('e3m4')!;
    expect(e3m4).toMatchObject({ kind: 'float', elementBits: 8, exponentBits: 3, mantissaBits: 4 });
    expect(e3m4.largestFinite).toBe(16 * (2 - 1 / 16));
    expect(findFormat('e9m2')).toBeUndefined();
    expect(findFormat('int9')).toBeUndefined();
  });

  it('has unique ids', () => {
    const ids = BUILT_IN_FORMATS.map((f) => f.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('candidates', () => {
  it.each([
    ['int4/int8', 'int4/int8'],
    ['w4a8', 'int4/int8'],
    ['W8A8', 'int8/int8'],
    ['w4a16', 'int4/fp16'],
    ['nvfp4/fp8-e4m3', 'nvfp4/fp8-e4m3'],
  ])('%s is %s', (text, id) => {
    expect(parseCandidate(text)?.id).toBe(id);
  });

  it.each(['int4/int8/int8', 'int9/int8', 'w9a8', '/int8', '', 'int9'])('%s is not a candidate', (text) => {
    expect(parseCandidate(text)).toBeUndefined();
  });

  it('reads a bare weight format as weight-only: activations in the model\'s precision (fp16 by default)', () => {
    const int4 = parseCandidate('int4')!;
    expect(int4).toMatchObject({ id: 'int4', weightOnly: true });
    expect(int4.weight.id).toBe('int4');
    expect(int4.activation.id).toBe('fp16');
    expect(parseCandidate('int4-g128', 'bf16')!.activation.id).toBe('bf16');
    expect(parseCandidate('nvfp4')!.weight.id).toBe('nvfp4');
    expect(parseCandidate('int4/int8')!.weightOnly).toBe(false);
  });
});
