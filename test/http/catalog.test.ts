import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FormatList, Health, Seed, SeedList } from '../../src/contract/catalog.js';
import { HardwareList, HardwareProfile } from '../../src/contract/hardware.js';
import { Plan } from '../../src/contract/plan.js';
import { ModelDescriptor } from '../../src/contract/model.js';
import { startApp } from '../support/app.js';

describe('catalog and service routes', () => {
  let app: FastifyInstance;
  let http: Awaited<ReturnType<typeof startApp>>['http'];
  beforeAll(async () => ({ app, http } = await startApp()));
  afterAll(() => app.close());

  it('GET /healthz', async () => {
    expect(Health.parse((await http.get('/healthz').expect(200)).body).status).toBe('ok');
  });

  it('GET /v1/formats lists formats with their effective bits', async () => {
    const { formats } = FormatList.parse((await http.get('/v1/formats').expect(200)).body);
    const byId = Object.fromEntries(formats.map((f) => [f.id, f]));
    expect(byId['nvfp4']).toMatchObject({ elementBits: 4, blockSize: 16, scaleFormat: 'ue4m3', effectiveBits: 4.5 });
    expect(byId['int4-g128']).toMatchObject({ effectiveBits: 4.125, kind: 'integer' });
    expect(Object.keys(byId)).toEqual(expect.arrayContaining(['int2', 'int8', 'fp16', 'bf16', 'fp8-e4m3', 'fp8-e5m2', 'mxfp4', 'mxfp6', 'mxfp8']));
  });

  it('cites public sources a user can follow: every format and seed a URL, nothing a path outside the repository', async () => {
    const formats = FormatList.parse((await http.get('/v1/formats').expect(200)).body);
    for (const format of formats.formats) expect(format.source, format.id).toMatch(/https:\/\//);
    const seeds = SeedList.parse((await http.get('/v1/seeds').expect(200)).body);
    for (const seed of seeds.seeds) expect(seed.provenance.source, seed.name).toMatch(/https:\/\//);
    const hardware = HardwareList.parse((await http.get('/v1/hardware').expect(200)).body);
    const everything = JSON.stringify([formats, seeds, hardware]);
    expect(everything).not.toMatch(/shared\/reference/);
    for (const profile of hardware.hardware) expect(Object.values(profile.sources ?? {}).join(' '), profile.id).toMatch(/https:\/\//);
  });

  it('GET /v1/hardware and /v1/hardware/nvidia-t4 with sources', async () => {
    const { hardware } = HardwareList.parse((await http.get('/v1/hardware').expect(200)).body);
    expect(hardware.map((h) => h.id)).toContain('nvidia-t4');
    const t4 = HardwareProfile.parse((await http.get('/v1/hardware/nvidia-t4').expect(200)).body);
    expect(t4).toMatchObject({ memoryBandwidthGBps: 320, peakTeraOpsPerSecond: { int8: 130, int4: 260, fp16: 65 } });
    expect(Object.keys(t4.sources)).toEqual(expect.arrayContaining(['memoryBandwidthGBps', 'peakTeraOpsPerSecond']));
  });

  it('writes a large seed on a solver thread, once, and answers it whole (issue #27.3)', async () => {
    const first = await http.get('/v1/seeds/deepseek-v3').expect(200);
    // Only answers from a solver thread carry Server-Timing.
    expect(first.headers['server-timing']).toMatch(/render;dur=/);
    expect(first.headers['content-type']).toMatch(/^application\/json/);
    const seed = Seed.parse(first.body);
    expect(seed.model.layers).toHaveLength(45_034);
    const again = await http.get('/v1/seeds/deepseek-v3').expect(200);
    expect(again.text).toBe(first.text);
    // Served from the encoding made once: gzip to a client that takes it, with a strong ETag a client can revalidate.
    expect(first.headers['content-encoding']).toBe('gzip');
    expect(first.headers.etag).toMatch(/^"[\w-]{27}"$/);
    expect(again.headers.etag).toBe(first.headers.etag);
    const plain = await http.get('/v1/seeds/deepseek-v3').set('accept-encoding', 'identity').expect(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.text).toBe(first.text);
    // Sent as a stream of slices (over 1 MiB), with its length still known.
    expect(Number(plain.headers['content-length'])).toBe(Buffer.byteLength(plain.text));
    await http.get('/v1/seeds/deepseek-v3').set('accept-encoding', 'gzip;q=0').expect(200).expect((r) => expect(r.headers['content-encoding']).toBeUndefined());
    const unchanged = await http.get('/v1/seeds/deepseek-v3').set('if-none-match', `"other", ${first.headers.etag}`).expect(304);
    expect(unchanged.text).toBe('');
    await http.get('/v1/seeds/deepseek-v3').set('if-none-match', '"other"').expect(200);
    // A small seed stays on the event loop.
    expect((await http.get('/v1/seeds/resnet18-hawq-v3').expect(200)).headers['server-timing']).toBeUndefined();
  });

  it('GET /v1/seeds and each HAWQ-V3 seed as a valid ModelDescriptor with its pins and ties', async () => {
    const { seeds } = SeedList.parse((await http.get('/v1/seeds').expect(200)).body);
    const hawq = seeds.filter((s) => s.name.endsWith('-hawq-v3'));
    expect(hawq.map((s) => s.name)).toEqual(['resnet18-hawq-v3', 'resnet50-hawq-v3']);
    for (const summary of hawq) {
      const seed = Seed.parse((await http.get(`/v1/seeds/${summary.name}`).expect(200)).body);
      ModelDescriptor.parse(seed.model);
      const layers = seed.model.layers;
      expect(layers[0]!.pin).toBe('int8/int8');
      expect(layers.at(-1)!.pin).toBe('int8/int8');
      expect(layers.filter((l) => l.pin === undefined).every((l) => l.sensitivity?.hessianTrace !== undefined)).toBe(true);
      expect(seed.model.groups!.length).toBeGreaterThanOrEqual(3);
      expect(summary.provenance.synthetic).toBe(false);
    }
  });

  it('plans ResNet50 under size and latency budgets at once, with the T4 profile', async () => {
    const response = await http
      .post('/v1/plans')
      .send({ seed: 'resnet50-hawq-v3', hardware: 'nvidia-t4', budgets: [{ metric: 'sizeBytes', fraction: 0.5 }, { metric: 'latencyMs', fraction: 0.5 }] })
      .expect(200);
    const plan = Plan.parse(response.body);
    expect(plan.status).toBe('optimal');
    expect(plan.layers).toHaveLength(54);
    for (const budget of plan.budgets) expect(budget.used).toBeLessThanOrEqual(budget.limit);
    expect(plan.budgets.some((b) => b.binding)).toBe(true);
    expect(plan.warnings.join('\n')).toMatch(/pinned to int8\/int8 and has no latencyMs entry/);
  });

  it('minimizes BOPs under a sensitivity bound', async () => {
    const loose = Plan.parse((await http.post('/v1/plans').send({ seed: 'resnet18-hawq-v3', objective: { minimize: 'bops', maxSensitivity: 10 } }).expect(200)).body);
    const tight = Plan.parse((await http.post('/v1/plans').send({ seed: 'resnet18-hawq-v3', objective: { minimize: 'bops', maxSensitivity: 0.2 } }).expect(200)).body);
    expect(loose.objective.bops).toBeLessThan(tight.objective.bops!);
    expect(tight.totals.sensitivity).toBeLessThanOrEqual(0.2);
    expect(tight.budgets.find((b) => b.metric === 'sensitivity')).toMatchObject({ limit: 0.2 });
    // With a loose bound every free layer goes to int4, the cheapest in BOPs.
    expect(loose.layers.filter((l) => !l.pinned).every((l) => l.candidate === 'int4/int4')).toBe(true);
  });

  it('logs each request with its request id (pino)', async () => {
    const lines: string[] = [];
    const stream = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
    const logged = await startApp({ logger: { level: 'info', stream } });
    try {
      await logged.http.get('/healthz').set('x-request-id', 'trace-7').expect(200);
      const records = lines.map((line) => JSON.parse(line) as { reqId?: string; msg: string });
      expect(records.filter((r) => r.reqId === 'trace-7').map((r) => r.msg)).toEqual(['incoming request', 'request completed']);
    } finally {
      await logged.app.close();
    }
  });
});
