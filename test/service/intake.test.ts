import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PlanRequest } from '../../src/contract/request.js';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { ServiceError } from '../../src/service/errors.js';
import { readPlanRequest } from '../../src/service/intake.js';
import { parseBounded } from '../../src/service/validation/boundedParse.js';
import { ISSUES_COUNTED_MAX, ISSUES_LISTED_MAX } from '../../src/service/validation/issueSink.js';
import { JsonScan, parseJsonBytes, scanJson } from '../../src/service/validation/jsonBytes.js';
import { mulberry32 } from '../../src/core/random.js';
import { jsonBodyLimits, modelBulkFields } from '../../src/service/validation/limits.js';
import { arbitraryPlanInput } from '../support/randomModels.js';

const limits = { ...DEFAULT_CONFIG, MAX_LAYERS: 1000 };
const bytes = (text: string) => new TextEncoder().encode(text);
const thrown = (run: () => unknown): ServiceError => {
  try {
    run();
  } catch (error) {
    if (error instanceof ServiceError) return error;
    throw error;
  }
  throw new Error('expected a ServiceError');
};

describe('parseBounded', () => {
  it('answers exactly what the schema answers for valid requests (layers and groups parsed element by element)', () => {
    fc.assert(
      fc.property(arbitraryPlanInput(12), (input) => {
        const body = { model: input.model, budgets: input.budgets, solver: { timeLimitMs: 500 } };
        expect(parseBounded(PlanRequest, modelBulkFields(limits), structuredClone(body))).toEqual(PlanRequest.parse(structuredClone(body)));
      }),
      { seed: 7, numRuns: 60 },
    );
  });

  it('finds the same first invalid fields as the schema, and stops counting at the cap', () => {
    const layers = Array.from({ length: 5000 }, (_, i) => (i === 3 ? { name: 'ok', params: 1, macs: 1 } : {}));
    const error = thrown(() => parseBounded(PlanRequest, modelBulkFields({ ...limits, MAX_LAYERS: 10_000 }), { model: { name: 'm', layers } }));
    expect(error.code).toBe('BITPLAN_ERR_INVALID_REQUEST');
    expect(error.issuesTotal).toBe(ISSUES_COUNTED_MAX);
    // Each missing field once, at its first layer, with how many more layers miss it.
    expect(error.issues.map((i) => i.path)).toEqual(['model.layers[0].name', 'model.layers[0].params']);
    expect(error.issues[0]!.message).toMatch(/\(the same at 499 more: model\.layers\[1\]\.name, model\.layers\[2\]\.name, model\.layers\[4\]\.name, \.\.\.\)$/);
    expect(error.issues.length).toBeLessThanOrEqual(ISSUES_LISTED_MAX);
  });

  it('reports the fields outside the bulk arrays once the layers are valid', () => {
    const error = thrown(() =>
      parseBounded(PlanRequest, modelBulkFields(limits), { model: { name: 'm', layers: [{ name: 'a', params: 1, macs: 1 }, { name: 'b', params: 1, macs: 1 }] }, budgets: [{ metric: 'size' }] }),
    );
    expect(error.issues.map((i) => i.path)).toEqual(['budgets[0].metric']);
  });

  it('is a 413 at once for more layers than MAX_LAYERS, before any layer is looked at', () => {
    const error = thrown(() => parseBounded(PlanRequest, modelBulkFields(limits), { model: { name: 'm', layers: Array.from({ length: 1001 }, () => 0) } }));
    expect(error.code).toBe('BITPLAN_ERR_PAYLOAD_TOO_LARGE');
    expect(error.message).toBe('model.layers has 1001 entries; this service takes at most MAX_LAYERS=1000');
  });

  it('caps every other array, object, string and key, and refuses __proto__', () => {
    const layer = (extra: object) => ({ model: { name: 'm', layers: [{ name: 'a', params: 1, macs: 1, ...extra }] } });
    const cases: [object, string, RegExp][] = [
      [layer({ candidates: Array.from({ length: 5000 }, () => 'int4/int4') }), 'model.layers[0].candidates', /5000 entries; at most 4096/],
      [layer({ latencyMs: Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`c${i}`, 1])) }), 'model.layers[0].latencyMs', /5000 keys; at most 4096/],
      [layer({ op: 'x'.repeat(5000) }), 'model.layers[0].op', /5000 characters; at most 4096/],
      [layer({ latencyMs: { ['k'.repeat(300)]: 1 } }), 'model.layers[0].latencyMs', /has 300 characters; at most 256/],
      [JSON.parse('{"__proto__": {"polluted": true}, "seed": "x"}'), '(body)', /"__proto__" is not allowed/],
    ];
    for (const [body, path, message] of cases) {
      const error = thrown(() => parseBounded(PlanRequest, modelBulkFields(limits), body));
      expect(error.issues[0]).toMatchObject({ path });
      expect(error.issues[0]!.message).toMatch(message);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // The same among valid layers, which the fast check keeps from both walks.
    for (const [body, path, message] of cases.slice(0, 4) as [{ model: { layers: object[] } }, string, RegExp][]) {
      const valid = (name: string) => ({ name, params: 1, macs: 1, candidates: ['int4/int4'], sensitivity: { lossDelta: { 'int4/int4': 0.1 } } });
      const many = { model: { name: 'm', layers: [valid('x'), ...body.model.layers, valid('y')] } };
      const error = thrown(() => parseBounded(PlanRequest, modelBulkFields(limits), many));
      expect(error.issues[0]).toMatchObject({ path: path.replace('layers[0]', 'layers[1]') });
      expect(error.issues[0]!.message).toMatch(message);
    }
  });
});

describe('scanJson and parseJsonBytes', () => {
  const bodyLimits = jsonBodyLimits(limits);

  it('refuses before parsing: too long an array (naming its key), too many containers or values, too deep', () => {
    expect(thrown(() => scanJson(bytes(`{"model":{"layers":[${'{},'.repeat(1000)}{}]}}`), bodyLimits)).message).toBe('"layers" has 1001 entries; this service takes at most MAX_LAYERS=1000');
    expect(thrown(() => scanJson(bytes(`[${'[],'.repeat(1000)}[]]`), bodyLimits)).message).toMatch(/^an array has 1001 entries/);
    const many = `{"a":[${Array.from({ length: 200 }, () => `[${'1,'.repeat(999)}1]`).join(',')}]}`;
    expect(thrown(() => scanJson(bytes(many), { ...bodyLimits, maxValues: 100_000 })).message).toMatch(/more than 100000 values/);
    const containers = `[${Array.from({ length: 100 }, () => `[${'{},'.repeat(999)}{}]`).join(',')}]`;
    expect(thrown(() => scanJson(bytes(containers), { ...bodyLimits, maxContainers: 50_000 })).message).toMatch(/more than 50000 objects and arrays/);
    expect(thrown(() => scanJson(bytes(`${'['.repeat(40)}${']'.repeat(40)}`), bodyLimits)).issues[0]).toMatchObject({ path: '(body)', message: expect.stringMatching(/nests deeper than 32 levels/) });
  });

  it('counts an array empty only when nothing but whitespace is inside', () => {
    const none = { ...bodyLimits, maxArrayLength: 0 };
    expect(() => scanJson(bytes('{"layers": [ \n ], "b": {}}'), none)).not.toThrow();
    for (const element of ['"x"', '{}', '[]', '0', 'null', '"[]"']) {
      expect(thrown(() => scanJson(bytes(`{"layers": [ ${element} ]}`), none)).message).toBe('"layers" has 1 entries; this service takes at most MAX_LAYERS=0');
    }
  });

  it('scans a body that arrives in pieces as it scans it whole, wherever the pieces split it', () => {
    const next = mulberry32(17);
    const bodies = [
      '{"model":{"name":"a\\"b\\\\","layers":[{"name":"x\\\\\\"y","params":12,"lossDelta":{"int4/int4":1.5e-3}},{}],"e":[ ]},"x":[1,[2,[3]],"s\\u0041"]}',
      '{"\\u005f_proto__":{"a":[1,2,3]}}',
      '{"constructor":{"prototype":1},"b":"}]\\"[{"}',
      `{"layers":[${'{"a":"\\\\"},'.repeat(40)}{}]}`,
      `[${'[],'.repeat(30)}[]]`,
      `{"deep":${'['.repeat(40)}${']'.repeat(40)}}`,
    ];
    const small = { ...bodyLimits, maxArrayLength: 30, maxValues: 60 };
    const outcome = (run: () => unknown) => {
      try {
        return run();
      } catch (error) {
        return (error as Error).message;
      }
    };
    for (const text of bodies) {
      const whole = bytes(text);
      const expected = outcome(() => scanJson(whole, small));
      for (let trial = 0; trial < 50; trial++) {
        const scan = new JsonScan(small);
        const pieces = outcome(() => {
          for (let end = 0; end < whole.length; ) {
            end = Math.min(whole.length, end + 1 + Math.floor(next() * 6));
            scan.feed(whole, end);
          }
          return scan.finish();
        });
        expect(pieces, text).toEqual(expected);
      }
    }
  });

  it('counts nothing inside strings', () => {
    const name = `"${'[{,\\"'.repeat(5000)}"`;
    expect(() => scanJson(bytes(`{"model":{"name":${name},"layers":[]}}`), { ...bodyLimits, maxValues: 10, maxContainers: 3 })).not.toThrow();
  });

  it('parses valid JSON and answers 400 for malformed JSON, bad UTF-8 and prototype keys', () => {
    expect(parseJsonBytes(bytes('{"seed":"resnet18-hawq-v3"}'), bodyLimits)).toEqual({ seed: 'resnet18-hawq-v3' });
    expect(thrown(() => parseJsonBytes(bytes('{"seed":'), bodyLimits)).issues[0]!.message).toMatch(/^not valid JSON/);
    expect(thrown(() => parseJsonBytes(Uint8Array.of(0x7b, 0xff, 0x7d), bodyLimits)).issues[0]!.message).toMatch(/not valid UTF-8/);
    expect(thrown(() => parseJsonBytes(bytes('{"constructor":{"prototype":{"x":1}}}'), bodyLimits)).code).toBe('BITPLAN_ERR_INVALID_REQUEST');
    expect(thrown(() => parseJsonBytes(bytes('  '), bodyLimits)).issues[0]!.message).toMatch(/empty/);
  });

  it('refuses prototype keys however they are spelled, and parses every other key', () => {
    for (const body of ['{"a":{"__proto__":{"x":1}}}', '{"\\u005f_proto__":{}}', '{"b":[{"constructor":{"prototype":{}}}]}', '{"constr\\u0075ctor":{"prototype":1}}']) {
      expect(thrown(() => parseJsonBytes(bytes(body), bodyLimits)).code, body).toBe('BITPLAN_ERR_INVALID_REQUEST');
    }
    expect(parseJsonBytes(bytes('{"constructor":1,"__proto_":2,"constructors":{"prototype":3},"x\\u0041":4}'), bodyLimits)).toEqual({ constructor: 1, __proto_: 2, constructors: { prototype: 3 }, xA: 4 });
    expect(parseJsonBytes(bytes('\ufeff{"seed":"a"}'), bodyLimits)).toEqual({ seed: 'a' });
  });

  it('admits the same request from bytes as from a parsed body', () => {
    const body = { seed: 'resnet18-hawq-v3', budgets: [{ metric: 'sizeBytes', fraction: 0.5 }] };
    expect(readPlanRequest({ json: bytes(JSON.stringify(body)) }, limits)).toEqual(readPlanRequest(body, limits));
  });
});
