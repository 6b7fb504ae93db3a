import { describe, expect, it } from 'vitest';
import { Layer } from '../../src/contract/model.js';
import { mulberry32 } from '../../src/core/random.js';
import { isPlainValidLayer } from '../../src/service/validation/plainLayer.js';
import { deepseekV3Shaped } from '../support/instances.js';

/** Values a field may be given: valid ones for some fields, invalid ones for others. */
const NAMES = ['a', 'int4/int4', 'blk.0.attn_q', 'ü-layer', 'x'.repeat(256)];
const BAD_NAMES = ['', 'x'.repeat(257), 'a\nb', 'tab\there', 'bidi\u202e', 'zero\u200bwidth', '\ud800', 'del\u007f', 7, null, true, ['a'], {}];
const NUMBERS = [0, -0, 1, 0.5, 1e15, 1e18, -1, -0.25, 1e19, 1.5e15, 2 ** 53, 2 ** 53 + 2, Infinity, -Infinity, NaN, '3', null, true, [], {}];

function pick<T>(next: () => number, values: readonly T[]): T {
  return values[Math.floor(next() * values.length)]!;
}

function name(next: () => number): unknown {
  return next() < 0.85 ? pick(next, NAMES) : pick(next, BAD_NAMES);
}

function value(next: () => number): unknown {
  const choice = next();
  if (choice < 0.45) return pick(next, NUMBERS);
  if (choice < 0.55) return name(next);
  if (choice < 0.7) return nameList(next);
  if (choice < 0.85) return record(next);
  return next() < 0.5 ? Math.floor(next() * 5000) : next() * 10;
}

function nameList(next: () => number): unknown {
  if (next() < 0.1) return pick(next, ['a', 3, null, {}]);
  return Array.from({ length: Math.floor(next() * 4) }, () => name(next));
}

function record(next: () => number): unknown {
  if (next() < 0.1) return pick(next, [[], 'a', 3, null]);
  return Object.fromEntries(Array.from({ length: Math.floor(next() * 4) }, () => [String(next() < 0.9 ? pick(next, NAMES) : pick(next, ['', 'a\tb', '\u200b'])), next() < 0.8 ? Math.abs(pick(next, NUMBERS) as number) || next() : pick(next, NUMBERS)]));
}

const LAYER_FIELDS = ['name', 'op', 'params', 'macs', 'activationElements', 'dotProductLength', 'inFeatures', 'macUnits', 'inputs', 'candidates', 'pin', 'latencyMs', 'sensitivity', 'aliases', 'extra'];
const SENSITIVITY_FIELDS = ['hessianTrace', 'hessianTraceSum', 'hessianTraceStdErr', 'hessianEigenvalue', 'activationTrace', 'lossDelta', 'lossDeltaStdErr', 'perturbation', 'activationPerturbation', 'weightStats', 'other'];

/** A layer mostly right: each field present or not, mostly of its kind, sometimes anything. */
function randomLayer(next: () => number): unknown {
  const layer: Record<string, unknown> = {};
  for (const field of LAYER_FIELDS) {
    const skip = field === 'name' || field === 'params' ? 0.05 : field === 'aliases' || field === 'extra' ? 0.97 : 0.5;
    if (next() < skip) continue;
    const wild = next() < 0.15;
    if (wild) layer[field] = value(next);
    else if (field === 'name' || field === 'op' || field === 'pin') layer[field] = name(next);
    else if (field === 'params' || field === 'dotProductLength' || field === 'inFeatures' || field === 'macUnits') layer[field] = next() < 0.8 ? 1 + Math.floor(next() * 1e6) : pick(next, NUMBERS);
    else if (field === 'inputs' || field === 'candidates') layer[field] = nameList(next);
    else if (field === 'latencyMs') layer[field] = record(next);
    else if (field === 'sensitivity') layer[field] = randomSensitivity(next);
    else if (field === 'aliases') layer[field] = { hawq: 'a' };
    else layer[field] = next() < 0.7 ? next() * 1e9 : pick(next, NUMBERS);
  }
  return layer;
}

function randomSensitivity(next: () => number): unknown {
  if (next() < 0.05) return pick(next, [null, [], 'a']);
  const sensitivity: Record<string, unknown> = {};
  for (const field of SENSITIVITY_FIELDS) {
    if (next() < (field === 'weightStats' || field === 'other' ? 0.95 : 0.6)) continue;
    if (field === 'weightStats') sensitivity[field] = { absMax: next() < 0.5 ? 1 : -1, rms: 0.1 };
    else if (next() < 0.15) sensitivity[field] = value(next);
    else if (['lossDelta', 'lossDeltaStdErr', 'perturbation', 'activationPerturbation'].includes(field)) sensitivity[field] = record(next);
    else sensitivity[field] = next() < 0.7 ? next() - 0.2 : pick(next, NUMBERS);
  }
  return sensitivity;
}

describe('isPlainValidLayer', () => {
  it('accepts exactly what the Layer schema accepts unchanged, refusing only weight statistics and aliases besides', () => {
    const next = mulberry32(2026);
    let accepted = 0;
    let refused = 0;
    for (let i = 0; i < 30_000; i++) {
      const layer = JSON.parse(JSON.stringify(randomLayer(next))) as Record<string, unknown>;
      const schema = Layer.safeParse(layer);
      const fast = isPlainValidLayer(layer);
      const zodOnly = 'aliases' in layer || (typeof layer.sensitivity === 'object' && layer.sensitivity !== null && 'weightStats' in layer.sensitivity);
      if (fast) expect(schema.data, JSON.stringify(layer)).toEqual(layer);
      else if (!zodOnly) expect(schema.success, JSON.stringify(layer)).toBe(false);
      if (fast) accepted++;
      else refused++;
    }
    // Both sides exercised: a generator that made only valid or only invalid layers proves little.
    expect(accepted).toBeGreaterThan(1000);
    expect(refused).toBeGreaterThan(1000);
  });

  it('refuses what JSON cannot carry (objects with other prototypes, undefined fields, holes) and what exceeds the structure caps', () => {
    const layer = { name: 'a', params: 1 };
    expect(isPlainValidLayer(layer)).toBe(true);
    expect(isPlainValidLayer(Object.assign(Object.create(null), layer))).toBe(false);
    expect(isPlainValidLayer({ ...layer, op: undefined })).toBe(false);
    expect(isPlainValidLayer({ ...layer, candidates: [, 'a'] })).toBe(false);
    expect(isPlainValidLayer({ name: 'a' })).toBe(false);
    // Valid for the schema, but beyond the structure caps: the structure walk reports those.
    expect(isPlainValidLayer({ ...layer, candidates: Array.from({ length: 4097 }, () => 'a') })).toBe(false);
    expect(isPlainValidLayer({ ...layer, latencyMs: Object.fromEntries(Array.from({ length: 4097 }, (_, i) => [`c${i}`, 1])) })).toBe(false);
    expect(isPlainValidLayer({ ...layer, candidates: Array.from({ length: 4096 }, () => 'a') })).toBe(true);
    expect(isPlainValidLayer({ params: 1 })).toBe(false);
  });

  it('confirms the layers of the DeepSeek-V3-shaped benchmark model', () => {
    expect(deepseekV3Shaped().layers.every(isPlainValidLayer)).toBe(true);
  });
});
