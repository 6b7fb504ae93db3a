import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProblemDetails } from '../../src/contract/catalog.js';
import { startApp } from '../support/app.js';

const sensitivity = { hessianTrace: 0.05, perturbation: { int4: 5, int8: 0.02 } };
const layer = (name: string, extra: Record<string, unknown> = {}) => ({ name, params: 1000, macs: 50000, sensitivity, ...extra });
const model = (layers: unknown[], extra: Record<string, unknown> = {}) => ({ model: { name: 'm', layers, ...extra }, candidates: ['int4/int4', 'int8/int8'] });

describe('bad input gets problem+json', () => {
  let app: FastifyInstance;
  let http: Awaited<ReturnType<typeof startApp>>['http'];
  beforeAll(async () => ({ app, http } = await startApp()));
  afterAll(() => app.close());

  async function problem(body: unknown, status: number) {
    const response = await http.post('/v1/plans').send(body as object).expect(status);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    return ProblemDetails.parse(response.body);
  }
  const paths = (p: ProblemDetails) => (p.errors ?? []).map((e) => e.path);

  it.each([
    ['an unknown layer in a group', model([layer('a'), layer('b')], { groups: [['a', 'nope']] }), 'model.groups[0][1]', /unknown layer "nope"/],
    ['a pin outside the layer candidates', model([layer('a', { candidates: ['int4/int4'], pin: 'int8/int8' })]), 'model.layers[0].pin', /not one of the layer's candidates/],
    ['a negative number', model([layer('a', { params: -5 })]), 'model.layers[0].params', /expected number to be >=0/],
    ['duplicate layer names', model([layer('a'), layer('a')]), 'model.layers[1].name', /duplicate layer name "a"/],
    ['a missing sensitivity on an unpinned layer', model([{ name: 'a', params: 10, macs: 10 }]), 'model.layers[0].sensitivity', /has no sensitivity/],
    ['an unknown candidate format', model([layer('a', { candidates: ['int4/int4', 'int9/int8'] })]), 'model.layers[0].candidates[1]', /unknown candidate "int9\/int8"/],
    ['an unknown request candidate', { ...model([layer('a')]), candidates: ['fp5/int8'] }, 'candidates[0]', /unknown candidate/],
    ['an unknown candidate among measured loss changes', model([layer('b'), layer('a', { sensitivity: { lossDelta: { 'int4/int4': 0.1, int9: 0.2 } } })]), 'model.layers[1].sensitivity.lossDelta["int9"]', /unknown candidate "int9"/],
    ['a candidate measured twice under two names', model([layer('a', { sensitivity: { lossDelta: { 'int4/int4': 0.1, w4a4: 0.2 } } })]), 'model.layers[0].sensitivity.lossDelta["w4a4"]', /names candidate int4\/int4 a second time/],
    ['an unknown candidate in a latency table', model([layer('a', { latencyMs: { 'int4/int4': 1, 'int4/int9': 2 } })]), 'model.layers[0].latencyMs["int4/int9"]', /unknown candidate "int4\/int9"/],
    ['an unknown perturbation format', model([layer('a', { sensitivity: { hessianTrace: 1, perturbation: { int44: 1 } } })]), 'model.layers[0].sensitivity.perturbation["int44"]', /unknown format/],
    ['a budget with both max and fraction', { ...model([layer('a')]), budgets: [{ metric: 'bops', max: 1, fraction: 0.5 }] }, 'budgets[0]', /exactly one of max/],
    ['a fraction above 1', { ...model([layer('a')]), budgets: [{ metric: 'bops', fraction: 1.5 }] }, 'budgets[0].fraction', /relative, from 0 .*for an absolute limit of 1\.5 give max instead: \{"metric": "bops", "max": 1\.5\} \(CLI: --budget bops<=1\.5\)/],
    ['an unknown metric', { ...model([layer('a')]), budgets: [{ metric: 'watts', max: 1 }] }, 'budgets[0].metric', /Invalid option/],
    ['both model and seed', { ...model([layer('a')]), seed: 'resnet18-hawq-v3' }, '(body)', /exactly one of model/],
    ['neither model nor seed', { budgets: [] }, '(body)', /exactly one of model/],
    ['an unknown field', { ...model([layer('a')]), budget: [] }, 'budget', /unknown field "budget"/],
    ['a latency budget without latency tables', { ...model([layer('a')]), budgets: [{ metric: 'latencyMs', max: 1 }] }, 'budgets[0].metric', /latencyMs is estimated from a hardware profile \(or read from the layers' latencyMs tables, which this model lacks\), and this request names no hardware: pass "hardware"/],
    ['tied layers without a common candidate', model([layer('a', { candidates: ['int4/int4'] }), layer('b', { candidates: ['int8/int8'] })], { groups: [['a', 'b']] }), 'model.groups[0]', /no candidate in common/],
    ['minimizing a cost without maxSensitivity', { ...model([layer('a')]), objective: { minimize: 'bops' } }, 'objective.maxSensitivity', /needs maxSensitivity/],
  ])('400 for %s, naming the field', async (_what, body, path, message) => {
    const p = await problem(body, 400);
    expect(p.type).toBe('/problems/invalid-request');
    const error = p.errors!.find((e) => e.path === path);
    expect(error, `paths were ${paths(p).join(', ')}`).toBeDefined();
    expect(error!.message).toMatch(message);
  });

  it('reports a repeated candidate list at every layer that gives it, and canonicalizes it on each', async () => {
    const repeated = ['int4/int4', 'int9/int8'];
    const p = await problem(model([layer('a', { candidates: [...repeated] }), layer('b', { candidates: [...repeated] }), layer('c', { candidates: [...repeated] })]), 400);
    expect(paths(p)).toEqual(['model.layers[0].candidates[1]', 'model.layers[1].candidates[1]', 'model.layers[2].candidates[1]']);
    // Aliases of the same candidates on every layer: each layer plans with the canonical ids.
    const aliases = ['w4a4', 'W8A8'];
    const response = await http
      .post('/v1/plans')
      .send({ ...model([layer('a', { candidates: [...aliases] }), layer('b', { candidates: [...aliases] })]), budgets: [{ metric: 'sizeBytes', fraction: 0.5 }] })
      .expect(200);
    expect(response.body.layers.map((l: { candidate: string }) => l.candidate).sort()).toEqual(['int4/int4', 'int8/int8']);
  });

  it('lists every failing field, not only the first', async () => {
    const p = await problem(model([layer('a', { params: -1, macs: -1 }), layer('b', { name: '' })]), 400);
    expect(paths(p)).toEqual(expect.arrayContaining(['model.layers[0].params', 'model.layers[0].macs', 'model.layers[1].name']));
  });

  it('says the same problem once, with how many fields share it (a seed without candidates)', async () => {
    const p = await problem({ seed: 'mobilenet-v2', budgets: [{ metric: 'sizeBytes', fraction: 0.5 }] }, 400);
    expect(p.errors).toHaveLength(1);
    expect(p.errorsTotal).toBe(53);
    expect(p.errors![0]!.path).toBe('seed(mobilenet-v2).layers[0].candidates');
    expect(p.errors![0]!.message).toMatch(/lists no candidates .* \(the same at 52 more: seed\(mobilenet-v2\)\.layers\[1\]\.candidates, .*, \.\.\.\)$/);
    expect(p.detail).toMatch(/^53 fields are invalid \(1 distinct problem\); first: /);
    // Different problems stay apart.
    const two = await problem({ seed: 'resnet18-hawq-v3', budgets: [{ metric: 'sizeBytes', fraction: 5 }, { metric: 'bops', fraction: -1 }] }, 400);
    expect(paths(two)).toEqual(['budgets[0].fraction', 'budgets[1].fraction']);
  });

  it('suggests the nearest field for an unknown one, says "required" of a missing one, and where JSON breaks', async () => {
    const typo = await problem({ seed: 'resnet18-hawq-v3', budgtes: [{ metric: 'sizeBytes', fraction: 0.5 }] }, 400);
    expect(typo.errors![0]!.message).toMatch(/^unknown field "budgtes"; did you mean "budgets"\? the fields allowed here: model, seed, /);
    // In the bulk layers too (two or more are parsed in chunks).
    const layerTypo = await problem(model([layer('a'), { name: 'b', parms: 3 }]), 400);
    expect(layerTypo.errors!.map((e) => e.path)).toEqual(['model.layers[1].params', 'model.layers[1].parms']);
    expect(layerTypo.errors![0]!.message).toBe('required: expected number');
    expect(layerTypo.errors![1]!.message).toMatch(/^unknown field "parms"; did you mean "params"\? the fields allowed here: name, op, params, /);
    const missing = await problem({ seed: 'resnet18-hawq-v3', budgets: [{ fraction: 0.5 }] }, 400);
    expect(missing.errors![0]).toEqual({ path: 'budgets[0].metric', message: expect.stringMatching(/^required: expected one of "sizeBytes"/) });
    const energy = await problem({ seed: 'resnet18-hawq-v3', budgets: [{ metric: 'energyJ', fraction: 0.5 }] }, 400);
    expect(energy.errors![0]!.message).toMatch(/^energyJ is costed by a hardware profile's energy model, and this request names no hardware: pass "hardware"/);
    const broken = await http.post('/v1/plans').set('content-type', 'application/json').send('{"seed": "resnet18-hawq-v3",\n "budgets": [{"metric": "sizeBytes" "fraction": 0.5}]}').expect(400);
    expect(broken.body.errors[0].message).toMatch(/^not valid JSON: .* \(line 2, column 37\)$/);
  });

  it('400 for a non-finite number (1e999 parses as Infinity)', async () => {
    const raw = '{"model":{"name":"m","layers":[{"name":"a","params":10,"macs":1e999}]},"candidates":["int4/int4"]}';
    const response = await http.post('/v1/plans').set('content-type', 'application/json').send(raw).expect(400);
    expect(paths(ProblemDetails.parse(response.body))).toContain('model.layers[0].macs');
  });

  it('400 for malformed JSON, 415 for a non-JSON body', async () => {
    const bad = await http.post('/v1/plans').set('content-type', 'application/json').send('{"model": ').expect(400);
    expect(bad.body.type).toBe('/problems/invalid-request');
    const text = await http.post('/v1/plans').set('content-type', 'text/plain').send('hello').expect(415);
    expect(text.body.type).toBe('/problems/unsupported-media-type');
    expect(text.body.detail).toBe('Content-Type "text/plain" is not accepted; send Content-Type: application/json');
    // YAML is a 415 too (not a 400 saying it is not valid JSON), with the conversion.
    const yaml = await http.post('/v1/plans').set('content-type', 'application/yaml').send('seed: resnet18-hawq-v3\n').expect(415);
    expect(yaml.body.detail).toMatch(/^Content-Type "application\/yaml" is not accepted \(convert the YAML to JSON first, e\.g\. yq -o json request\.yaml\)/);
  });

  it('404 for an unknown seed, hardware id or route', async () => {
    expect((await problem({ seed: 'resnet9000' }, 404)).detail).toMatch(/resnet18-hawq-v3/);
    expect((await problem({ seed: 'resnet18-hawq-v3', hardware: 'abacus' }, 404)).detail).toMatch(/GET \/v1\/hardware/);
    const missing = await http.get('/v1/hardware/abacus').expect(404);
    expect(missing.body.detail).toMatch(/nvidia-t4/);
    await http.get('/v1/seeds/nope').expect(404);
    const route = await http.get('/v2/nothing').expect(404);
    expect(route.headers['content-type']).toMatch(/problem\+json/);
  });

  it('422 infeasible naming each budget and the least value it could reach', async () => {
    const p = await problem({ seed: 'resnet18-hawq-v3', budgets: [{ metric: 'sizeBytes', max: 1e6 }, { metric: 'bops', fraction: 0.5 }] }, 422);
    expect(p.type).toBe('/problems/infeasible');
    expect(p.budgets).toHaveLength(2);
    const size = p.budgets!.find((b) => b.metric === 'sizeBytes')!;
    expect(size.limit).toBe(1e6);
    // All inner layers at int4 plus the int8 first conv and fc: the least size any plan reaches.
    expect(size.leastReachable).toBeCloseTo((11678912 - 9408 - 512000) / 2 + 9408 + 512000, 0);
    expect(p.detail).toMatch(/sizeBytes limit 1000000 is below the least reachable/);
  });

  it('422 when budgets are each reachable but not together', async () => {
    // a: int4 is small but slow, int8 large but fast; asking for both small and fast is infeasible.
    const body = {
      model: {
        name: 'm',
        layers: [layer('a', { latencyMs: { 'int4/int4': 2, 'int8/int8': 1 } })],
      },
      candidates: ['int4/int4', 'int8/int8'],
      budgets: [{ metric: 'sizeBytes', max: 500 }, { metric: 'latencyMs', max: 1 }],
    };
    const p = await problem(body, 422);
    expect(p.type).toBe('/problems/infeasible');
    expect(p.detail).toMatch(/together/);
  });

  it('400 at model for a whole seed answer sent as model, saying to send its .model (issue #28.3)', async () => {
    const seed = (await http.get('/v1/seeds/resnet18-hawq-v3').expect(200)).body;
    for (const route of ['/v1/plans', '/v1/frontiers']) {
      const answer = await http.post(route).send({ model: seed, ...(route === '/v1/frontiers' ? { axis: 'sizeBytes' } : { budgets: [{ metric: 'sizeBytes', fraction: 0.5 }] }) }).expect(400);
      expect(answer.body.errors).toEqual([{ path: 'model', message: expect.stringMatching(/^this is a seed answer \(GET \/v1\/seeds\/resnet18-hawq-v3\), whose descriptor is its \.model: send that as model .* "seed": "resnet18-hawq-v3"/) }]);
    }
    // Its .model is planned.
    await http.post('/v1/plans').send({ model: seed.model, budgets: [{ metric: 'sizeBytes', fraction: 0.5 }] }).expect(200);
  });

  it('422 budgets-decide-nothing when the candidates leave a relative budget no range (issue #28.4)', async () => {
    // HAWQ-V3's ResNet18 layers allow int4/int4 and int8/int8: asking for int4/int8 leaves each layer int8/int8 alone.
    const refused = await problem({ seed: 'resnet18-hawq-v3', candidates: ['int4/int8', 'int8/int8'], budgets: [{ metric: 'bops', fraction: 0.25 }] }, 422);
    expect(refused.type).toBe('/problems/budgets-decide-nothing');
    expect(refused.detail).toMatch(/^budget bops fraction 0\.25: every allowed assignment has bops \d+ .*holds for any plan; widen the candidates or give an absolute max\. The candidates the model's layers allow were left out .*int4\/int4 \(19 layers\)/);
    expect(paths(refused)).toEqual(['budgets[0].fraction']);
  });

  it('413 for a body over the configured limit', async () => {
    const small = await startApp({ config: { BODY_LIMIT_BYTES: 2048 } });
    try {
      const layers = Array.from({ length: 100 }, (_, i) => layer(`l${i}`));
      const response = await small.http.post('/v1/plans').send(model(layers)).expect(413);
      expect(response.body.type).toBe('/problems/payload-too-large');
    } finally {
      await small.app.close();
    }
  });

  it('admits a 50,000-layer descriptor under the default body limit', async () => {
    const layers = Array.from({ length: 50_000 }, (_, i) =>
      layer(`blk.${Math.floor(i / 7)}.proj${i % 7}`, { pin: 'int8/int8', latencyMs: { 'int4/int4': 0.01, 'int8/int8': 0.02 }, inputs: [`blk.${i}.in`] }),
    );
    const body = model(layers);
    expect(JSON.stringify(body).length).toBeGreaterThan(10_000_000);
    const response = await http.post('/v1/plans').send(body).expect(200);
    expect(response.body.layers).toHaveLength(50_000);
  });

  it('echoes the caller request id in the header and the problem', async () => {
    const response = await http.post('/v1/plans').set('x-request-id', 'ci-job-42').send({ seed: 'nope' }).expect(404);
    expect(response.headers['x-request-id']).toBe('ci-job-42');
    expect(response.body.requestId).toBe('ci-job-42');
  });
});
